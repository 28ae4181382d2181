import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { deviceToken, fixture, pairAsHead, serveFixtures, sidebarText, type FixtureServer } from './fixtures/crm-fixtures';

type AdapterHealth = {
  misses: { crm: string; origin: string; recordType: string; misses: number; reporters: number }[];
  disabledAdapters: { crm: string; reason: string }[];
};

describe('adapter health in the browser: the kill switch and miss reports', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  let odoo: FixtureServer;
  let changedOdoo: FixtureServer;
  const pageErrors: string[] = [];

  const adapterHealth = async (): Promise<AdapterHealth> => {
    const response = await fetch(`${server.url}/api/adapter-health`, { headers: { authorization: `Bearer ${await deviceToken(extension)}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as AdapterHealth;
  };

  beforeAll(async () => {
    odoo = await serveFixtures((url) => (url.pathname.startsWith('/odoo') ? fixture('spa-crm/odoo.html') : null));
    changedOdoo = await serveFixtures((url) => (url.pathname.startsWith('/odoo') ? fixture('spa-crm/odoo-unknown-markup.html') : null));
    server = await startServer();
    await server.cli(['crm', 'add', odoo.origin, 'odoo']);
    await server.cli(['crm', 'add', changedOdoo.origin, 'odoo']);
    extension = await launchWithExtension();
    extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    await pairAsHead(extension, server);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
    await Promise.all([odoo?.close(), changedOdoo?.close()]);
  });

  it('says Headway is paused on a CRM the admin switched off, and reads it again once switched back on', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${odoo.origin}/odoo/crm/1`);
    const panel = await extension.openPanel(page);
    await expect.poll(() => sidebarText(panel, 'record-title'), { timeout: 15_000 }).toBe('Fleet renewal – Contoso');

    const reason = 'Odoo 18.3 moved the form fields; a fix is on its way';
    await server.cli(['adapter', 'disable', 'odoo', '--reason', reason]);
    await page.reload();
    await expect.poll(() => sidebarText(panel, 'adapter-paused'), { timeout: 10_000 }).toBe(`Headway is paused on Odoo by your admin: ${reason}`);
    expect(await panel.getByTestId('record-title').count()).toBe(0);
    // Switched off, the adapter reads nothing, so nothing can be misreported as a miss either.
    await page.waitForTimeout(2000);
    expect((await adapterHealth()).misses).toEqual([]);

    await server.cli(['adapter', 'enable', 'odoo']);
    await page.reload();
    await expect.poll(() => sidebarText(panel, 'record-title'), { timeout: 10_000 }).toBe('Fleet renewal – Contoso');
    expect(await panel.getByTestId('adapter-paused').count()).toBe(0);
    await page.close();
  });

  it('reports a record page the adapter recognised but could not read, once a day per CRM, origin and record type', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${changedOdoo.origin}/odoo/crm/1`);
    const panel = await extension.openPanel(page);
    await expect.poll(() => sidebarText(panel, 'record-title'), { timeout: 15_000 }).toBe('Title not shown on this page');
    await expect
      .poll(async () => (await adapterHealth()).misses, { timeout: 10_000 })
      .toEqual([expect.objectContaining({ crm: 'odoo', origin: changedOdoo.origin, recordType: 'deal', misses: 1, reporters: 1 })]);

    // Another record of the same type, and the same one again: already reported today, so no second POST.
    await page.goto(`${changedOdoo.origin}/odoo/crm/2`);
    await page.reload();
    await page.waitForTimeout(2500);
    expect((await adapterHealth()).misses).toEqual([expect.objectContaining({ origin: changedOdoo.origin, misses: 1 })]);
    // The readable Odoo is never reported.
    await page.goto(`${odoo.origin}/odoo/crm/3`);
    await expect.poll(() => sidebarText(panel, 'record-title'), { timeout: 10_000 }).toBe('Solar roof – Northwind');
    await page.waitForTimeout(2000);
    expect((await adapterHealth()).misses.map((miss) => miss.origin)).toEqual([changedOdoo.origin]);
    await page.close();
  });

  it('raised no errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
