import type { Deal } from '../../core/schema';
import type { Store } from '../store/store';
import { dealOfRow } from '../store/deals';
import type { DealsTable } from '../store/tables';
import type { Tx } from '../store/transaction';

/*
 * The open deals load balancing reads, kept in memory per store and brought up to date from the change log, so
 * that GET /api/load at 200,000 open deals reads only the deals written since the last request instead of all of
 * them. The change log is the one record of what changed that every process shares: every path that writes a deal
 * (ingest, CSV import, page capture, the demo seed) logs a `deal` change in the same transaction, which pull
 * depends on as well. Each request reads the database's sequence first, so a cache never answers for a state
 * older than what another server process has committed.
 */

/** Open deals with an owner, as stored (approved moves not applied). Replaced, never changed in place. */
export interface OpenDealsSnapshot {
  /** Bumped only when a deal in it changed: the key of the suggestions computed from it. */
  version: number;
  deals: readonly Deal[];
  byId: ReadonlyMap<string, Deal>;
}

const counts = (row: Pick<DealsTable, 'status' | 'owner_id'>) => row.status === 'open' && row.owner_id !== null;

/** Every open deal with an owner, read in pages by id so that no single statement holds the whole table. */
export async function readAllOpenDeals(db: Tx): Promise<Deal[]> {
  const deals: Deal[] = [];
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('deals')
      .selectAll()
      .where('status', '=', 'open')
      .where('owner_id', 'is not', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(50_000)
      .execute();
    for (const row of page) deals.push(dealOfRow(row));
    if (page.length < 50_000) return deals;
    after = page[page.length - 1]!.id;
  }
}

/** More changed deals than this since the last request (a big import): reading everything is cheaper. */
const incrementalLimit = 20_000;

export class OpenDealsCache {
  private seq = -1;
  private snapshot: OpenDealsSnapshot | null = null;
  /** Refreshes run one at a time, so two requests never read the same changes twice. */
  private refreshing: Promise<unknown> = Promise.resolve();
  private readonly memos = new Map<string, { key: string; value: unknown }>();
  /** Counters for tests and the bench: how the last refreshes were served. */
  readonly stats = { full: 0, incremental: 0, unchanged: 0 };

  /**
   * The open deals as committed at or after the change-log sequence read first. Never call it inside a write
   * transaction: refreshes wait for one another, and on SQLite the one connection would be held by the caller.
   */
  current(db: Tx): Promise<OpenDealsSnapshot> {
    const next = this.refreshing.then(() => this.refresh(db));
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  /**
   * What `compute` gives for exactly this key, computed again only when the key of `slot` changed: the
   * suggestions, the department view. Keys hold every input besides the cached deals, plus the snapshot version.
   */
  remember<T>(slot: 'reassignment' | 'department', key: string, compute: () => T): T {
    const memo = this.memos.get(slot);
    if (memo?.key === key) return memo.value as T;
    const value = compute();
    this.memos.set(slot, { key, value });
    return value;
  }

  private async refresh(db: Tx): Promise<OpenDealsSnapshot> {
    // The sequence first: every change up to it has committed (change_log.ts), so the deals read after it are
    // at least that new. Reading them newer than the sequence is harmless: they are read again next time.
    const counter = await db.selectFrom('change_counter').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
    const seq = Number(counter.seq);
    const snapshot = this.snapshot;
    if (snapshot !== null && seq === this.seq) {
      this.stats.unchanged += 1;
      return snapshot;
    }
    // A sequence that went back means another database behind the same store (a restore): start over.
    if (snapshot === null || seq < this.seq) return this.rebuild(db, seq);
    const changed = await db
      .selectFrom('change_log')
      .select('entity_id')
      .distinct()
      .where('seq', '>', this.seq)
      .where('seq', '<=', seq)
      .where('entity', '=', 'deal')
      .execute();
    if (changed.length > incrementalLimit) return this.rebuild(db, seq);
    this.seq = seq;
    if (changed.length === 0) {
      this.stats.unchanged += 1;
      return snapshot;
    }
    const byId = new Map(snapshot.byId);
    const ids = changed.map((c) => c.entity_id);
    const seen = new Set<string>();
    for (let start = 0; start < ids.length; start += 500) {
      const rows = await db.selectFrom('deals').selectAll().where('id', 'in', ids.slice(start, start + 500)).execute();
      for (const row of rows) {
        seen.add(row.id);
        if (counts(row)) byId.set(row.id, dealOfRow(row));
        else byId.delete(row.id);
      }
    }
    for (const id of ids) if (!seen.has(id)) byId.delete(id);
    this.stats.incremental += 1;
    this.snapshot = { version: snapshot.version + 1, deals: [...byId.values()], byId };
    return this.snapshot;
  }

  private async rebuild(db: Tx, seq: number): Promise<OpenDealsSnapshot> {
    const deals = await readAllOpenDeals(db);
    this.seq = seq;
    this.stats.full += 1;
    this.snapshot = { version: (this.snapshot?.version ?? 0) + 1, deals, byId: new Map(deals.map((d) => [d.id, d])) };
    return this.snapshot;
  }
}

const caches = new WeakMap<Store, OpenDealsCache>();

/** The cache of one store (one workspace database) in this process. */
export function openDealsCacheOf(store: Store): OpenDealsCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new OpenDealsCache();
    caches.set(store, cache);
  }
  return cache;
}
