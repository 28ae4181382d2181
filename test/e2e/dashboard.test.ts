import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadResponse, MovesResponse, ProgressDealsResponse, ProgressResponse, User } from '../../core/schema';
import { formatsFor } from '../../components/Dashboard/format';
import { docsDir, launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { pair, pairingCodeFor, type ChromeGlobal } from './notes-support';

const UNITS = ['month', 'quarter', 'year'] as const;

describe('the head of sales’ dashboard against the seeded Northwind demo', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  let token = '';
  let dashboard: Page;
  let locale = 'en-US';
  const pageErrors: string[] = [];

  async function api<T>(path: string, schema: { parse(value: unknown): T }): Promise<T> {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status, `${path} answered ${response.status}`).toBe(200);
    return schema.parse(await response.json());
  }

  beforeAll(async () => {
    server = await startServer();
    extension = await launchWithExtension();
    extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    await pair(extension, server, server.pairingCode);
    const stored = await extension.worker.evaluate(async () => (await (globalThis as unknown as ChromeGlobal).chrome.storage.local.get('headway.session'))['headway.session']);
    token = (stored as { token: string }).token;
    const me = await api('/api/me', User);
    expect(me.role).toBe('head');

    dashboard = await extension.context.newPage();
    await dashboard.setViewportSize({ width: 1440, height: 900 });
    await dashboard.goto(`chrome-extension://${extension.extensionId}/dashboard.html`);
    locale = await dashboard.evaluate(() => navigator.language);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
  });

  it('shows every manager’s month, quarter and year figures exactly as GET /api/progress reports them', async () => {
    const table = dashboard.getByTestId('progress-table');
    await table.waitFor();
    for (const unit of UNITS) {
      const progress = await api(`/api/progress?period=${unit}&kind=sale`, ProgressResponse);
      const format = formatsFor(progress.department.currency, locale);
      expect(progress.managers.length).toBeGreaterThanOrEqual(4);
      expect(await table.locator('tbody tr').count()).toBe(progress.managers.length);
      for (const manager of [...progress.managers, { ...progress.department, name: 'Department', ownerId: 'department' }]) {
        const row = table.locator(`tr[data-manager-id="${manager.ownerId}"]`);
        expect(await row.locator('th').textContent()).toBe(manager.name);
        const actual = row.getByTestId(`actual-${unit}`);
        expect(Number(await actual.getAttribute('data-value'))).toBe(manager.actual);
        expect(await actual.textContent()).toBe(format.money(manager.actual));
        const target = row.getByTestId(`target-${unit}`);
        expect(Number(await target.getAttribute('data-value'))).toBe(manager.target);
        expect(await target.locator('.hw-target-figure').textContent()).toBe(manager.planned ? format.money(manager.target) : 'no plan');
        expect((await row.getByTestId(`attainment-${unit}`).textContent())?.trim()).toBe(format.percent(manager.attainmentPct));
        expect(Number(await row.getByTestId(`pace-${unit}`).getAttribute('data-value'))).toBe(manager.aheadBy);
      }
    }
    // The headline follows the period switch.
    const month = await api('/api/progress?period=month&kind=sale', ProgressResponse);
    const summary = dashboard.getByTestId('summary-actual');
    await expect.poll(() => summary.getAttribute('data-value')).toBe(String(month.department.actual));
    await dashboard.getByRole('radio', { name: 'Quarter' }).check();
    const quarter = await api('/api/progress?period=quarter&kind=sale', ProgressResponse);
    await expect.poll(() => summary.getAttribute('data-value')).toBe(String(quarter.department.actual));
    expect(await summary.textContent()).toBe(formatsFor(quarter.department.currency, locale).money(quarter.department.actual));
    await dashboard.getByRole('radio', { name: 'Month' }).check();
    await expect.poll(() => summary.getAttribute('data-value')).toBe(String(month.department.actual));
    // Purchases are planned and tracked alike: the table follows the kind switch.
    await dashboard.getByRole('radio', { name: 'Purchases' }).check();
    const purchases = await api('/api/progress?period=month&kind=purchase', ProgressResponse);
    const purchaseFormat = formatsFor(purchases.department.currency, locale);
    const departmentActual = table.locator('tr[data-manager-id="department"]').getByTestId('actual-month');
    await expect.poll(() => departmentActual.getAttribute('data-value')).toBe(String(purchases.department.actual));
    expect(await departmentActual.textContent()).toBe(purchaseFormat.money(purchases.department.actual));
    await dashboard.getByRole('radio', { name: 'Sales' }).check();
    await expect.poll(() => departmentActual.getAttribute('data-value')).toBe(String(month.department.actual));
    // The burn-up's won line, drawn from the deals, ends where the server's actual is.
    const chart = dashboard.getByTestId('burn-up');
    await chart.waitFor();
    await expect.poll(async () => Math.abs(Number(await chart.getAttribute('data-drawn-actual')) - month.department.actual)).toBeLessThan(1);
  });

  it('shows load against capacity with an over and an absent manager, and moves with their reasons', async () => {
    const load = await api('/api/load', LoadResponse);
    const rows = dashboard.getByTestId('load-table').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(load.managers.length);
    const over = load.managers.filter((m) => m.status === 'over');
    const absent = load.managers.filter((m) => m.status === 'absent');
    expect(over.length).toBeGreaterThanOrEqual(1);
    expect(absent.length).toBeGreaterThanOrEqual(1);
    expect(await dashboard.locator(`tr[data-manager-id="${over[0]!.id}"]`).getByTestId('load-status').textContent()).toBe('Over capacity');
    expect(await dashboard.locator(`tr[data-manager-id="${absent[0]!.id}"]`).getByTestId('load-status').textContent()).toMatch(/^Absent until /);

    expect(load.moves.length).toBeGreaterThanOrEqual(1);
    const moves = dashboard.getByTestId('move');
    expect(await moves.count()).toBe(load.moves.length);
    const first = load.moves[0]!;
    expect(first.reason.length).toBeGreaterThan(10);
    expect(await moves.first().getByTestId('move-reason').textContent()).toBe(first.reason);
    await dashboard.evaluate(() => window.scrollTo(0, 0));
    await dashboard.screenshot({ path: join(docsDir, 'dashboard.png'), animations: 'disabled' });
    await dashboard.screenshot({ path: join(docsDir, 'dashboard-full.png'), animations: 'disabled', fullPage: true });
  });

  it('approving a suggested move makes it approved on the server and lists it as decided', async () => {
    const load = await api('/api/load', LoadResponse);
    const move = load.moves[0]!;
    const card = dashboard.locator(`[data-testid="move"][data-deal-id="${move.dealId}"]`).first();
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(async () => (await api('/api/moves?status=approved', MovesResponse)).moves.some((m) => m.dealId === move.dealId && m.to === move.to))
      .toBe(true);
    const decided = dashboard.getByTestId('proposals').locator(`tr[data-deal-id="${move.dealId}"]`);
    await expect.poll(() => decided.getByTestId('proposal-status').textContent()).toBe('Approved');
  });

  it('drills down from a manager’s month figure to the deals behind it', async () => {
    const month = await api('/api/progress?period=month&kind=sale', ProgressResponse);
    const manager = month.managers.find((m) => m.count > 0)!;
    const deals = await api(`/api/progress/deals?period=month&kind=sale&status=won&ownerId=${manager.ownerId}`, ProgressDealsResponse);
    expect(deals.deals.length).toBeGreaterThan(0);
    await dashboard.locator(`tr[data-manager-id="${manager.ownerId}"]`).getByTestId('actual-month').getByRole('button').click();
    const dialog = dashboard.getByTestId('drill-down');
    await dialog.locator('tbody tr').first().waitFor();
    expect(await dialog.locator('tbody tr').count()).toBe(deals.deals.length);
    for (const deal of deals.deals) {
      const row = dialog.locator(`tr[data-deal-id="${deal.id}"]`);
      expect(await row.locator('td').first().textContent()).toBe(deal.title);
      expect(await row.locator('td').nth(1).textContent()).toBe(manager.name);
      expect(await row.locator('td').nth(3).textContent()).toBe(formatsFor(deal.currency!, locale).money(deal.amount!));
    }
    expect(await dialog.getByTestId('drill-count').textContent()).toContain(`${deals.total} deal`);
    await dashboard.screenshot({ path: join(docsDir, 'dashboard-drill-down.png'), animations: 'disabled' });
    await dashboard.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('the head sets a manager’s month target, and the server and the table agree', async () => {
    const before = await api('/api/progress?period=month&kind=sale', ProgressResponse);
    const manager = before.managers.find((m) => m.planned && m.planId)!;
    const newTarget = manager.target + 12_345;
    const row = dashboard.locator(`tr[data-manager-id="${manager.ownerId}"]`);
    await row.getByRole('button', { name: `Set the month target of ${manager.name}` }).click();
    const dialog = dashboard.getByTestId('target-dialog');
    await dialog.getByLabel(`Target (${manager.currency})`).fill(String(newTarget));
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const after = await api('/api/progress?period=month&kind=sale', ProgressResponse);
    expect(after.managers.find((m) => m.ownerId === manager.ownerId)!.target).toBe(newTarget);
    const cell = row.getByTestId('target-month');
    await expect.poll(() => cell.getAttribute('data-value')).toBe(String(newTarget));
    expect(await cell.locator('.hw-target-figure').textContent()).toBe(formatsFor(manager.currency, locale).money(newTarget));

    // A bad value comes back as the server's sentence, and nothing changes.
    await row.getByRole('button', { name: `Set the month target of ${manager.name}` }).click();
    await dialog.getByLabel(`Target (${manager.currency})`).fill('-5');
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('a target cannot be negative');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api('/api/progress?period=month&kind=sale', ProgressResponse)).managers.find((m) => m.ownerId === manager.ownerId)!.target).toBe(newTarget);
  });

  it('the popup shows attainment and pace per period and opens the dashboard', async () => {
    const popup = await extension.context.newPage();
    await popup.setViewportSize({ width: 352, height: 460 });
    await popup.goto(`chrome-extension://${extension.extensionId}/popup.html`);
    for (const unit of UNITS) {
      const progress = await api(`/api/progress?period=${unit}&kind=sale`, ProgressResponse);
      const format = formatsFor(progress.department.currency, locale);
      await expect.poll(() => popup.getByTestId(`popup-attainment-${unit}`).textContent()).toBe(format.percent(progress.department.attainmentPct));
    }
    await popup.screenshot({ path: join(docsDir, 'popup.png'), animations: 'disabled' });
    const opened = extension.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Open dashboard' }).click();
    const tab = await opened;
    await tab.waitForURL(/dashboard\.html$/);
    await tab.getByTestId('progress-table').waitFor();
    await tab.close();
    expect(pageErrors).toEqual([]);
  });

  it('a manager sees only their own row and the moves touching them, without Approve or Dismiss', async () => {
    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await options.getByRole('button', { name: 'Disconnect' }).click();
    await options.getByLabel('Pairing code').waitFor();
    await options.close();
    await pair(extension, server, await pairingCodeFor(server, 'priya.shah@northwind.example'));
    const stored = await extension.worker.evaluate(async () => (await (globalThis as unknown as ChromeGlobal).chrome.storage.local.get('headway.session'))['headway.session']);
    token = (stored as { token: string }).token;
    const me = await api('/api/me', User);
    expect(me.role).toBe('manager');

    const page = await extension.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`chrome-extension://${extension.extensionId}/dashboard.html`);
    const table = page.getByTestId('progress-table');
    await table.locator('tbody tr').first().waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr th').textContent()).toBe(me.name);
    const load = await api('/api/load', LoadResponse);
    const rows = page.getByTestId('load-table').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(load.managers.length);
    expect(load.managers.every((m) => m.id === me.id)).toBe(true);
    expect(await page.getByTestId('move').count()).toBe(load.moves.length);
    expect(load.moves.every((m) => m.from === me.id || m.to === me.id)).toBe(true);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('keeps the last figures and says so in words when the server cannot be reached', async () => {
    const page = await extension.context.newPage();
    await page.goto(`chrome-extension://${extension.extensionId}/dashboard.html`);
    const table = page.getByTestId('progress-table');
    await table.locator('tbody tr').first().waitFor();
    await server.stop();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Could not refresh' });
    await expect.poll(() => alert.textContent()).toContain('Can’t reach the Headway server');
    expect(await table.locator('tbody tr').count()).toBe(1);
    await expect.poll(() => page.getByTestId('load-error').textContent()).toContain('Can’t reach the Headway server');
    await page.close();
  });
});
