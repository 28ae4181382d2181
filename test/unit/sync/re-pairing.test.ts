import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { PushRequest, type User } from '../../../core/schema';
import type { SyncSummary } from '../../../extension/sync/messages';
import { createNoteRequests } from '../../../extension/background/sync/note-requests';
import { createSyncRunner } from '../../../extension/background/sync/runner';
import { saveSession } from '../../../extension/session';
import { dealRecord } from './support/fixtures';

const serverUrl = 'http://127.0.0.1:9';
const person = (id: string, name: string, role: User['role']): User => ({
  id, name, email: `${id}@example.com`, role, team: 'Sales', capacity: 100, segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [], createdAt: '2026-01-01T00:00:00Z',
});
const manager = person('u-marco', 'Marco Rossi', 'manager');
const head = person('u-dana', 'Dana Whitfield', 'head');

/**
 * The server's side of the contract that matters here: a client id belongs to the user who first pushed with it
 * (403 for anyone else), and each client's mutations are applied once, in order. `down` makes every call fail.
 */
function server() {
  const users = new Map([['token-marco', manager.id], ['token-marco-2', manager.id], ['token-dana', head.id]]);
  const owners = new Map<string, string>();
  const last = new Map<string, number>();
  const applied: { userId: string; clientId: string; mutationId: number; noteId: string }[] = [];
  let down = true;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    if (down) throw new TypeError('Failed to fetch');
    const userId = users.get(String(new Headers(init?.headers).get('authorization')).replace(/^Bearer /, ''));
    if (!userId) return json(401, { error: 'unauthorized', message: 'no' });
    if (String(url).includes('/api/sync/pull')) return json(200, { changes: [], cursor: 0, more: false });
    const request = PushRequest.parse(JSON.parse(String(init?.body)));
    if ((owners.get(request.clientId) ?? userId) !== userId) return json(403, { error: 'forbidden', message: 'This client id belongs to another user.' });
    owners.set(request.clientId, userId);
    let done = last.get(request.clientId) ?? 0;
    for (const mutation of request.mutations) {
      if (mutation.mutationId <= done) continue;
      done = mutation.mutationId;
      applied.push({ userId, clientId: request.clientId, mutationId: mutation.mutationId, noteId: (mutation.args as { id: string }).id });
    }
    last.set(request.clientId, done);
    return json(200, { lastMutationId: done, results: request.mutations.map((m) => ({ mutationId: m.mutationId, ok: true })) });
  }) as typeof globalThis.fetch;
  return { fetch, applied, setDown: (value: boolean) => (down = value) };
}

async function pairAs(user: User, token: string): Promise<void> {
  await saveSession(fakeBrowser.storage.local, { serverUrl, token, user, config: null, state: 'online', lastContactAt: null, problem: null });
}

describe('re-pairing one browser profile as another user', () => {
  it('gives the new user their own outbox, keeps the previous user’s changes queued and says so, and sends them once when that user pairs again', async () => {
    fakeBrowser.reset();
    const api = server();
    const summaries: SyncSummary[] = [];
    const runner = createSyncRunner({
      indexedDB: new IDBFactory(),
      storage: fakeBrowser.storage.local,
      fetch: api.fetch,
      clock: () => Date.UTC(2026, 10, 27, 9),
      scheduleRetry: () => undefined,
      onSummary: (summary) => summaries.push(summary),
    });
    const notes = createNoteRequests({ runner, storage: fakeBrowser.storage.local, captureStorage: fakeBrowser.storage.session });
    const save = (id: string, text: string) => notes.handle({ type: 'note-save', id, record: dealRecord, recordTitle: 'Acme renewal', content: { side: 'buyer', text } });

    // The manager captures two notes on the train.
    await pairAs(manager, 'token-marco');
    expect(await save('n-marco-1', 'asked for 12 % off')).toMatchObject({ ok: true });
    expect(await save('n-marco-2', 'offered 8 %')).toMatchObject({ ok: true });
    await runner.sync(true);
    expect((await runner.summary()).pending).toBe(2);

    // The head pairs the same profile; the server is back.
    await pairAs(head, 'token-dana');
    runner.sessionChanged();
    api.setDown(false);
    expect(await save('n-dana-1', 'approved 8 %')).toMatchObject({ ok: true });
    const headList = (await notes.handle({ type: 'notes-list', record: dealRecord })) as { notes: { id: string }[] };
    expect(headList.notes.map((note) => note.id)).toEqual(['n-dana-1']);
    const afterHead = await runner.sync(true);
    expect(afterHead).toMatchObject({ status: 'idle', pending: 0, failed: 0 });
    expect(api.applied.map((entry) => [entry.userId, entry.noteId])).toEqual([[head.id, 'n-dana-1']]);
    expect((await runner.summary()).waitingElsewhere).toEqual([{ userName: 'Marco Rossi', serverUrl, pending: 2, failed: 0 }]);

    // The manager pairs again (a new token): his two notes go out once, under his own client id.
    await pairAs(manager, 'token-marco-2');
    runner.sessionChanged();
    expect(await runner.sync(true)).toMatchObject({ pending: 0, failed: 0 });
    await runner.sync(true);
    const marcos = api.applied.filter((entry) => entry.userId === manager.id);
    expect(marcos.map((entry) => [entry.mutationId, entry.noteId])).toEqual([[1, 'n-marco-1'], [2, 'n-marco-2']]);
    expect(new Set(api.applied.map((entry) => entry.clientId)).size).toBe(2);
    expect((await runner.summary()).waitingElsewhere).toEqual([]);
    const managerList = (await notes.handle({ type: 'notes-list', record: dealRecord })) as { notes: { id: string }[] };
    expect(managerList.notes.map((note) => note.id).sort()).toEqual(['n-marco-1', 'n-marco-2']);
  });
});
