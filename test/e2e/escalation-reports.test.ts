import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay } from '../../core/format/date-time';
import { shot, launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { badgeText, pair, pairingCodeFor, type ChromeGlobal } from './notes-support';

const HEAD = 'dana.whitfield@northwind.example';
const EXEC = 'eleanor.park@northwind.example';

type Row = { id: string; status: string; category: string; to_role: string | null; report_id: string | null; context: string };

/** What the server's own database holds, independent of any API. */
function reportRequests(server: RunningServer): Row[] {
  const db = new Database(join(server.dataDir, 'headway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("select id, status, category, to_role, report_id, context from escalations where category = 'report-request' order by created_at").all() as Row[];
  } finally {
    db.close();
  }
}

/** What the poll alarm does every minute: push, then pull what others wrote. */
const syncNow = (page: Page) => page.evaluate(() => (globalThis as unknown as ChromeGlobal).chrome.runtime.sendMessage({ type: 'sync-now' }));

/** A page-level marker that a reload would wipe: the inbox must follow changes without one. */
const mark = (page: Page) => page.evaluate(() => ((globalThis as unknown as { hwMarker: number }).hwMarker = 42));
const marked = (page: Page) => page.evaluate(() => (globalThis as unknown as { hwMarker?: number }).hwMarker ?? null);

describe('an executive requests the weekly report from the inbox and the head of sales provides it, in real Chromium', () => {
  let server: RunningServer;
  let head: LaunchedExtension;
  let exec: LaunchedExtension;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    head = await launchWithExtension();
    exec = await launchWithExtension();
    for (const extension of [head, exec]) extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    await pair(head, server, await pairingCodeFor(server, HEAD));
    await pair(exec, server, await pairingCodeFor(server, EXEC));
  });

  afterAll(async () => {
    await exec?.close();
    await head?.close();
    await server?.stop();
    server?.cleanup();
  });

  it('exec requests → the head sees it live and attaches the report → the exec sees the link and opens the report', async () => {
    // The head's inbox is already open, and the badge shows what needs them before the request.
    const headInbox = await head.context.newPage();
    await headInbox.setViewportSize({ width: 1440, height: 900 });
    await headInbox.goto(`chrome-extension://${head.extensionId}/inbox.html`);
    await headInbox.getByText(/waiting ·/).waitFor();
    await syncNow(headInbox);
    await expect.poll(() => headInbox.evaluate(() => (globalThis as unknown as ChromeGlobal).chrome.runtime.sendMessage({ type: 'escalation-inbox-count' }))).toMatchObject({ pending: 0 });
    const badgeBefore = Number((await badgeText(headInbox)) || '0');
    // Only management is offered the request form.
    expect(await headInbox.getByTestId('request-report').count()).toBe(0);
    await mark(headInbox);

    // The exec asks in one press: the week defaults to last week; a note is optional.
    const execInbox = await exec.context.newPage();
    await execInbox.setViewportSize({ width: 1440, height: 900 });
    await execInbox.goto(`chrome-extension://${exec.extensionId}/inbox.html`);
    const form = execInbox.getByTestId('request-report');
    await form.getByTestId('request-report-note').fill('With the EMEA pipeline, for Thursday’s board.');
    await form.getByTestId('act-request-report').click();
    await expect.poll(() => form.getByTestId('request-report-message').textContent()).toMatch(/^Requested the report for the week of /);
    // Routed by the workspace rules to the report writer (the head of sales), with the week asked for.
    const [request] = reportRequests(server);
    expect(request).toMatchObject({ status: 'open', to_role: 'head', report_id: null });
    const week = (JSON.parse(request!.context) as { reportWeek: string }).reportWeek;
    expect(new Date(`${week}T00:00:00Z`).getUTCDay()).toBe(1);
    const execDetail = execInbox.getByTestId('escalation-detail');
    await expect.poll(() => execDetail.getByTestId('detail-status').textContent()).toBe('Open');
    expect(await execDetail.textContent()).toContain('With the EMEA pipeline');

    // The head's background pulls it (as its poll alarm would); the open inbox shows it without a reload, and the
    // badge counts one more thing that needs the head.
    await syncNow(headInbox);
    const item = headInbox.locator(`[data-testid="inbox-item"][data-id="${request!.id}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await marked(headInbox)).toBe(42);
    await expect.poll(() => badgeText(headInbox), { timeout: 15_000 }).toBe(String(badgeBefore + 1));
    await item.click();
    const headDetail = headInbox.getByTestId('escalation-detail');
    await expect.poll(() => headDetail.locator('.hw-cat').textContent()).toBe('Report request');
    await shot(headInbox, 'inbox-report-request.png');
    await headDetail.getByTestId('act-attach-report').click();
    await expect.poll(() => headDetail.getByTestId('detail-status').textContent()).toBe('Resolved');
    await expect.poll(() => headDetail.getByTestId('detail-decision').textContent()).toContain(`The weekly report for the week of ${week} is attached.`);
    const [answered] = reportRequests(server);
    expect(answered).toMatchObject({ status: 'resolved' });
    expect(answered!.report_id).not.toBeNull();
    // Answered: it no longer needs the head.
    await expect.poll(() => badgeText(headInbox), { timeout: 15_000 }).toBe(badgeBefore === 0 ? '' : String(badgeBefore));

    // The exec's open inbox follows after its next pull, without a reload, and offers the report.
    await mark(execInbox);
    await syncNow(execInbox);
    await expect.poll(() => execDetail.getByTestId('detail-status').textContent(), { timeout: 15_000 }).toBe('Resolved');
    expect(await marked(execInbox)).toBe(42);
    expect(await execDetail.getByTestId('detail-decision').textContent()).toContain('Decision by Dana Whitfield:');
    // An exec cannot list users; the server names the people the escalation mentions.
    expect(await execDetail.textContent()).toContain('From Eleanor Park to Head of sales');
    expect(await execDetail.getByTestId('audit').textContent()).toContain('Dana Whitfield · resolve');
    await shot(execInbox, 'inbox-report-answered.png');
    const [reportPage] = await Promise.all([exec.context.waitForEvent('page', (opened) => opened.url().includes('/report.html')), execDetail.getByTestId('open-report').click()]);
    const frame = reportPage.frameLocator('[data-testid="report-frame"]');
    await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toMatch(/^Sales weekly report, /);
    expect(await frame.locator('body').textContent()).toContain(formatDay(week));
    // Styled as the server styles it: the extension's CSP allows the report's one style block by its hash.
    expect(await frame.locator('table').first().evaluate((table) => getComputedStyle(table).borderCollapse)).toBe('collapse');
    // The frame runs nothing: an empty sandbox.
    expect(await reportPage.getByTestId('report-frame').getAttribute('sandbox')).toBe('');
    await reportPage.setViewportSize({ width: 1100, height: 900 });
    await shot(reportPage, 'inbox-report.png');

    expect(pageErrors).toEqual([]);
  });
});
