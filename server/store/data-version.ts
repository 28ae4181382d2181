import { precompiled } from './precompiled';
import type { Store } from './store';

/**
 * What an answer kept in a process's memory was computed at: the change log's high-water mark and the access epoch
 * (writes to people, tokens, settings and tenants, counted by triggers: migrations/023_access_epoch.ts). Such an
 * answer (a token's owner, a pull's page) is given again only while both are unchanged.
 */
export interface DataVersion {
  seq: number;
  epoch: number;
}

export const sameVersion = (a: DataVersion, b: DataVersion) => a.seq === b.seq && a.epoch === b.epoch;

/**
 * PostgreSQL: how old the version a request is checked against may be. One read of it serves every request of the
 * process within this window, instead of a round trip each (a round trip costs more CPU than a cached answer).
 * Another process's commit may thus go unseen here for up to this long; the poke channel waits as long before it
 * pokes (poke-channel.ts), so a poked client's pull, whichever process answers it, sees the commit it was poked
 * for. A commit of this process is seen by its next request. SQLite: reading is cheaper than a round trip, so
 * every request reads (0).
 */
export function versionLeaseMs(store: Store): number {
  return store.kind === 'postgres' ? 25 : 0;
}

const readVersion = precompiled((db) =>
  db
    .selectFrom('change_counter')
    .innerJoin('access_epoch', (join) => join.onTrue())
    .select(['change_counter.seq', 'access_epoch.epoch'])
    .where('change_counter.id', '=', 1)
    .where('access_epoch.id', '=', 1),
);

interface Lease {
  known: DataVersion | null;
  /** performance.now() when the read that gave `known` was sent: it saw every commit made before. */
  readAt: number;
  /** When this process last committed: a read sent before does not show that commit. */
  movedAt: number;
  reading: { sentAt: number; version: Promise<DataVersion> } | null;
}

const leases = new WeakMap<Store, Lease>();
const leaseOf = (store: Store) => {
  let lease = leases.get(store);
  if (!lease) leases.set(store, (lease = { known: null, readAt: Number.NEGATIVE_INFINITY, movedAt: Number.NEGATIVE_INFINITY, reading: null }));
  return lease;
};

/** The data version as of at most versionLeaseMs ago, and after every commit of this process. */
export async function currentVersion(store: Store): Promise<DataVersion> {
  const lease = leaseOf(store);
  const leaseMs = versionLeaseMs(store);
  const now = performance.now();
  const recent = (sentAt: number) => sentAt >= now - leaseMs && sentAt > lease.movedAt;
  if (leaseMs > 0) {
    if (lease.known && recent(lease.readAt)) return lease.known;
    // A read sent recently enough answers for this request too (under load, one read in flight serves them all).
    if (lease.reading && recent(lease.reading.sentAt)) return lease.reading.version;
  }
  const sentAt = now;
  const version = readVersion(store.db, store.kind, {}).then(({ rows: [row] }) => {
    if (!row) throw new Error('change_counter or access_epoch row is missing');
    const read = { seq: Number(row.seq), epoch: Number(row.epoch) };
    if (sentAt > lease.readAt) Object.assign(lease, { known: read, readAt: sentAt });
    return read;
  });
  const reading = { sentAt, version };
  lease.reading = reading;
  try {
    return await version;
  } finally {
    if (lease.reading === reading) lease.reading = null;
  }
}

/** A commit of this process: its next request reads the version again rather than trust an earlier read. */
export function versionMayHaveMoved(store: Store): void {
  const lease = leases.get(store);
  if (lease) lease.movedAt = performance.now();
}
