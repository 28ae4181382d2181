import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { openDemoDeal, pair, pairingCodeFor, type ChromeGlobal } from './notes-support';

const MANAGER = 'marco.rossi@northwind.example';
const HEAD = 'dana.whitfield@northwind.example';
const EXEC = 'eleanor.park@northwind.example';

type Row = { id: string; status: string; title: string; to_role: string | null; crm_id: string | null; context: string; decision: string | null };

/** What the server's own database holds, independent of any API. */
function serverEscalations(server: RunningServer): Row[] {
  const db = new Database(join(server.dataDir, 'headway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select id, status, title, to_role, crm_id, context, decision from escalations order by created_at').all() as Row[];
  } finally {
    db.close();
  }
}

/** The n-th deal of the demo list (0 = the first); each test escalates its own so none joins another's thread. */
const openNthDeal = (page: Page, server: RunningServer, extension: LaunchedExtension, n: number) => openDemoDeal(page, server, extension, n);

/** The escalate window the background opens after a click on the panel's Escalate. */
async function clickEscalate(context: BrowserContext, panel: Page): Promise<Page> {
  const [window] = await Promise.all([context.waitForEvent('page', (opened) => opened.url().includes('/escalate.html')), panel.getByTestId('escalate').click()]);
  await window.getByTestId('escalate-window').waitFor();
  return window;
}

/** The panel's escalation line once a sync brought the latest: reloading the panel connects a live port, which syncs. */
function sidebarLineAfterSync(panel: Page) {
  return expect.poll(
    async () => {
      await panel.reload();
      return panel.getByTestId('escalation-status').textContent({ timeout: 3000 }).catch(() => null);
    },
    { timeout: 30_000, interval: 1000 },
  );
}

/** A background request from an extension page, as the inbox sends it. */
function ask(page: Page, message: unknown): Promise<unknown> {
  return page.evaluate((m) => (globalThis as unknown as ChromeGlobal).chrome.runtime.sendMessage(m), message);
}

describe('one-click escalation to management, in real Chromium against the seeded demo', () => {
  let server: RunningServer;
  let manager: LaunchedExtension;
  let head: LaunchedExtension;
  let exec: LaunchedExtension | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    manager = await launchWithExtension();
    head = await launchWithExtension();
    for (const extension of [manager, head]) extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    await pair(manager, server, await pairingCodeFor(server, MANAGER));
    await pair(head, server, await pairingCodeFor(server, HEAD));
  });

  afterAll(async () => {
    await exec?.close();
    await head?.close();
    await manager?.close();
    await server?.stop();
    server?.cleanup();
  });

  it('a manager escalates a deal in one click; the head acknowledges and resolves it in the inbox; the sidebar shows the decision', async () => {
    const page = await manager.context.newPage();
    const { name: dealName, panel } = await openDemoDeal(page, server, manager);
    const window = await clickEscalate(manager.context, panel);
    expect(await window.locator('.hw-brand').textContent()).toBe('Escalated to Head of sales');

    // On the server at once, with what the page showed, addressed by the default route (manager → head).
    await expect.poll(() => serverEscalations(server).length, { timeout: 10_000 }).toBe(1);
    const [row] = serverEscalations(server);
    expect(row!.title).toContain(dealName);
    expect(row).toMatchObject({ status: 'open', to_role: 'head' });
    expect(JSON.parse(row!.context)).toMatchObject({ title: dealName });
    expect(row!.crm_id).not.toBeNull();

    await window.setViewportSize({ width: 420, height: 560 });
    await shot(window, 'inbox-escalate-window.png');
    // Refine within the window: the text goes to the server as an edit.
    await window.locator('#hw-body').fill('Customer asks for 18 % off; above my limit.');
    await window.getByTestId('escalate-save').click();
    await expect.poll(() => window.locator('[role=status], [role=alert]').first().textContent()).toBe('Saved.');
    await window.close();

    // Two more from the same manager, so the inbox shows how it orders a morning's worth (most urgent first).
    for (const n of [1, 3]) {
      const other = await manager.context.newPage();
      const { panel: otherPanel } = await openNthDeal(other, server, manager, n);
      const otherWindow = await clickEscalate(manager.context, otherPanel);
      if (n === 3) {
        await otherWindow.locator('#hw-severity').selectOption('high');
        await otherWindow.locator('#hw-category').selectOption('approval');
        await otherWindow.locator('#hw-title').fill('Approval: 20 % discount for a three-year term');
        await otherWindow.getByTestId('escalate-save').click();
        await otherWindow.getByTestId('escalate-notice').waitFor();
      }
      await other.close();
    }
    await expect.poll(() => serverEscalations(server).filter((esc) => esc.status === 'open').length, { timeout: 10_000 }).toBe(3);

    // The head's inbox: it is there, flagged by category; acknowledge, then resolve with a decision.
    const inbox = await head.context.newPage();
    await inbox.setViewportSize({ width: 1440, height: 900 });
    await inbox.goto(`chrome-extension://${head.extensionId}/inbox.html`);
    const item = inbox.getByTestId('inbox-item').filter({ hasText: row!.title });
    await item.click();
    const detail = inbox.getByTestId('escalation-detail');
    await expect.poll(() => detail.getByTestId('detail-context').textContent()).toContain(dealName);
    expect(await detail.textContent()).toContain('Customer asks for 18 % off');
    await detail.getByTestId('act-acknowledge').click();
    await expect.poll(() => inbox.getByTestId('detail-status').textContent()).toBe('Acknowledged');
    // The manager's sidebar names who acknowledged.
    await sidebarLineAfterSync(panel).toBe('Escalated · acknowledged by Dana Whitfield');
    await inbox.getByTestId('form-comment').locator('textarea').fill('Looking at the margin now.');
    await inbox.getByTestId('act-comment').click();
    await expect.poll(() => inbox.getByTestId('thread').textContent()).toContain('Looking at the margin now.');
    await inbox.getByTestId('form-resolve').locator('textarea').fill('Approved up to 15 %, not 18.');
    await shot(inbox, 'inbox.png');
    await inbox.getByTestId('act-resolve').click();
    await expect.poll(() => inbox.getByTestId('detail-decision').textContent()).toContain('Approved up to 15 %, not 18.');
    expect(await inbox.getByTestId('audit').textContent()).toContain('resolve');
    // A transition is named where the status changed, and only there.
    expect(await inbox.getByTestId('audit').textContent()).toContain('(Open → Acknowledged)');
    expect(await inbox.getByTestId('audit').textContent()).not.toContain('Open → Open');
    expect(serverEscalations(server)[0]).toMatchObject({ status: 'resolved', decision: 'Approved up to 15 %, not 18.' });

    // A refused action shows the server's reason: resolving twice is a 409.
    const again = (await ask(inbox, { type: 'escalation-act', id: row!.id, action: { type: 'resolve', decision: 'again' } })) as { ok: boolean; status: number };
    expect(again).toMatchObject({ ok: false, status: 409 });

    // The manager's sidebar says so after a sync.
    await sidebarLineAfterSync(panel).toBe('Resolved by Dana Whitfield: Approved up to 15 %, not 18.');
    await page.close();
    await inbox.close();
  });

  it('Undo in the window takes it back: the escalation is withdrawn on the server', async () => {
    const page = await manager.context.newPage();
    const { panel } = await openNthDeal(page, server, manager, 2);
    const before = serverEscalations(server).length;
    const window = await clickEscalate(manager.context, panel);
    await window.getByTestId('escalate-undo').click();
    await expect.poll(() => serverEscalations(server).length, { timeout: 10_000 }).toBe(before + 1);
    await expect.poll(() => serverEscalations(server).at(-1)?.status, { timeout: 10_000 }).toBe('withdrawn');
    await page.close();
  });

  it('routed to management by the workspace rules: the exec sees it in the inbox, the head does not', async () => {
    const probe = await head.context.newPage();
    await probe.goto(`chrome-extension://${head.extensionId}/popup.html`);
    const session = (await probe.evaluate(() => (globalThis as unknown as ChromeGlobal).chrome.storage.local.get('headway.session'))) as { 'headway.session': { token: string } };
    const response = await fetch(`${server.url}/api/escalation-settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${session['headway.session'].token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rules: { routes: { manager: { role: 'exec' }, head: { role: 'exec' }, exec: { role: 'exec' }, admin: { role: 'exec' } } } }),
    });
    expect(response.status).toBe(200);

    exec = await launchWithExtension();
    await pair(exec, server, await pairingCodeFor(server, EXEC));
    const page = await manager.context.newPage();
    const { panel } = await openNthDeal(page, server, manager, 4);
    const window = await clickEscalate(manager.context, panel);
    expect(await window.locator('.hw-brand').textContent()).toBe('Escalated to Management');
    await expect.poll(() => serverEscalations(server).at(-1)?.to_role, { timeout: 10_000 }).toBe('exec');
    const id = serverEscalations(server).at(-1)!.id;

    const execInbox = await exec.context.newPage();
    await execInbox.goto(`chrome-extension://${exec.extensionId}/inbox.html`);
    await execInbox.locator(`[data-testid="inbox-item"][data-id="${id}"]`).click();
    await execInbox.getByTestId('act-acknowledge').click();
    await expect.poll(() => execInbox.getByTestId('detail-status').textContent()).toBe('Acknowledged');
    expect(serverEscalations(server).at(-1)?.status).toBe('acknowledged');
    const headInbox = (await ask(probe, { type: 'escalations-list', box: 'inbox' })) as { ok: true; data: { escalations: { id: string }[] } };
    expect(headInbox.ok).toBe(true);
    expect(headInbox.data.escalations.map((esc) => esc.id)).not.toContain(id);
    expect(pageErrors).toEqual([]);
    await probe.close();
    await page.close();
  });
});
