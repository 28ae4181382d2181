import { describe, expect, it } from 'vitest';
import { clientFor, dealRecord, noteArgs, openTestDb, otherRecord } from './support/fixtures';
import { createFakeServer } from './support/fake-server';
import { applyPulledChanges } from '../../../core/sync/pull.idb';
import { notesForRecord, upcomingNextSteps } from '../../../core/sync/queries.idb';

const at = '2026-11-20T10:00:00.000Z';
function serverNote(n: number, overrides: Record<string, unknown> = {}) {
  return { ...noteArgs(n), recordTitle: 'Acme renewal', text: `server note ${n}`, authorId: 'user-7', updatedAt: at, version: 1, deletedAt: null, ...overrides };
}

describe('sync client: pull', () => {
  it('stores every change and the cursor, following `more` page by page', async () => {
    const db = await openTestDb();
    const server = createFakeServer();
    for (let n = 1; n <= 5; n++) server.appendChange('note', `note-${n}`, 1, serverNote(n));
    server.appendChange('deal', 'deal-1', 3, { id: 'deal-1', title: 'Acme renewal' });
    const client = clientFor(db, server, { pullLimit: 2 });
    const state = await client.pull();
    expect(state).toMatchObject({ status: 'idle', lastSyncAt: '2026-11-27T09:00:00.000Z' });
    const pulls = server.requests.filter((request) => request.path === '/api/sync/pull');
    expect(pulls).toHaveLength(3);
    expect((await db.get('meta', 'pullCursor'))?.value).toBe(6);
    expect(await db.get('entities', ['deal', 'deal-1'])).toMatchObject({ version: 3, data: { title: 'Acme renewal' }, pending: [] });
    const notes = await notesForRecord(db, dealRecord);
    expect(notes.map((note) => note.id)).toEqual(['note-5', 'note-4', 'note-3', 'note-2', 'note-1']);
    expect(notes.every((note) => !note.pending && note.authorId === 'user-7')).toBe(true);

    // Next pull starts from the stored cursor and brings only what is new.
    server.appendChange('note', 'note-1', 2, serverNote(1, { text: 'edited on another device', version: 2 }));
    await client.pull();
    expect(server.requests.at(-1)?.path).toBe('/api/sync/pull');
    expect((await db.get('entities', ['note', 'note-1']))?.data).toMatchObject({ text: 'edited on another device', version: 2 });
    expect((await db.get('meta', 'pullCursor'))?.value).toBe(7);
    db.close();
  });

  it('drops an entity that left this reader’s view (data null)', async () => {
    const db = await openTestDb();
    const server = createFakeServer();
    server.appendChange('note', 'note-1', 1, serverNote(1));
    const client = clientFor(db, server);
    await client.pull();
    expect(await notesForRecord(db, dealRecord)).toHaveLength(1);
    server.appendChange('note', 'note-1', 1, null);
    await client.pull();
    expect(await notesForRecord(db, dealRecord)).toEqual([]);
    expect(await db.get('entities', ['note', 'note-1'])).toBeUndefined();
    db.close();
  });

  it('replays pending local edits over newly pulled server state', async () => {
    const db = await openTestDb();
    const server = createFakeServer();
    server.appendChange('note', 'note-1', 1, serverNote(1));
    const client = clientFor(db, server);
    await client.pull();
    // A local edit not pushed yet, then someone else's change to another field arrives first.
    await client.enqueue('note.update', { id: 'note-1', baseVersion: 1, content: { side: 'buyer', text: 'my offline edit' } });
    server.appendChange('note', 'note-1', 1, serverNote(1, { recordTitle: 'Acme renewal 2027' }));
    await client.pull();
    const [note] = await notesForRecord(db, dealRecord);
    expect(note).toMatchObject({ text: 'my offline edit', recordTitle: 'Acme renewal 2027', pending: true, version: 2 });
    // Once pushed and pulled, the server's version is what is shown.
    await client.sync();
    expect((await notesForRecord(db, dealRecord))[0]).toMatchObject({ text: 'my offline edit', pending: false, version: 2, authorId: 'user-7' });
    db.close();
  });

  it('a note saved offline is listed at once and replaced by the server copy after sync', async () => {
    const db = await openTestDb();
    const server = createFakeServer();
    const client = clientFor(db, server);
    await client.enqueue('note.create', noteArgs(1));
    expect((await notesForRecord(db, dealRecord))[0]).toMatchObject({ id: 'note-1', pending: true, authorId: null });
    const state = await client.sync();
    expect(state).toMatchObject({ status: 'idle', pending: 0 });
    expect((await notesForRecord(db, dealRecord))[0]).toMatchObject({ id: 'note-1', pending: false, authorId: 'user-1', version: 1 });
    expect((await db.get('meta', 'pullCursor'))?.value).toBe(1);
    db.close();
  });

  it('stores nothing from a page whose starting cursor is no longer the stored one', async () => {
    const db = await openTestDb();
    await db.put('meta', { key: 'pullCursor', value: 10 });
    const page = { changes: [{ seq: 5, entity: 'note' as const, entityId: 'note-1', version: 1, data: serverNote(1) }], cursor: 5, more: false };
    expect(await applyPulledChanges(db, 4, page)).toBe(false);
    expect((await db.get('meta', 'pullCursor'))?.value).toBe(10);
    expect(await db.getAll('entities')).toEqual([]);
    db.close();
  });

  it('keeps the cursor when the server is unreachable or refuses the token', async () => {
    const db = await openTestDb();
    const server = createFakeServer();
    server.appendChange('note', 'note-1', 1, serverNote(1));
    const client = clientFor(db, server);
    server.setFault('down');
    expect((await client.pull()).status).toBe('offline');
    expect((await db.get('meta', 'pullCursor'))?.value).toBe(0);
    server.setFault('none');
    server.revoke('token-1');
    expect((await client.pull({ force: true })).status).toBe('unauthorized');
    expect((await db.get('meta', 'pullCursor'))?.value).toBe(0);
    db.close();
  });

  it('backs off when the server answers garbage instead of a pull page', async () => {
    const db = await openTestDb();
    const client = clientFor(db, createFakeServer(), {
      fetch: async () => new Response(JSON.stringify({ changes: 'nope' }), { status: 200 }),
    });
    const state = await client.pull();
    expect(state).toMatchObject({ status: 'error', lastError: 'pull: malformed pull response' });
    expect(state.nextRetryAt).not.toBeNull();
    db.close();
  });
});

describe('queries', () => {
  it('lists a record’s notes newest first, merging pulled and optimistic, hiding deleted ones', async () => {
    const db = await openTestDb();
    const server = createFakeServer();
    server.appendChange('note', 'note-1', 1, serverNote(1, { createdAt: '2026-11-01T08:00:00.000Z' }));
    server.appendChange('note', 'note-2', 2, serverNote(2, { createdAt: '2026-11-02T08:00:00.000Z', deletedAt: at, version: 2 }));
    server.appendChange('note', 'note-3', 1, serverNote(3, { createdAt: '2026-11-03T08:00:00.000Z', record: otherRecord }));
    const client = clientFor(db, server);
    await client.pull();
    await client.outbox.enqueue('note.create', noteArgs(4, { createdAt: '2026-11-04T08:00:00.000Z' }));
    await client.outbox.enqueue('note.create', noteArgs(5, { createdAt: '2026-10-30T08:00:00.000Z' }));
    const notes = await notesForRecord(db, dealRecord);
    expect(notes.map((note) => [note.id, note.pending])).toEqual([
      ['note-4', true],
      ['note-1', false],
      ['note-5', true],
    ]);
    expect((await notesForRecord(db, otherRecord)).map((note) => note.id)).toEqual(['note-3']);
    expect(await notesForRecord(db, { crm: 'odoo', instance: 'https://acme.odoo.com', recordType: 'deal', crmId: '1' })).toEqual([]);
    db.close();
  });

  it('lists upcoming next steps from today, soonest first, without past or deleted ones', async () => {
    const db = await openTestDb();
    const server = createFakeServer();
    server.appendChange('note', 'note-1', 1, serverNote(1, { nextStep: 'past call', nextStepDate: '2026-11-26' }));
    server.appendChange('note', 'note-2', 1, serverNote(2, { nextStep: 'deleted', nextStepDate: '2026-11-28', deletedAt: at }));
    server.appendChange('note', 'note-3', 1, serverNote(3, { nextStep: 'send contract', nextStepDate: '2026-12-05' }));
    const client = clientFor(db, server);
    await client.pull();
    await client.outbox.enqueue('note.create', noteArgs(4, { nextStep: 'demo today', nextStepDate: '2026-11-27' }));
    await client.outbox.enqueue('note.create', noteArgs(5, { nextStep: 'no date' }));
    const agenda = await upcomingNextSteps(db, '2026-11-27');
    expect(agenda.map((note) => [note.nextStepDate, note.nextStep])).toEqual([
      ['2026-11-27', 'demo today'],
      ['2026-12-05', 'send contract'],
    ]);
    expect((await upcomingNextSteps(db, '2026-11-27', 1)).map((note) => note.id)).toEqual(['note-4']);
    db.close();
  });
});
