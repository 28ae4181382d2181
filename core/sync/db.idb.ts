import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { indexFields } from './optimistic';
import type { EntityRow, FailedMutation, MetaKey, MetaRecord, OutboxEntry } from './records';

/**
 * The extension's sync database (IndexedDB, through `idb`): outbox, refused mutations, sync
 * metadata and the local cache of pulled entities.
 *
 * Versions:
 *  1 — outbox {mutationId, name, args, createdAt}, meta, entities keyed [entity, entityId] + byEntity.
 *  2 — outbox entries gain `attempts`; `failed` store; entities gain the note indexes
 *      (byNoteRecord for the sidebar, byNoteNextStep for the agenda), backfilled from cached notes.
 *  3 — records name their CRM tenant (`instance`): the pull cursor goes back to 0, so every cached entity is pulled
 *      again with its tenant and re-indexed (a note cached without one would never show on its record's page).
 * Every step runs in the one versionchange transaction, so a crash mid-upgrade leaves the old version.
 */
export const SYNC_DB_NAME = 'headway-sync';
export const SYNC_DB_VERSION = 3;

export interface SyncDbSchema extends DBSchema {
  outbox: { key: number; value: OutboxEntry };
  failed: { key: number; value: FailedMutation };
  meta: { key: MetaKey; value: MetaRecord };
  entities: {
    key: [string, string];
    value: EntityRow;
    indexes: { byEntity: string; byNoteRecord: string; byNoteNextStep: string };
  };
}

export type SyncDb = IDBPDatabase<SyncDbSchema>;
type UpgradeTx = IDBPTransaction<SyncDbSchema, StoreNames<SyncDbSchema>[], 'versionchange'>;

export type UpgradeDeps = {
  /** Source of the client id written when the database is first created. */
  newClientId: () => string;
};

/**
 * The single upgrade function: each `if` is one version step, run only when the database is older
 * than that step and the requested version includes it (so tests can build a v1 database with it).
 */
export function upgradeSyncDb(
  db: SyncDb,
  oldVersion: number,
  newVersion: number,
  tx: UpgradeTx,
  deps: UpgradeDeps,
): void {
  if (oldVersion < 1 && newVersion >= 1) {
    db.createObjectStore('outbox', { keyPath: 'mutationId' });
    const meta = db.createObjectStore('meta', { keyPath: 'key' });
    void meta.put({ key: 'clientId', value: deps.newClientId() });
    void meta.put({ key: 'nextMutationId', value: 1 });
    void meta.put({ key: 'pullCursor', value: 0 });
    const entities = db.createObjectStore('entities', { keyPath: ['entity', 'entityId'] });
    entities.createIndex('byEntity', 'entity');
  }
  if (oldVersion < 2 && newVersion >= 2) {
    db.createObjectStore('failed', { keyPath: 'mutationId' });
    void backfillOutboxAttempts(tx);
    const entities = tx.objectStore('entities');
    entities.createIndex('byNoteRecord', 'noteRecordKey');
    entities.createIndex('byNoteNextStep', 'noteNextStepDate');
    void backfillNoteIndexFields(tx);
  }
  if (oldVersion < 3 && newVersion >= 3 && oldVersion >= 1) {
    void tx.objectStore('meta').put({ key: 'pullCursor', value: 0 });
  }
}

async function backfillOutboxAttempts(tx: UpgradeTx): Promise<void> {
  for (let cursor = await tx.objectStore('outbox').openCursor(); cursor; cursor = await cursor.continue()) {
    if (typeof cursor.value.attempts !== 'number') await cursor.update({ ...cursor.value, attempts: 0 });
  }
}

/** v1 rows predate the index fields; without them cached notes would be missing from the sidebar. */
async function backfillNoteIndexFields(tx: UpgradeTx): Promise<void> {
  for (let cursor = await tx.objectStore('entities').openCursor(); cursor; cursor = await cursor.continue()) {
    if (cursor.value.entity !== 'note') continue;
    await cursor.update({ ...cursor.value, ...indexFields('note', cursor.value.data) });
  }
}

export type OpenSyncDbOptions = {
  /** The IndexedDB factory; the browser's `indexedDB`, or a fresh fake-indexeddb factory in tests. */
  indexedDB: IDBFactory;
  name?: string;
  version?: number;
  /** Random bytes for the client id; defaults to WebCrypto, present in pages and service workers. */
  randomBytes?: (length: number) => Uint8Array;
  /**
   * Called after this connection closed itself because a newer version of the database is being
   * opened (an extension update); the owner should drop its client and open the database again.
   */
  onVersionChange?: () => void;
};

/**
 * Open (creating or upgrading) the sync database. idb's own openDB reads the global `indexedDB`;
 * this takes the factory as an argument so tests get a fresh, isolated one each time.
 */
export function openSyncDb(options: OpenSyncDbOptions): Promise<SyncDb> {
  const version = options.version ?? SYNC_DB_VERSION;
  const randomBytes = options.randomBytes ?? ((length: number) => crypto.getRandomValues(new Uint8Array(length)));
  const request = options.indexedDB.open(options.name ?? SYNC_DB_NAME, version);
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as SyncDb;
    const tx = wrap(request.transaction!) as unknown as UpgradeTx;
    upgradeSyncDb(db, event.oldVersion, event.newVersion ?? version, tx, {
      newClientId: () => newClientId(randomBytes),
    });
  });
  return (wrap(request) as unknown as Promise<SyncDb>).then((db) => {
    // A newer extension version opening the db must not wait forever for this (old) connection.
    db.addEventListener('versionchange', () => {
      db.close();
      options.onVersionChange?.();
    });
    return db;
  });
}

const CLIENT_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** 22 characters of a 64-letter alphabet = 132 random bits; matches ClientId (8–64 of [A-Za-z0-9_-]). */
export function newClientId(randomBytes: (length: number) => Uint8Array): string {
  let id = '';
  for (const byte of randomBytes(22)) id += CLIENT_ID_ALPHABET[byte & 63];
  return id;
}
