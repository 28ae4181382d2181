import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LoadResponse, MovesResponse, PlansResponse, ProgressDealsResponse, ProgressResponse, User } from '../../core/schema';
import { formatsFor } from '../../components/Dashboard/format';
import { shot, launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { pair, pairingCodeFor, type ChromeGlobal } from './notes-support';
import { getAs } from './fixtures/crm-fixtures';
import { suiteTarget } from '../support/crm-fakes/suitecrm/target';

const UNITS = ['month', 'quarter', 'year'] as const;

describe('the head of sales’ dashboard against the seeded Northwind demo', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  let token = '';
  let dashboard: Page;
  let locale = 'en-US';
  const pageErrors: string[] = [];

  const api = <T,>(path: string, schema: { parse(value: unknown): T }): Promise<T> => getAs(server, token, path, schema);

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
    await shot(dashboard, 'dashboard.png');
    await shot(dashboard, 'dashboard-full.png', { fullPage: true });
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
    await shot(dashboard, 'dashboard-drill-down.png');
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

  it('the head deletes a plan from the target dialog by keyboard, after confirming', async () => {
    const before = await api('/api/progress?period=month&kind=sale', ProgressResponse);
    const manager = before.managers.find((m) => m.planned && m.planId)!;
    const row = dashboard.locator(`tr[data-manager-id="${manager.ownerId}"]`);
    await row.getByRole('button', { name: `Set the month target of ${manager.name}` }).focus();
    await dashboard.keyboard.press('Enter');
    const dialog = dashboard.getByTestId('target-dialog');
    const focusedText = () => dashboard.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

    // Asked first, with the focus on the safe answer: Enter keeps the plan.
    await dialog.getByRole('button', { name: 'Delete plan…' }).focus();
    await dashboard.keyboard.press('Enter');
    const confirm = dialog.getByTestId('delete-confirm');
    await expect.poll(() => confirm.textContent()).toContain(`Delete ${manager.name}’s sales target for`);
    await expect.poll(focusedText).toBe('Keep the plan');
    await dashboard.keyboard.press('Enter');
    await expect.poll(() => confirm.count()).toBe(0);
    await expect.poll(focusedText).toBe('Delete plan…');
    expect((await api('/api/progress?period=month&kind=sale', ProgressResponse)).managers.find((m) => m.ownerId === manager.ownerId)!.planId).toBe(manager.planId);

    await dashboard.keyboard.press('Enter');
    await expect.poll(focusedText).toBe('Keep the plan');
    await dashboard.keyboard.press('Tab');
    await expect.poll(focusedText).toBe('Delete plan');
    await dashboard.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);

    const after = (await api('/api/progress?period=month&kind=sale', ProgressResponse)).managers.find((m) => m.ownerId === manager.ownerId)!;
    expect(after).toMatchObject({ planned: false, planId: null });
    const plans = await api(`/api/plans?period=month&kind=sale&start=${before.period.start}`, PlansResponse);
    expect(plans.plans.some((plan) => plan.id === manager.planId)).toBe(false);
    const cell = row.getByTestId('target-month');
    await expect.poll(() => cell.locator('.hw-target-figure').textContent()).toBe('no plan');
  });

  it('imports a plans CSV: existing plans are refused unless “replace” is ticked, and the check lists what it replaces', async () => {
    const quarter = await api('/api/progress?period=quarter&kind=sale', ProgressResponse);
    const users = await api('/api/users', z.object({ users: z.array(User) }));
    const manager = quarter.managers.find((m) => m.planned)!;
    const email = users.users.find((u) => u.id === manager.ownerId)!.email;
    const start = quarter.period.start;
    const newDepartment = quarter.department.target + 10_000;
    const newManager = manager.target + 5_000;
    const file = [
      'kind,period,start,owner,target,currency,countTarget',
      `sale,quarter,${start},,${newDepartment},${quarter.department.currency},`,
      `sale,quarter,${start},${email},${newManager},${manager.currency},`,
    ].join('\n');

    await dashboard.getByRole('button', { name: 'Import plans…' }).click();
    const dialog = dashboard.getByTestId('import-dialog');
    await dialog.getByLabel('Plans CSV file').setInputFiles({ name: 'next-quarter.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await dialog.getByRole('button', { name: 'Check file' }).click();
    const errors = dialog.getByTestId('import-errors').locator('li');
    await expect.poll(() => errors.count()).toBe(2);
    expect(await errors.allTextContents()).toEqual([
      expect.stringMatching(/^Line 2: the department already has a sale plan .* or import with “replace existing plans”$/),
      expect.stringMatching(new RegExp(`^Line 3: ${email.replace(/\./g, '\\.')} already has a sale plan`)),
    ]);
    expect(await dialog.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);

    await dialog.getByLabel('Replace existing plans for the same scope and period').check();
    await dialog.getByRole('button', { name: 'Check file' }).click();
    const replaced = dialog.getByTestId('import-replaced').locator('li');
    await expect.poll(() => replaced.count()).toBe(2);
    const format = formatsFor(quarter.department.currency, locale);
    expect(await replaced.first().textContent()).toContain(`Line 2: Department · sales quarter from `);
    expect(await replaced.first().textContent()).toContain(`${format.money(quarter.department.target)} → ${format.money(newDepartment)}`);
    expect(await replaced.nth(1).textContent()).toContain(`Line 3: ${manager.name} · sales quarter`);
    // The check wrote nothing.
    expect((await api('/api/progress?period=quarter&kind=sale', ProgressResponse)).department.target).toBe(quarter.department.target);
    await shot(dashboard, 'dashboard-import.png');

    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => dialog.getByTestId('import-outcome').textContent()).toBe('Imported next-quarter.csv: 0 new, 2 replaced.');
    const after = await api('/api/progress?period=quarter&kind=sale', ProgressResponse);
    expect(after.department).toMatchObject({ target: newDepartment, planId: quarter.department.planId });
    expect(after.managers.find((m) => m.ownerId === manager.ownerId)).toMatchObject({ target: newManager, planId: manager.planId });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await dashboard.getByRole('radio', { name: 'Quarter' }).check();
    const departmentTarget = dashboard.locator('tr[data-manager-id="department"]').getByTestId('target-quarter');
    await expect.poll(() => departmentTarget.getAttribute('data-value')).toBe(String(newDepartment));
    await dashboard.getByRole('radio', { name: 'Month' }).check();
  });

  it('an import refused by the server lists every bad row with its line, and writes nothing', async () => {
    // Checked while the scope had no plan; someone creates one before the import runs, so the server refuses it.
    const file = 'kind,period,start,owner,target,currency,countTarget\npurchase,month,2099-01-01,,5000,EUR,\n';
    await dashboard.getByRole('button', { name: 'Import plans…' }).click();
    const dialog = dashboard.getByTestId('import-dialog');
    await dialog.getByLabel('Plans CSV file').setInputFiles({ name: 'far-future.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await dialog.getByRole('button', { name: 'Check file' }).click();
    await expect.poll(() => dialog.getByTestId('import-outcome').textContent()).toContain('Checked 1 row: 1 new, 0 replaced.');
    const created = await fetch(`${server.url}/api/plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'purchase', period: 'month', start: '2099-01-01', ownerId: null, target: 4000, currency: 'EUR', countTarget: null }),
    });
    expect(created.status).toBe(201);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const errors = dialog.getByTestId('import-errors').locator('li');
    await expect.poll(() => errors.count()).toBe(1);
    expect(await errors.first().textContent()).toMatch(/^Line 2: the department already has a purchase plan for the month starting 2099-01-01/);
    expect(await dialog.getByRole('alert').first().textContent()).toContain('Nothing was imported');
    const plans = await api('/api/plans?period=month&kind=purchase&start=2099-01-01', PlansResponse);
    expect(plans.plans.map((plan) => plan.target)).toEqual([4000]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('imports a CRM export as it comes: columns guessed, stages mapped to won / lost / open, one currency, owners by name', async () => {
    const users = await api('/api/users', z.object({ users: z.array(User) }));
    const agent = users.users.find((u) => u.role === 'manager')!;
    // Shaped like Maven Analytics' public "CRM Sales Opportunities" export (issue 15 §3.15): stages, not statuses;
    // no currency; agents by the name the CRM shows.
    const file = [
      'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
      `MV-0001,${agent.name},GTX Pro,Rangreen,Won,2026-10-20,2026-11-02,4514`,
      `MV-0002,${agent.name},MG Special,Cheers,Lost,2026-10-25,2026-11-03,0`,
      `MV-0003,${agent.name},GTK 500,Umbrella Ltd,Engaging,2026-11-01,,`,
      'MV-0004,Somebody Else,GTX Basic,Zoomit,Prospecting,,,',
    ].join('\n');

    await dashboard.getByRole('button', { name: 'Import deals…' }).click();
    const dialog = dashboard.getByTestId('deal-import-dialog');
    await dialog.getByLabel('Deals CSV file').setInputFiles({ name: 'sales_pipeline.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    // The columns are guessed from the headers, and each can be changed.
    expect(await dialog.getByLabel('Record id (required)', { exact: true }).inputValue()).toBe('opportunity_id');
    expect(await dialog.getByLabel('Won, lost or open', { exact: true }).inputValue()).toBe('deal_stage');
    expect(await dialog.getByLabel('Stage', { exact: true }).inputValue()).toBe('deal_stage');
    expect(await dialog.getByLabel('Amount', { exact: true }).inputValue()).toBe('close_value');
    expect(await dialog.getByLabel('Closed on', { exact: true }).inputValue()).toBe('close_date');
    expect(await dialog.getByLabel('Owner', { exact: true }).inputValue()).toBe('sales_agent');
    expect(await dialog.getByLabel('Owners are matched by').inputValue()).toBe('ownerName');
    await dialog.getByLabel('Deal name', { exact: true }).selectOption('account');
    await dialog.getByLabel('Every amount is in').fill('usd');

    await dialog.getByRole('button', { name: 'Check file' }).click();
    const status = dialog.locator('table[data-field="status"]');
    await status.waitFor();
    // Won and Lost read as statuses (case aside); Engaging and Prospecting do not: each is marked, and nothing imports.
    await expect.poll(() => dialog.getByTestId('deal-import-problems').textContent()).toMatch(/^2 of 4 rows need fixing/);
    expect(await status.locator('tr.is-bad th').allTextContents()).toEqual(['Engaging', 'Prospecting']);
    expect(await status.getByLabel('status for “Won”').inputValue()).toBe('won');
    expect(await dialog.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
    const owners = dialog.locator('table[data-field="ownerName"]');
    expect(await owners.locator('tbody tr').first().textContent()).toContain(`${agent.name} <${agent.email}>`);
    expect(await owners.textContent()).toContain('Somebody Else');

    // Mapping one value keeps what the others already read as (a value map must name every value).
    for (const [stage, meaning] of [['Engaging', 'open'], ['Prospecting', 'open']] as const) {
      await status.getByLabel(`status for “${stage}”`).selectOption(meaning);
    }
    await dialog.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => dialog.getByTestId('deal-import-checked').textContent()).toMatch(/^Checked 4 rows: 4 new, 0 updated\. Nothing is written until you import\./);
    expect(await dialog.getByTestId('deal-import-checked').textContent()).toContain('Somebody Else');
    expect(await dialog.locator('table[data-field="currency"] tbody tr').first().textContent()).toContain('USD');
    await status.scrollIntoViewIfNeeded();
    await shot(dashboard, 'dashboard-deals-import.png');

    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => dialog.getByTestId('deal-import-done').textContent()).toBe('Imported sales_pipeline.csv: 4 deals — 4 new, 0 updated.');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    // Written as mapped: the won deal counts for its owner in November, in dollars.
    const november = await api(`/api/progress/deals?period=month&kind=sale&date=2026-11-02&ownerId=${agent.id}&status=won&currency=USD`, ProgressDealsResponse);
    const won = november.deals.find((deal) => deal.crmId === 'MV-0001');
    expect(won).toMatchObject({ title: 'Rangreen', amount: 4514, currency: 'USD', status: 'won', ownerId: agent.id });
    expect(pageErrors).toEqual([]);
  });

  it('shows the head the CRM of record: none connected, then a SuiteCRM read through its API with an owner who matches no one', async () => {
    await dashboard.getByTestId('crm-none').waitFor();
    const crm = await suiteTarget('v8').start();
    try {
      crm.addDeals([
        { title: 'Harbour Foods – coffee supply', amount: 12_500, currency: 'system', stage: 'open', owner: 'unmapped', purchase: false, closeDate: '2026-12-29' },
        { title: 'Baltic Mills – flour', amount: 8_000, currency: 'system', stage: 'won', owner: 'unmapped', purchase: false, closeDate: '2026-12-02' },
      ]);
      await server.cli(['crm', 'connect', crm.origin, 'suitecrm', '--client-id', crm.clientId!], { HEADWAY_CRM_SECRET: crm.secret });
      await dashboard.getByRole('button', { name: 'Refresh' }).click();
      const card = dashboard.getByTestId('crm-connection');
      await card.waitFor();
      expect(await card.getByRole('heading').textContent()).toBe(`SuiteCRM ${crm.origin}`);
      await expect.poll(() => card.getByTestId('crm-state').textContent()).toMatch(/^Last synced .+ · 2 deals$/);
      expect(await card.getByTestId('crm-unmapped').textContent()).toContain(crm.owners.unmapped.name);
      expect(await card.getByTestId('crm-error').count()).toBe(0);
      expect(await dashboard.getByTestId('crm-none').count()).toBe(0);
      await card.scrollIntoViewIfNeeded();
      await shot(dashboard, 'dashboard-crm.png');
      // A CRM that stops answering shows as the last sync's failure, in the admin's words, beside the figures kept.
      await crm.close();
      await server.cli(['crm', 'sync', crm.origin]).catch(() => undefined);
      await dashboard.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => card.getByTestId('crm-error').textContent().catch(() => '')).toMatch(/^Last sync failed .+: .*(reach|refused|unreachable)/i);
      expect(await card.getByTestId('crm-state').textContent()).toContain('2 deals');
    } finally {
      await crm.close().catch(() => undefined);
    }
    expect(pageErrors).toEqual([]);
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
    await shot(popup, 'popup.png');
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
