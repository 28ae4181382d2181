import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay, formatDayMonth } from '../../core/format/date-time';
import { dayNumber, isoDate } from '../../core/plan/calendar';
import { formatMoney } from '../../core/format/money';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { measureSaveToIndexedDb } from './measure-save';
import { badgeText, extensionPage, openDemoDeal, pair, pairingCodeFor, serverNotes, type ChromeGlobal } from './notes-support';

const MANAGER = 'marco.rossi@northwind.example';

/** Tab order of the form after the focused first field (the Buyer radio); the Seller radio is skipped by Tab. */
async function typeNote(page: Page, fields: { contact: string; text: string; asked?: string; offered?: string; price?: string; discount?: string }) {
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.contact);
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.text);
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.asked ?? '');
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.offered ?? '');
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.price ?? '');
  await page.keyboard.press('Tab');
  await page.keyboard.type(fields.discount ?? '');
}

const focusedField = (page: Page) =>
  page.getByTestId('note-form').evaluate((form) => {
    const active = (form.getRootNode() as Document).activeElement as HTMLInputElement | null;
    return active ? `${active.tagName.toLowerCase()}:${active.type ?? ''}:${active.value}` : null;
  });

describe('negotiation notes in real Chromium, against a real server', () => {
  let server: RunningServer;
  let manager: LaunchedExtension;
  let head: LaunchedExtension | undefined;
  let probe: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    manager = await launchWithExtension();
    manager.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    await pair(manager, server, await pairingCodeFor(server, MANAGER));
    probe = await extensionPage(manager);
  });

  afterAll(async () => {
    await head?.close();
    await manager?.close();
    await server?.stop();
    server?.cleanup();
  });

  it('captures a note with the keyboard: listed at once, saved with Ctrl+Enter, on the server once', async () => {
    const page = await manager.context.newPage();
    const { name, panel } = await openDemoDeal(page, server, manager);
    await expect.poll(() => panel.getByTestId('sync-status').textContent(), { timeout: 15_000 }).toBe('Online · all saved');

    await panel.getByTestId('add-note').click();
    await panel.getByTestId('note-form').waitFor();
    // Focus lands on the first field, so the keyboard user can start at once.
    await expect.poll(() => focusedField(panel)).toBe('input:radio:buyer');
    // The form opens scrolled to its top, not with its first field at the panel's bottom edge.
    await expect.poll(async () => (await panel.getByTestId('note-form').boundingBox())?.y).toBeLessThan(40);
    expect((await panel.getByTestId('note-form').boundingBox())!.y).toBeGreaterThanOrEqual(0);
    // The price is taken in the deal's currency, and says so.
    const currency = (await panel.locator('label[for="hw-note-price"]').textContent())!.match(/^Price, ([A-Z]{3})$/)?.[1];
    expect(currency).toBeDefined();
    await typeNote(panel, { contact: 'Jane Doe, procurement', text: 'Wants the renewal before Q1.', asked: '15 % off', offered: '8 %', price: '12 500,50', discount: '8' });
    await panel.keyboard.press('Control+Enter');

    await panel.getByTestId('note-form').waitFor({ state: 'detached' });
    const item = panel.getByTestId('note-item').first();
    expect(await item.getByTestId('note-text').textContent()).toBe('Wants the renewal before Q1.');
    expect(await item.textContent()).toContain('Jane Doe, procurement');
    expect(await item.locator('.hw-note-detail').filter({ hasText: 'Price' }).textContent()).toBe(`Price ${formatMoney(12500.5, currency, 2)}`);
    // The side badge reads "Buyer" on one line, never "Buy/er" (one line box per line of its text).
    const badgeLines = await item.locator('.hw-chip').first().evaluate((chip) => {
      const range = document.createRange();
      range.selectNodeContents(chip);
      return { text: chip.textContent, lines: range.getClientRects().length };
    });
    expect(badgeLines).toEqual({ text: 'Buyer', lines: 1 });
    // Saved locally first; the marker goes once the server acknowledged it.
    await expect.poll(() => panel.getByTestId('note-pending').count(), { timeout: 10_000 }).toBe(0);
    const stored = serverNotes(server);
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0]!.content)).toMatchObject({ side: 'buyer', contact: 'Jane Doe, procurement', asked: '15 % off', offered: '8 %', price: 12500.5, discountPct: 8 });
    expect(await panel.getByTestId('sync-status').textContent()).toBe('Online · all saved');
    expect(await badgeText(probe)).toBe('');
    await page.close();
  });

  it('refuses a bad value with a clear message and saves nothing; Esc keeps the draft, Cancel drops it', async () => {
    const page = await manager.context.newPage();
    const { panel } = await openDemoDeal(page, server, manager);
    await panel.getByTestId('add-note').click();
    await panel.getByLabel('Note', { exact: true }).fill('Discount typo');
    await panel.getByLabel('Discount %').fill('150');
    await panel.getByLabel('Note', { exact: true }).press('Control+Enter');
    await expect.poll(() => panel.getByTestId('note-problems').textContent()).toMatch(/^Discount %: .*100/);
    await panel.getByLabel('Price').fill('twelve');
    await panel.getByLabel('Discount %').fill('10');
    await panel.getByRole('button', { name: /^Save/ }).click();
    await expect.poll(() => panel.getByTestId('note-problems').textContent()).toBe('Price: Enter the price as a number, such as 12500 or 12 500,50.');
    await panel.keyboard.press('Escape');
    await panel.getByTestId('note-form').waitFor({ state: 'detached' });
    expect(await panel.getByTestId('note-item').count()).toBe(1);
    expect(serverNotes(server)).toHaveLength(1);
    // Focus is back on "Add note"; Enter opens the form again, with what was typed.
    const focusedTestId = () =>
      panel.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    await expect.poll(focusedTestId).toBe('add-note');
    await panel.keyboard.press('Enter');
    await expect.poll(() => panel.getByLabel('Price').inputValue()).toBe('twelve');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await panel.getByTestId('add-note').click();
    await panel.getByTestId('note-form').waitFor();
    await page.waitForTimeout(200);
    expect(await panel.getByLabel('Price').inputValue()).toBe('');
    await panel.keyboard.press('Escape');
    await page.close();
  });

  it('keeps an unsent draft across closing the tab, and clears it on save', async () => {
    let page = await manager.context.newPage();
    let { panel } = await openDemoDeal(page, server, manager);
    await panel.getByTestId('add-note').click();
    await panel.getByLabel('Next step', { exact: true }).fill('Send the revised quote');
    await panel.getByLabel('Note', { exact: true }).fill('Draft that must not be lost');
    await page.waitForTimeout(300);
    await page.close();

    page = await manager.context.newPage();
    ({ panel } = await openDemoDeal(page, server, manager));
    await panel.getByTestId('add-note').click();
    await expect.poll(() => panel.getByLabel('Note', { exact: true }).inputValue()).toBe('Draft that must not be lost');
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000);
    const date = `${inTwoDays.getFullYear()}-${String(inTwoDays.getMonth() + 1).padStart(2, '0')}-${String(inTwoDays.getDate()).padStart(2, '0')}`;
    // Typed and read as every page writes a day ("9 Dec 2026"), not as the browser's own field would (mm/dd/yyyy
    // in this en-US browser); the arrow keys step it by a day.
    const dateField = panel.getByLabel('Next step date');
    expect([await dateField.getAttribute('type'), await dateField.getAttribute('placeholder')]).toEqual(['text', 'd mmm yyyy']);
    await dateField.fill(formatDay(isoDate(dayNumber(date) - 1)));
    await dateField.press('ArrowUp');
    expect(await dateField.inputValue()).toBe(formatDay(date));
    await panel.getByLabel('Note', { exact: true }).press('Control+Enter');
    await panel.getByTestId('note-form').waitFor({ state: 'detached' });
    expect(await panel.getByTestId('note-text').first().textContent()).toBe('Draft that must not be lost');
    // The agenda lists it among the next 7 days.
    await expect.poll(() => panel.getByTestId('next-steps').textContent()).toContain(`${formatDayMonth(date)} Send the revised quote`);
    const keys = await probe.evaluate(async () => Object.keys(await (globalThis as unknown as ChromeGlobal).chrome.storage.local.get(null)));
    expect(keys.filter((key) => key.startsWith('headway.draft:'))).toEqual([]);
    await expect.poll(() => serverNotes(server).length, { timeout: 10_000 }).toBe(2);
    await page.close();
  });

  it('offline: the note waits with "1 waiting to sync" and the badge, then reaches the restarted server exactly once', async () => {
    const page = await manager.context.newPage();
    const { panel } = await openDemoDeal(page, server, manager);
    const before = serverNotes(server).length;
    await server.stop();
    await expect.poll(() => panel.getByTestId('sync-status').textContent(), { timeout: 15_000 }).toBe('Offline — changes wait here');

    await panel.getByTestId('add-note').click();
    await panel.getByLabel('Note', { exact: true }).fill('Captured while the server was down');
    await panel.getByLabel('Note', { exact: true }).press('Control+Enter');
    await panel.getByTestId('note-form').waitFor({ state: 'detached' });
    expect(await panel.getByTestId('note-item').first().getByTestId('note-pending').textContent()).toBe('waiting to sync');
    await expect.poll(() => panel.getByTestId('sync-status').textContent()).toBe('Offline — 1 waiting to sync');
    await expect.poll(() => badgeText(probe)).toBe('1');

    server = await startServer({ dataDir: server.dataDir, port: server.port });
    await expect.poll(() => panel.getByTestId('sync-status').textContent(), { timeout: 20_000 }).toBe('Online · all saved');
    expect(await badgeText(probe)).toBe('');
    expect(serverNotes(server, "json_extract(content, '$.text') = ?", 'Captured while the server was down')).toHaveLength(1);
    expect(serverNotes(server)).toHaveLength(before + 1);
    await page.close();
  });

  it('edits an own note, and shows a stale edit as "changed elsewhere" instead of overwriting', async () => {
    const page = await manager.context.newPage();
    const { panel } = await openDemoDeal(page, server, manager);
    const item = panel.getByTestId('note-item').filter({ hasText: 'Wants the renewal before Q1.' });
    await item.getByRole('button', { name: 'Edit' }).click();
    await expect.poll(() => panel.getByLabel('Note', { exact: true }).inputValue()).toBe('Wants the renewal before Q1.');
    await panel.getByLabel('Note', { exact: true }).fill('Wants the renewal signed before Q1.');
    await panel.getByLabel('Note', { exact: true }).press('Control+Enter');
    await panel.getByTestId('note-form').waitFor({ state: 'detached' });
    await expect.poll(() => serverNotes(server, "json_extract(content, '$.text') = ?", 'Wants the renewal signed before Q1.').map((note) => note.version)).toEqual([2]);

    // An edit based on version 1 (from a second tab that had it open) reaches the server after version 2.
    const id = serverNotes(server, "json_extract(content, '$.text') = ?", 'Wants the renewal signed before Q1.')[0]!.id;
    const answer = await probe.evaluate(
      (noteId) =>
        (globalThis as unknown as ChromeGlobal).chrome.runtime.sendMessage({
          type: 'note-save', id: noteId, baseVersion: 1, record: null, recordTitle: null, content: { side: 'buyer', text: 'stale edit from another tab' },
        }),
      id,
    );
    expect(answer).toMatchObject({ ok: true });
    const failures = panel.getByTestId('sync-failures');
    await expect.poll(() => failures.textContent(), { timeout: 10_000 }).toContain('Changed elsewhere — reload');
    expect(await panel.getByTestId('sync-status').textContent()).toBe('Online · 1 not accepted — see above');
    // The server kept version 2; Reload drops the stale edit and shows the note as the server has it.
    expect(serverNotes(server, 'id = ?', id).map((note) => note.version)).toEqual([2]);
    await failures.getByRole('button', { name: 'Reload' }).click();
    await failures.waitFor({ state: 'detached' });
    await expect.poll(() => panel.getByTestId('note-text').allTextContents()).toContain('Wants the renewal signed before Q1.');
    expect(await panel.getByTestId('sync-status').textContent()).toBe('Online · all saved');
    await page.close();
  });

  it('a head of sales on another paired browser sees the manager’s notes after a pull, read-only', async () => {
    head = await launchWithExtension();
    head.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    await pair(head, server, server.pairingCode);
    // Opened first: a tab opened later would take the CRM tab's place in the window, and hide its side panel.
    const headProbe = await extensionPage(head);
    const page = await head.context.newPage();
    const { panel } = await openDemoDeal(page, server, head);
    await expect.poll(() => panel.getByTestId('note-text').allTextContents(), { timeout: 15_000 }).toEqual([
      'Captured while the server was down',
      'Draft that must not be lost',
      'Wants the renewal signed before Q1.',
    ]);
    expect(await panel.getByTestId('notes-list').getByRole('button', { name: 'Edit' }).count()).toBe(0);

    // The server, not the hidden button, is what refuses: a delete sent anyway is listed with Retry / Discard.
    const [target] = serverNotes(server, "json_extract(content, '$.text') = ?", 'Draft that must not be lost');
    expect(await headProbe.evaluate((id) => (globalThis as unknown as ChromeGlobal).chrome.runtime.sendMessage({ type: 'note-delete', id, baseVersion: 1 }), target!.id)).toEqual({ ok: true });
    const failures = panel.getByTestId('sync-failures');
    await expect.poll(() => failures.textContent(), { timeout: 10_000 }).toContain('Only the author may change a note.');
    expect(await failures.getByRole('button', { name: 'Retry' }).count()).toBe(1);
    await failures.getByRole('button', { name: 'Discard' }).click();
    await failures.waitFor({ state: 'detached' });
    // Its optimistic effect is undone: the note is back in the list, and still live on the server.
    await expect.poll(() => panel.getByTestId('note-text').allTextContents()).toContain('Draft that must not be lost');
    expect(serverNotes(server, 'id = ?', target!.id).map((note) => note.deleted_at)).toEqual([null]);
    await headProbe.close();
    await page.close();
  });

  it('captures a note on a CRM page that is not a record, not tied to any record', async () => {
    const page = await manager.context.newPage();
    await page.goto(`${server.url}/demo/index.php?module=Opportunities&action=index`);
    // A list is no record, so a click on it opens nothing: the toolbar's button does.
    const popup = await manager.openToolbarPopup();
    await popup.getByTestId('open-panel').click();
    const panel = await manager.panelOf(page);
    await panel.getByTestId('not-a-record').waitFor();
    await panel.getByTestId('add-note').click();
    await panel.getByLabel('Note', { exact: true }).fill('Pipeline review: chase the three stalled deals');
    await panel.getByLabel('Note', { exact: true }).press('Control+Enter');
    await panel.getByTestId('note-form').waitFor({ state: 'detached' });
    await expect
      .poll(() => serverNotes(server, "json_extract(content, '$.text') = ? and crm is null and crm_id is null", 'Pipeline review: chase the three stalled deals').length, { timeout: 10_000 })
      .toBe(1);
    await page.close();
  });

  it('deletes an own note softly: gone from the list, kept on the server with deletedAt', async () => {
    const page = await manager.context.newPage();
    const { panel } = await openDemoDeal(page, server, manager);
    const item = panel.getByTestId('note-item').filter({ hasText: 'Captured while the server was down' });
    await item.getByRole('button', { name: 'Delete' }).click();
    await item.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => panel.getByTestId('note-text').allTextContents()).not.toContain('Captured while the server was down');
    await expect
      .poll(() => serverNotes(server, "json_extract(content, '$.text') = ?", 'Captured while the server was down').map((note) => note.deleted_at !== null), { timeout: 10_000 })
      .toEqual([true]);
    await page.close();
  });

  it('measures save → in IndexedDB (for the benchmark) and every measured note reaches the server', async () => {
    const before = serverNotes(server).length;
    const result = await measureSaveToIndexedDb(probe, { instance: new URL(server.url).origin, samples: 200, warmup: 20 });
    console.log(`[save → IndexedDB, Chromium] median ${result.medianMs.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms, max ${result.maxMs.toFixed(2)} ms; round trip from the page median ${result.roundTripMedianMs.toFixed(2)} ms (n=${result.samples})`);
    expect(result.samples).toBe(200);
    expect(result.medianMs).toBeLessThanOrEqual(result.p95Ms);
    await expect.poll(() => serverNotes(server).length, { timeout: 20_000 }).toBe(before + 220);
  });

  it('raised no errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
