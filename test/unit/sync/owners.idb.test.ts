import { describe, expect, it, vi } from 'vitest';
import { SYNC_DB_NAME, openSyncDb } from '../../../core/sync/db.idb';
import { loadClientId } from '../../../core/sync/meta.idb';
import { listSyncDbs, openSyncDbFor, ownedSyncDbName, waitingElsewhere } from '../../../core/sync/owners.idb';
import { createOutbox } from '../../../core/sync/outbox.idb';
import { notesForRecord } from '../../../core/sync/queries.idb';
import type { SyncDbOwner } from '../../../core/sync/records';
import { dealRecord, freshIndexedDB, noteArgs } from './support/fixtures';

const server = 'https://headway.example.test';
const marco: SyncDbOwner = { serverUrl: server, userId: 'u-marco', userName: 'Marco Rossi' };
const dana: SyncDbOwner = { serverUrl: server, userId: 'u-dana', userName: 'Dana Whitfield' };
const clock = () => Date.UTC(2026, 10, 27, 9);

describe('one sync database per user', () => {
  it('gives a second user a fresh client id and an empty cache, and keeps the first user’s queue for them', async () => {
    const indexedDB = freshIndexedDB();
    const first = await openSyncDbFor({ indexedDB, owner: marco });
    const marcoClient = await loadClientId(first);
    await createOutbox(first, { clock }).enqueue('note.create', noteArgs(1));
    await createOutbox(first, { clock }).enqueue('note.create', noteArgs(2));

    const second = await openSyncDbFor({ indexedDB, owner: dana });
    expect(second.name).toBe(ownedSyncDbName(dana));
    expect(await loadClientId(second)).not.toBe(marcoClient);
    expect(await createOutbox(second, { clock }).count()).toBe(0);
    // Marco's cached (optimistic) notes are not Dana's to read.
    expect(await notesForRecord(second, dealRecord)).toEqual([]);
    expect((await waitingElsewhere({ indexedDB, owner: dana })).map(({ owner, pending, failed }) => ({ user: owner?.userName, pending, failed }))).toEqual([
      { user: 'Marco Rossi', pending: 2, failed: 0 },
    ]);
    // Marco sees nothing waiting for others: Dana's database holds no changes.
    expect(await waitingElsewhere({ indexedDB, owner: marco })).toEqual([]);
    first.close();
    second.close();

    // Marco pairs again: his own database, same client id, both changes still queued (mutation ids 1 and 2).
    const back = await openSyncDbFor({ indexedDB, owner: marco });
    expect(back.name).toBe(first.name);
    expect(await loadClientId(back)).toBe(marcoClient);
    expect((await createOutbox(back, { clock }).pending()).map((entry) => entry.mutationId)).toEqual([1, 2]);
    expect((await notesForRecord(back, dealRecord)).map((note) => note.id).sort()).toEqual(['note-1', 'note-2']);
    back.close();
  });

  it('lets the first user who pairs claim the database of an older install, with its queue and client id', async () => {
    const indexedDB = freshIndexedDB();
    const legacy = await openSyncDb({ indexedDB });
    expect(legacy.name).toBe(SYNC_DB_NAME);
    const legacyClient = await loadClientId(legacy);
    await createOutbox(legacy, { clock }).enqueue('note.create', noteArgs(7));
    legacy.close();

    const claimed = await openSyncDbFor({ indexedDB, owner: marco });
    expect(claimed.name).toBe(SYNC_DB_NAME);
    expect(await loadClientId(claimed)).toBe(legacyClient);
    expect((await createOutbox(claimed, { clock }).pending()).map((entry) => entry.args)).toMatchObject([{ id: 'note-7' }]);
    claimed.close();
    expect(await listSyncDbs({ indexedDB })).toEqual([{ name: SYNC_DB_NAME, owner: marco, pending: 1, failed: 0 }]);
    // Claimed once: the next user does not get it.
    const other = await openSyncDbFor({ indexedDB, owner: dana });
    expect(other.name).toBe(ownedSyncDbName(dana));
    other.close();
  });

  it('keeps captures made before pairing for the first user who pairs, and a disconnected browser starts a new unowned database', async () => {
    const indexedDB = freshIndexedDB();
    const unpaired = await openSyncDbFor({ indexedDB, owner: null });
    await createOutbox(unpaired, { clock }).enqueue('note.create', noteArgs(3));
    unpaired.close();
    const paired = await openSyncDbFor({ indexedDB, owner: dana });
    expect(paired.name).toBe(unpaired.name);
    expect(await createOutbox(paired, { clock }).count()).toBe(1);
    paired.close();

    // Dana disconnects: what is saved now must not land in Dana's database (nor show her cache).
    const afterDisconnect = await openSyncDbFor({ indexedDB, owner: null, randomSuffix: () => 'abc123' });
    expect(afterDisconnect.name).toBe(`${SYNC_DB_NAME}:unpaired:abc123`);
    expect(await notesForRecord(afterDisconnect, dealRecord)).toEqual([]);
    afterDisconnect.close();
    expect((await waitingElsewhere({ indexedDB, owner: null })).map((entry) => entry.owner?.userName)).toEqual(['Dana Whitfield']);
  });

  it('tells users apart by server as well as by id, and records a renamed user’s new name', async () => {
    const indexedDB = freshIndexedDB();
    (await openSyncDbFor({ indexedDB, owner: marco })).close();
    const elsewhere = { ...marco, serverUrl: 'https://other.example.test' };
    const other = await openSyncDbFor({ indexedDB, owner: elsewhere });
    expect(other.name).toBe(ownedSyncDbName(elsewhere));
    other.close();
    (await openSyncDbFor({ indexedDB, owner: { ...marco, userName: 'Marco R. Rossi' } })).close();
    const owners = (await listSyncDbs({ indexedDB })).map((entry) => entry.owner);
    expect(owners).toContainEqual({ ...marco, userName: 'Marco R. Rossi' });
    expect(owners).toHaveLength(2);
  });
});

describe('a sync database this version cannot open', () => {
  it('is skipped when looking for the user’s own database, instead of stopping sync', async () => {
    const indexedDB = freshIndexedDB();
    const newer = await openSyncDb({ indexedDB, name: `${SYNC_DB_NAME}:from-a-newer-version`, version: 99 });
    newer.close();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const own = await openSyncDbFor({ indexedDB, owner: marco });
    expect(own.name).toBe(ownedSyncDbName(marco));
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    own.close();
  });
});
