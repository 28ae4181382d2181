import type { MetaKey, MetaRecord, PersistedSyncState } from './records';
import type { SyncDb } from './db.idb';

/** Typed access to the `meta` store, usable with any transaction that includes it. */

export type MetaValue<K extends MetaKey> = Extract<MetaRecord, { key: K }>['value'];

type MetaReader = { get(key: MetaKey): Promise<MetaRecord | undefined> };

export async function readMeta<K extends MetaKey>(store: MetaReader, key: K): Promise<MetaValue<K> | undefined> {
  const record = await store.get(key);
  return record?.value as MetaValue<K> | undefined;
}

export const INITIAL_SYNC_STATE: PersistedSyncState = {
  status: 'idle',
  failures: 0,
  nextRetryAt: null,
  lastSyncAt: null,
  lastError: null,
};

export async function loadSyncState(db: SyncDb): Promise<PersistedSyncState> {
  return (await readMeta(db.transaction('meta').store, 'syncState')) ?? INITIAL_SYNC_STATE;
}

export async function saveSyncState(db: SyncDb, state: PersistedSyncState): Promise<void> {
  await db.put('meta', { key: 'syncState', value: state });
}

export async function loadClientId(db: SyncDb): Promise<string> {
  const clientId = await readMeta(db.transaction('meta').store, 'clientId');
  // Written by the v1 upgrade step; missing means the database was tampered with, not a state to recover from.
  if (clientId === undefined) throw new Error('sync database has no client id');
  return clientId;
}

export async function loadPullCursor(db: SyncDb): Promise<number> {
  return (await readMeta(db.transaction('meta').store, 'pullCursor')) ?? 0;
}
