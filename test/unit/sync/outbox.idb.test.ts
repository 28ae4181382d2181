import { describe, expect, it } from 'vitest';
import { dealRecord, freshIndexedDB, noteArgs, openTestDb, otherRecord } from './support/fixtures';
import { createOutbox, InvalidMutationError } from '../../../core/sync/outbox.idb';
import { openSyncDb } from '../../../core/sync/db.idb';
import { notesForRecord, upcomingNextSteps } from '../../../core/sync/queries.idb';

const clock = () => Date.UTC(2026, 10, 27, 9, 30);

describe('outbox', () => {
  it('refuses invalid arguments with a readable error and stores nothing', async () => {
    const db = await openTestDb();
    const outbox = createOutbox(db, { clock });
    const bad = { ...noteArgs(1), side: 'neither', discountPct: 140 } as never;
    const error = await outbox.enqueue('note.create', bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidMutationError);
    expect((error as InvalidMutationError).message).toMatch(/note\.create: invalid arguments/);
    expect((error as InvalidMutationError).message).toMatch(/discountPct/);
    expect((error as InvalidMutationError).issues.map((issue) => issue.path.join('.')).sort()).toEqual(['discountPct', 'side']);
    await expect(outbox.enqueue('note.fly' as never, {} as never)).rejects.toThrow(/unknown mutation "note.fly"/);
    expect(await outbox.count()).toBe(0);
    expect(await db.getAll('entities')).toEqual([]);
    // The id counter did not move either: the next valid mutation is still 1.
    expect((await outbox.enqueue('note.create', noteArgs(1))).mutationId).toBe(1);
    db.close();
  });

  it('stores parsed arguments, defaults included', async () => {
    const db = await openTestDb();
    const outbox = createOutbox(db, { clock });
    const { recordTitle: _omitted, ...withoutTitle } = noteArgs(1);
    const entry = await outbox.enqueue('note.create', withoutTitle);
    expect(entry).toMatchObject({ mutationId: 1, name: 'note.create', attempts: 0, createdAt: '2026-11-27T09:30:00.000Z' });
    expect((entry.args as { recordTitle: unknown }).recordTitle).toBeNull();
    expect(await outbox.pending()).toEqual([entry]);
    db.close();
  });

  it('gives strictly increasing ids, also across reopen and concurrent enqueues', async () => {
    const indexedDB = freshIndexedDB();
    let db = await openSyncDb({ indexedDB });
    let outbox = createOutbox(db, { clock });
    const first = await Promise.all([1, 2, 3, 4, 5].map((n) => outbox.enqueue('note.create', noteArgs(n))));
    expect(first.map((entry) => entry.mutationId)).toEqual([1, 2, 3, 4, 5]);
    await outbox.ack(5);
    db.close();
    db = await openSyncDb({ indexedDB });
    outbox = createOutbox(db, { clock });
    // Acknowledged ids are never reused: the server would skip them as duplicates.
    expect((await outbox.enqueue('note.create', noteArgs(6))).mutationId).toBe(6);
    expect((await outbox.enqueue('note.create', noteArgs(7))).mutationId).toBe(7);
    db.close();
  });

  it('shows a new note in the record index at once, in the same transaction as the outbox entry', async () => {
    const db = await openTestDb();
    const outbox = createOutbox(db, { clock });
    await outbox.enqueue('note.create', noteArgs(1, { nextStepDate: '2026-12-02', nextStep: 'send revised quote' }));
    await outbox.enqueue('note.create', noteArgs(2, { record: otherRecord }));
    const notes = await notesForRecord(db, dealRecord);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ id: 'note-1', pending: true, authorId: null, version: 1, deletedAt: null, text: 'call 1: asked for 12 % off' });
    expect((await upcomingNextSteps(db, '2026-11-27')).map((note) => note.nextStep)).toEqual(['send revised quote']);
    db.close();
  });

  it('leaves neither the entry nor the cached note when the transaction aborts', async () => {
    const db = await openTestDb();
    const outbox = createOutbox(db, { clock });
    await outbox.enqueue('note.create', noteArgs(1));
    // Sabotage: an outbox entry already sits at the id the counter hands out next, so `add` fails.
    await db.put('outbox', { mutationId: 2, name: 'note.create', args: noteArgs(50), createdAt: '2026-11-27T09:00:00.000Z', attempts: 0 });
    await expect(outbox.enqueue('note.create', noteArgs(2))).rejects.toThrow();
    expect((await db.get('meta', 'nextMutationId'))?.value).toBe(2);
    expect(await db.get('entities', ['note', 'note-2'])).toBeUndefined();
    db.close();
  });

  it('acknowledges up to an id and moves refused ones to failed, undoing their optimistic effect', async () => {
    const db = await openTestDb();
    const outbox = createOutbox(db, { clock });
    for (const n of [1, 2, 3, 4]) await outbox.enqueue('note.create', noteArgs(n));
    const result = await outbox.ack(3, [
      { mutationId: 1, ok: true },
      { mutationId: 2, ok: false, error: { code: 'forbidden', message: 'not your deal' } },
      { mutationId: 3, ok: true },
    ]);
    expect(result).toEqual({ acknowledged: 2, failed: 1 });
    expect((await outbox.pending()).map((entry) => entry.mutationId)).toEqual([4]);
    const failed = await outbox.failed();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ mutationId: 2, name: 'note.create', error: { code: 'forbidden' } });
    const notes = await notesForRecord(db, dealRecord);
    expect(notes.map((note) => [note.id, note.pending])).toEqual([
      ['note-4', true],
      ['note-3', false],
      ['note-1', false],
    ]);
    db.close();
  });

  it('retries a failed mutation under a new id exactly once, and discards', async () => {
    const db = await openTestDb();
    const outbox = createOutbox(db, { clock });
    await outbox.enqueue('note.create', noteArgs(1));
    await outbox.enqueue('note.create', noteArgs(2));
    expect(await outbox.markFailed(1, { code: 'conflict', message: 'stale' })).toBe(true);
    expect(await outbox.markFailed(1, { code: 'conflict', message: 'again' })).toBe(false);
    await outbox.markFailed(2, { code: 'forbidden', message: 'no' });
    expect(await notesForRecord(db, dealRecord)).toEqual([]);

    const [retried, second] = await Promise.allSettled([outbox.retryFailed(1), outbox.retryFailed(1)]);
    expect(retried.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    expect((await outbox.pending()).map((entry) => [entry.mutationId, (entry.args as { id: string }).id])).toEqual([[3, 'note-1']]);
    expect((await notesForRecord(db, dealRecord)).map((note) => note.id)).toEqual(['note-1']);

    await outbox.discardFailed(2);
    expect(await outbox.failedCount()).toBe(0);
    await expect(outbox.retryFailed(2)).rejects.toThrow(/no failed mutation 2/);
    db.close();
  });

  it('re-validates a failed mutation before retrying it and keeps it when still invalid', async () => {
    const db = await openTestDb();
    const outbox = createOutbox(db, { clock });
    // As if an older extension version had stored arguments today's schema refuses.
    await db.put('failed', {
      mutationId: 9,
      name: 'note.create',
      args: { ...noteArgs(9), discountPct: 500 },
      createdAt: '2026-11-27T09:00:00.000Z',
      failedAt: '2026-11-27T09:01:00.000Z',
      error: { code: 'invalid', message: 'discount' },
    });
    await expect(outbox.retryFailed(9)).rejects.toBeInstanceOf(InvalidMutationError);
    expect(await outbox.failedCount()).toBe(1);
    expect(await outbox.count()).toBe(0);
    db.close();
  });

  it('edits and deletes optimistically, predicting the server version, and hides deleted notes', async () => {
    const db = await openTestDb();
    const outbox = createOutbox(db, { clock });
    await outbox.enqueue('note.create', noteArgs(1, { nextStepDate: '2026-12-01', price: 1200 }));
    await outbox.enqueue('note.update', { id: 'note-1', baseVersion: 1, content: { side: 'buyer', text: 'they accept 8 %' } });
    let [note] = await notesForRecord(db, dealRecord);
    expect(note).toMatchObject({ text: 'they accept 8 %', version: 2 });
    // The content was replaced as a whole: cleared fields are gone from the view and the agenda.
    expect(note?.price).toBeUndefined();
    expect(await upcomingNextSteps(db, '2026-11-01')).toEqual([]);
    await outbox.enqueue('note.delete', { id: 'note-1', baseVersion: 2 });
    expect(await notesForRecord(db, dealRecord)).toEqual([]);
    // Refusing the delete brings the edited note back.
    await outbox.markFailed(3, { code: 'conflict', message: 'stale' });
    [note] = await notesForRecord(db, dealRecord);
    expect(note).toMatchObject({ text: 'they accept 8 %', version: 2, pending: true });
    db.close();
  });

  it('queues a deal capture without caching a guessed deal, and shows a new escalation as open', async () => {
    const db = await openTestDb();
    const outbox = createOutbox(db, { clock });
    await outbox.enqueue('deal.capture', { record: dealRecord, fields: { title: 'Acme renewal', amount: 48_000, currency: 'EUR' } });
    await outbox.enqueue('escalation.create', {
      id: 'esc-1',
      category: 'approval',
      severity: 'high',
      title: 'Discount 18 % needs approval',
      record: dealRecord,
      to: { role: 'head' },
    });
    expect((await outbox.pending()).map((entry) => entry.name)).toEqual(['deal.capture', 'escalation.create']);
    const rows = await db.getAll('entities');
    expect(rows.map((row) => [row.entity, row.entityId, row.pending])).toEqual([['escalation', 'esc-1', [2]]]);
    expect(rows[0]?.data).toMatchObject({ status: 'open', version: 1, body: '', context: {}, comments: [], createdAt: '2026-11-27T09:30:00.000Z' });
    db.close();
  });
});
