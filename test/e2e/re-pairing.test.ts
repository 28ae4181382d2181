// One browser profile used by two people: a manager captures notes offline, signs out, the head of sales pairs the
// same browser. The head gets their own outbox (a fresh client id, so the server's 403 for someone else's client id
// never stalls it) and never sees the manager's cached notes; the manager's notes stay queued, the options page
// says so, and they reach the server exactly once when the manager pairs again.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { extensionPage, pair, pairingCodeFor } from './notes-support';

type PageGlobal = { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } };
const ask = (page: Page, message: unknown) => page.evaluate((m) => (globalThis as unknown as PageGlobal).chrome.runtime.sendMessage(m), message);
/** A deal of the demo's own tenant (the server's origin), set once the server runs. */
let record: { crm: 'suitecrm'; instance: string; recordType: 'deal'; crmId: string };
const noteId = (who: string, i: number) => `n_${who}_${i}`.padEnd(34, '0');

async function saveNote(page: Page, id: string, text: string): Promise<void> {
  const answer = (await ask(page, { type: 'note-save', id, record, recordTitle: 'Shared-laptop deal', content: { side: 'buyer', text } })) as { ok: boolean };
  expect(answer.ok).toBe(true);
}

/** The options page's Disconnect, as a user signs the browser out (works with the server down too). */
async function disconnect(extension: LaunchedExtension): Promise<void> {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${extension.extensionId}/options.html`);
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByLabel('Server URL').waitFor();
  await page.close();
}

/** What the server's own database holds for these notes: rows and change-log entries per note id. */
function onServer(server: RunningServer, ids: string[]): { notes: { id: string; author: string }[]; logged: number } {
  const db = new Database(join(server.dataDir, 'headway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const marks = ids.map(() => '?').join(', ');
    const notes = db.prepare(`select notes.id, users.email as author from notes join users on users.id = notes.author_id where notes.id in (${marks}) order by notes.id`).all(...ids) as { id: string; author: string }[];
    const logged = (db.prepare(`select count(*) as n from change_log where entity = 'note' and entity_id in (${marks})`).get(...ids) as { n: number }).n;
    return { notes, logged };
  } finally {
    db.close();
  }
}

describe('re-pairing one browser profile as another user', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  const manager = 'priya.shah@northwind.example';
  const head = 'dana.whitfield@northwind.example';
  const managerNotes = [1, 2, 3].map((i) => noteId('priya', i));
  const headNote = noteId('dana', 1);

  beforeAll(async () => {
    server = await startServer();
    record = { crm: 'suitecrm', instance: new URL(server.url).origin, recordType: 'deal', crmId: 're-pairing-deal' };
    extension = await launchWithExtension();
  });

  afterAll(async () => {
    await extension?.close();
    await server?.stop();
    server?.cleanup();
  });

  it('keeps the manager’s offline notes queued while the head syncs, and sends them once when the manager is back', { timeout: 180_000 }, async () => {
    await pair(extension, server, await pairingCodeFor(server, manager));
    const probe = await extensionPage(extension);
    // One note synced first: the server now ties this browser's client id to the manager (403 for anyone else).
    const onlineNote = noteId('priya', 0);
    await saveNote(probe, onlineNote, 'Priya online note');
    await expect.poll(() => onServer(server, [onlineNote]).notes.length, { timeout: 30_000 }).toBe(1);
    await server.stop();
    for (const [i, id] of managerNotes.entries()) await saveNote(probe, id, `Priya offline note ${i + 1}: asked for 10 % off`);
    expect(((await ask(probe, { type: 'sync-get' })) as { pending: number }).pending).toBe(3);
    await disconnect(extension);

    server = await startServer({ dataDir: server.dataDir, port: server.port });
    await pair(extension, server, await pairingCodeFor(server, head));
    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await expect
      .poll(() => options.getByTestId('waiting-elsewhere').textContent().catch(() => ''), { timeout: 20_000 })
      .toContain('3 changes saved in this browser by Priya Shah are waiting');

    // The head's own note syncs; the manager's cached notes are not in the head's sidebar list.
    await saveNote(probe, headNote, 'Dana approved 8 % at most');
    await expect.poll(() => onServer(server, [headNote]).notes, { timeout: 30_000 }).toEqual([{ id: headNote, author: head }]);
    // The head may read the manager's synced note (pulled by role), never her unsent ones from her own cache.
    const listedIds = async () => ((await ask(probe, { type: 'notes-list', record })) as { notes: { id: string }[] }).notes.map((note) => note.id).sort();
    await expect.poll(listedIds, { timeout: 30_000 }).toEqual([headNote, onlineNote].sort());
    expect(((await ask(probe, { type: 'sync-get' })) as { pending: number; failed: number })).toMatchObject({ pending: 0, failed: 0 });
    expect(onServer(server, managerNotes).notes).toEqual([]);

    // The manager pairs again: the three notes land once, as hers.
    await disconnect(extension);
    await pair(extension, server, await pairingCodeFor(server, manager));
    await expect.poll(() => onServer(server, managerNotes).notes.length, { timeout: 30_000 }).toBe(3);
    await ask(probe, { type: 'sync-now' });
    expect(onServer(server, managerNotes)).toEqual({ notes: managerNotes.map((id) => ({ id, author: manager })), logged: 3 });
    expect(((await ask(probe, { type: 'sync-get' })) as { pending: number; waitingElsewhere: unknown[] })).toMatchObject({ pending: 0, waitingElsewhere: [] });
    const back = (await ask(probe, { type: 'notes-list', record })) as { notes: { id: string }[] };
    expect(back.notes.map((note) => note.id)).toEqual(expect.arrayContaining([onlineNote, ...managerNotes]));
  });
});
