import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { serveFixtures, sidebarText, type FixtureServer } from './fixtures/crm-fixtures';
import { pair } from './notes-support';

// Two SuiteCRM 7 deal pages the Headway server has never seen: one owned by the new manager (by e-mail, which
// maps without a CRM identity), one by someone who is not a Headway user.
const LINKED = '7a1e0c52-0000-4000-8000-0000000c0de1';
const UNLINKED = '7a1e0c52-0000-4000-8000-0000000c0de2';
/** A record opened on a tenant the workspace did not declare (same CRM, same host, another port). */
const FOREIGN = '7a1e0c52-0000-4000-8000-0000000c0de3';
const MANAGER = { name: 'Nina Ortiz', email: 'nina.ortiz@northwind.example' };

function dealPage(title: string, owner: string): string {
  const field = (name: string, value: string) => `<div class="detail-view-field" field="${name}">${value}</div>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<div class="moduleTitle"><h2 class="module-title-text">${title}</h2></div>
${field('currency_id', 'Euro')}${field('amount', '€48,000.00')}${field('sales_stage', 'Proposal/Price Quote')}
${field('probability', '65')}${field('assigned_user_name', owner)}${field('date_closed', '2026-12-18')}
<input id="crm-search" placeholder="Search the CRM">
<script>window.crmKeys = []; document.addEventListener('keydown', (event) => window.crmKeys.push(event.key));</script>
</body></html>`;
}

interface DealRow {
  source: string;
  version: number;
  owner_id: string | null;
  owner_label: string | null;
  amount: number | null;
  updated_at: string;
}

describe('passive capture: opening a deal page tells the server what the CRM shows', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  let crm: FixtureServer;
  /** The same CRM software on another origin the workspace never declared: another company's tenant. */
  let foreignCrm: FixtureServer;
  let managerId = '';

  /** The server's own SQLite file, read directly: what it holds, whatever any API says. */
  function serverDeal(crmId: string): DealRow | undefined {
    const db = new Database(join(server.dataDir, 'headway.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('select source, version, owner_id, owner_label, amount, updated_at from deals where crm_id = ?').get(crmId) as DealRow | undefined;
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    const pages = (url: URL) => {
      const record = url.searchParams.get('record');
      if (url.pathname !== '/index.php') return null;
      if (record === LINKED) return dealPage('Nordlicht Logistik – Fleet telematics', MANAGER.email);
      if (record === UNLINKED) return dealPage('Baltic Freight – Warehouse scanners', 'Jordan Blake');
      if (record === FOREIGN) return dealPage('Rival Corp – Takeover', MANAGER.email);
      return null;
    };
    crm = await serveFixtures(pages);
    foreignCrm = await serveFixtures(pages);
    server = await startServer();
    await server.cli(['crm', 'add', crm.origin, 'suitecrm']);
    const added = (await server.cli(['user', 'add', '--role', 'manager', '--name', MANAGER.name, '--email', MANAGER.email, '--capacity', '60'])) as {
      user: { id: string };
      pairingCode: string;
    };
    managerId = added.user.id;
    extension = await launchWithExtension();
    await pair(extension, server, added.pairingCode);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
    await crm?.close();
    await foreignCrm?.close();
  });

  const dealUrl = (record: string) => `${crm.origin}/index.php?module=Opportunities&action=DetailView&record=${record}`;

  it('upserts the deal with source "page" within seconds, and a second unchanged view bumps no version', async () => {
    const page = await extension.context.newPage();
    await page.goto(dealUrl(LINKED));
    const panel = await extension.openPanel(page);
    await expect.poll(() => sidebarText(panel, 'record-title')).toBe('Nordlicht Logistik – Fleet telematics');
    await expect.poll(() => serverDeal(LINKED), { timeout: 8000 }).toMatchObject({ source: 'page', owner_id: managerId, amount: 48000 });
    const first = serverDeal(LINKED)!;

    // Once the server knows the deal, the sidebar names its owner as Headway knows them, with their load.
    await expect.poll(() => sidebarText(panel, 'owner-line'), { timeout: 10_000 }).toMatch(/^Nina Ortiz · \d+ % of capacity/);

    await page.reload();
    await expect.poll(() => sidebarText(panel, 'record-title')).toBe('Nordlicht Logistik – Fleet telematics');
    await expect.poll(() => sidebarText(panel, 'sync-status'), { timeout: 10_000 }).toBe('Online · all saved');
    await page.waitForTimeout(2000);
    expect(serverDeal(LINKED)).toEqual(first);
    await page.close();
  });

  it('says an owner who maps to no Headway user is not linked, and never guesses one', async () => {
    const page = await extension.context.newPage();
    await page.goto(dealUrl(UNLINKED));
    const panel = await extension.openPanel(page);
    await expect.poll(() => serverDeal(UNLINKED), { timeout: 8000 }).toMatchObject({ source: 'page', owner_id: null, owner_label: 'Jordan Blake' });
    await expect.poll(() => sidebarText(panel, 'owner-line'), { timeout: 10_000 }).toBe('Owner “Jordan Blake” is not linked to a Headway user');
    expect(await panel.getByTestId('owner-suggestion').count()).toBe(0);
    await page.close();
  });

  it('shows nothing, reads nothing and sends nothing on a tenant the workspace did not declare', async () => {
    const page = await extension.context.newPage();
    // The content script runs on this host (a match pattern carries no port), so this is its own decision.
    await page.goto(`${foreignCrm.origin}/index.php?module=Opportunities&action=DetailView&record=${FOREIGN}`);
    // A click on a record page opens Headway's panel; here it must not: the page's script reports nothing.
    await expect(extension.openPanel(page)).rejects.toThrow(/No side panel opened/);
    expect(serverDeal(FOREIGN)).toBeUndefined();
    // The declared tenant next door still works in the same browser.
    await page.goto(dealUrl(UNLINKED));
    const panel = await extension.openPanel(page);
    await expect.poll(() => sidebarText(panel, 'record-title')).toBe('Baltic Freight – Warehouse scanners');
    expect(serverDeal(FOREIGN)).toBeUndefined();
    await page.close();
  });

  it('keeps keys typed in the sidebar from reaching the CRM’s own shortcuts', async () => {
    const page = await extension.context.newPage();
    await page.goto(dealUrl(LINKED));
    const panel = await extension.openPanel(page);
    await panel.getByTestId('add-note').click();
    await panel.getByLabel('Note', { exact: true }).pressSequentially('e/k');
    expect(await page.evaluate(() => (window as unknown as { crmKeys: string[] }).crmKeys)).toEqual([]);
    // The page's own listener works: the same keys typed in the CRM reach it.
    await page.locator('#crm-search').pressSequentially('e/');
    expect(await page.evaluate(() => (window as unknown as { crmKeys: string[] }).crmKeys)).toEqual(['e', '/']);
    await page.close();
  });
});
