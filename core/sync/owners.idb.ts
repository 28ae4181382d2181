import { openSyncDb, SYNC_DB_NAME, type OpenSyncDbOptions, type SyncDb } from './db.idb';
import { readMeta } from './meta.idb';
import type { SyncDbOwner } from './records';

/**
 * One sync database (outbox + local cache + client id) per user and server. The server ties a client id to the
 * user who first pushed with it, so a browser re-paired as someone else needs a fresh client id; a fresh database
 * also keeps the first user's cached notes from the second. The first user's unsent changes stay in their own
 * database and go out when they pair this browser again.
 *
 * A database knows its owner (meta `owner`); the name is only where a new one is created. A database with no
 * owner, the pre-existing `headway-sync` of older installs or one that took captures before any pairing, is
 * claimed by the first user who pairs, as the single database always was.
 */

export type OwnerOptions = Omit<OpenSyncDbOptions, 'name'>;

export const sameOwner = (a: Pick<SyncDbOwner, 'serverUrl' | 'userId'>, b: Pick<SyncDbOwner, 'serverUrl' | 'userId'>) =>
  a.serverUrl === b.serverUrl && a.userId === b.userId;

/** Where a new database of this owner is created: readable in devtools, never the unowned name. */
export function ownedSyncDbName(owner: Pick<SyncDbOwner, 'serverUrl' | 'userId'>): string {
  return `${SYNC_DB_NAME}:${owner.serverUrl}:${owner.userId}`;
}

export interface SyncDbSummary {
  name: string;
  owner: SyncDbOwner | null;
  /** Changes in the outbox, not yet acknowledged by the server. */
  pending: number;
  /** Changes the server refused, kept for Retry / Discard. */
  failed: number;
}

/** Every sync database of this profile with its owner and what waits in it. */
export async function listSyncDbs(options: OwnerOptions): Promise<SyncDbSummary[]> {
  const names = await syncDbNames(options.indexedDB);
  const summaries: SyncDbSummary[] = [];
  for (const name of names) {
    // A look only: this connection is closed at once, so the owner's version-change callback is not its business.
    const db = await openSyncDb({ indexedDB: options.indexedDB, version: options.version, randomBytes: options.randomBytes, name }).catch((error: unknown) => {
      // E.g. written by a newer extension version (VersionError): someone else's database must not stop this user's.
      console.warn(`Headway: skipped sync database "${name}"`, error);
      return null;
    });
    if (!db) continue;
    try {
      const [owner, pending, failed] = await Promise.all([readMeta(db.transaction('meta').store, 'owner'), db.count('outbox'), db.count('failed')]);
      summaries.push({ name, owner: owner ?? null, pending, failed });
    } finally {
      db.close();
    }
  }
  return summaries;
}

async function syncDbNames(indexedDB: IDBFactory): Promise<string[]> {
  // indexedDB.databases(): Chromium 71+, Firefox 126+. Without it only the names this code derives are known.
  if (typeof indexedDB.databases !== 'function') return [];
  const all = await indexedDB.databases();
  return all
    .map((info) => info.name)
    .filter((name): name is string => name !== undefined && (name === SYNC_DB_NAME || name.startsWith(`${SYNC_DB_NAME}:`)))
    .sort();
}

/**
 * Opens the sync database of `owner` (null: not paired), creating or claiming it:
 *  1. the database whose meta says it belongs to this owner;
 *  2. otherwise a database with no owner, which this owner claims (its queued captures become theirs to push);
 *  3. otherwise a new database named after the owner.
 * Not paired: a database with no owner, or a new one (captures before pairing wait in it for the first pairing).
 */
export async function openSyncDbFor(options: OwnerOptions & { owner: SyncDbOwner | null; randomSuffix?: () => string }): Promise<SyncDb> {
  const { owner } = options;
  const known = await listSyncDbs(options);
  const own = owner ? known.find((entry) => entry.owner !== null && sameOwner(entry.owner, owner)) : undefined;
  const unowned = known.find((entry) => entry.owner === null);
  const name =
    own?.name ??
    unowned?.name ??
    (owner ? ownedSyncDbName(owner) : known.some((entry) => entry.name === SYNC_DB_NAME) ? `${SYNC_DB_NAME}:unpaired:${(options.randomSuffix ?? randomSuffix)()}` : SYNC_DB_NAME);
  const db = await openSyncDb({ ...options, name });
  if (owner) {
    const stored = await readMeta(db.transaction('meta').store, 'owner');
    // Claimed, created, or the user was renamed: the owner record says who the queued changes belong to.
    if (!stored || stored.userName !== owner.userName) await db.put('meta', { key: 'owner', value: { serverUrl: owner.serverUrl, userId: owner.userId, userName: owner.userName } });
  }
  return db;
}

/** Other users' databases in this profile that still hold changes for the server (pending or refused). */
export async function waitingElsewhere(options: OwnerOptions & { owner: SyncDbOwner | null }): Promise<SyncDbSummary[]> {
  const { owner } = options;
  return (await listSyncDbs(options)).filter(
    (entry) => entry.owner !== null && (owner === null || !sameOwner(entry.owner, owner)) && entry.pending + entry.failed > 0,
  );
}

function randomSuffix(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
