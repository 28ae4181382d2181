import { describe, expect, it } from 'vitest';
import { freshIndexedDB, noteArgs, dealRecord } from './support/fixtures';
import { openSyncDb, SYNC_DB_VERSION, newClientId } from '../../../core/sync/db.idb';
import { ClientId } from '../../../core/schema/sync';
import { createOutbox } from '../../../core/sync/outbox.idb';
import { notesForRecord } from '../../../core/sync/queries.idb';
import { recordKey } from '../../../core/sync/optimistic';

describe('sync database', () => {
  it('creates every store at the current version with a valid client id and counters', async () => {
    const db = await openSyncDb({ indexedDB: freshIndexedDB() });
    expect(db.version).toBe(SYNC_DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['entities', 'failed', 'meta', 'outbox']);
    expect([...db.transaction('entities').store.indexNames].sort()).toEqual(['byEntity', 'byNoteNextStep', 'byNoteRecord']);
    const clientId = await db.get('meta', 'clientId');
    expect(ClientId.safeParse(clientId?.value).success).toBe(true);
    expect(await db.get('meta', 'nextMutationId')).toEqual({ key: 'nextMutationId', value: 1 });
    expect(await db.get('meta', 'pullCursor')).toEqual({ key: 'pullCursor', value: 0 });
    db.close();
  });

  it('keeps the client id across reopen and gives separate profiles different ids', async () => {
    const indexedDB = freshIndexedDB();
    const first = await openSyncDb({ indexedDB });
    const id = (await first.get('meta', 'clientId'))?.value;
    first.close();
    const again = await openSyncDb({ indexedDB });
    expect((await again.get('meta', 'clientId'))?.value).toBe(id);
    again.close();
    const other = await openSyncDb({ indexedDB: freshIndexedDB() });
    expect((await other.get('meta', 'clientId'))?.value).not.toBe(id);
    other.close();
  });

  it('builds client ids from all 64 letters of the alphabet', () => {
    const bytes = Uint8Array.from({ length: 22 }, (_, i) => i * 3);
    const id = newClientId(() => bytes);
    expect(id).toHaveLength(22);
    expect(ClientId.safeParse(id).success).toBe(true);
    expect(newClientId(() => new Uint8Array(22).fill(255))).toBe('_'.repeat(22));
  });

  it('upgrades v1 to v2 keeping every queued mutation and indexing cached notes', async () => {
    const indexedDB = freshIndexedDB();
    // A v1 database, built by the same upgrade function stopping at version 1.
    const v1 = await openSyncDb({ indexedDB, version: 1 });
    expect([...v1.objectStoreNames].sort()).toEqual(['entities', 'meta', 'outbox']);
    const clientId = (await v1.get('meta', 'clientId'))?.value;
    const v1Entries = Array.from({ length: 25 }, (_, i) => ({
      mutationId: i + 1,
      name: 'note.create' as const,
      args: noteArgs(i + 1),
      createdAt: '2026-11-27T08:00:00.000Z',
    }));
    const tx = v1.transaction(['outbox', 'meta', 'entities'], 'readwrite');
    // v1 entries have no `attempts`: write them as v1 did.
    for (const entry of v1Entries) await tx.objectStore('outbox').put(entry as never);
    await tx.objectStore('meta').put({ key: 'nextMutationId', value: 26 });
    const cachedNote = { ...noteArgs(99, { nextStepDate: '2026-12-01' }), authorId: 'u1', updatedAt: '2026-11-27T08:00:00.000Z', version: 3, deletedAt: null };
    await tx.objectStore('entities').put({ entity: 'note', entityId: 'note-99', version: 3, base: cachedNote, data: cachedNote, pending: [] } as never);
    await tx.done;
    v1.close();

    const v2 = await openSyncDb({ indexedDB, version: 2 });
    expect(v2.version).toBe(2);
    const outbox = createOutbox(v2, { clock: () => Date.UTC(2026, 10, 27, 10) });
    const pending = await outbox.pending();
    expect(pending.map((entry) => entry.mutationId)).toEqual(v1Entries.map((entry) => entry.mutationId));
    expect(pending.map((entry) => entry.args)).toEqual(v1Entries.map((entry) => entry.args));
    expect(pending.every((entry) => entry.attempts === 0)).toBe(true);
    expect((await v2.get('meta', 'clientId'))?.value).toBe(clientId);
    expect(await outbox.failed()).toEqual([]);
    // The backfilled index finds the note cached under v1.
    expect((await notesForRecord(v2, dealRecord)).map((note) => note.id)).toEqual(['note-99']);
    expect(await v2.getAllKeysFromIndex('entities', 'byNoteNextStep', '2026-12-01')).toEqual([['note', 'note-99']]);
    // The id sequence continues where v1 left it.
    expect((await outbox.enqueue('note.create', noteArgs(26))).mutationId).toBe(26);
    expect(recordKey(dealRecord)).toBe('suitecrm|https://crm.example.test|deal|opp-42');
    await v2.put('meta', { key: 'pullCursor', value: 57 });
    v2.close();

    // v3: records name their tenant, so everything cached is pulled again (with it); the outbox stays.
    const v3 = await openSyncDb({ indexedDB });
    expect(v3.version).toBe(SYNC_DB_VERSION);
    expect((await v3.get('meta', 'pullCursor'))?.value).toBe(0);
    expect((await createOutbox(v3, { clock: () => 0 }).pending()).length).toBe(v1Entries.length + 1);
    v3.close();
  });

  it('closes an old connection when a newer version needs the database', async () => {
    const indexedDB = freshIndexedDB();
    let told = 0;
    const old = await openSyncDb({ indexedDB, version: 1, onVersionChange: () => (told += 1) });
    const upgraded = await openSyncDb({ indexedDB });
    expect(upgraded.version).toBe(SYNC_DB_VERSION);
    expect(told).toBe(1);
    expect(() => old.transaction('outbox')).toThrow();
    upgraded.close();
  });
});
