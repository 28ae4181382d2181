import { z } from 'zod';
import { MutationArgs, MutationName, type MutationResult } from '../schema/sync';
import type { IDBPTransaction } from 'idb';
import type { SyncDb, SyncDbSchema } from './db.idb';
import { readMeta } from './meta.idb';
import { applyMutation, indexFields, mutationTarget, rebuildRow, type EntityKey } from './optimistic';
import type { EntityRow, FailedMutation, MutationError, OutboxEntry } from './records';

/**
 * The outbox: every local change is stored here, with its optimistic effect on the entity cache,
 * before anything else happens. Entries leave only when the server acknowledged them (`ack`);
 * refused ones move to `failed` where the user can retry or discard them.
 */

/** Thrown by enqueue/retryFailed when the arguments would be refused anyway; nothing is stored. */
export class InvalidMutationError extends Error {
  override name = 'InvalidMutationError';
  constructor(
    readonly mutation: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(`${mutation}: invalid arguments\n${z.prettifyError(new z.ZodError(issues))}`);
  }
}

/** Input accepted by enqueue: the schema's input type, so defaulted fields may be left out. */
export type MutationInput<N extends MutationName> = z.input<(typeof MutationArgs)[N]>;

export type OutboxOptions = {
  /** Epoch milliseconds; stamps `createdAt` and the time optimistic edits carry. */
  clock: () => number;
};

type EntitiesStore = {
  get(key: [string, string]): Promise<EntityRow | undefined>;
  put(row: EntityRow): Promise<unknown>;
  delete(key: [string, string]): Promise<void>;
};
type StoreTx = IDBPTransaction<SyncDbSchema, ('outbox' | 'meta' | 'entities' | 'failed')[], 'readwrite'>;
type OutboxReader = { get(mutationId: number): Promise<OutboxEntry | undefined> };

function parseArgs(name: string, args: unknown): { name: MutationName; args: unknown } {
  const known = MutationName.safeParse(name);
  if (!known.success) {
    throw new InvalidMutationError(name, [{ code: 'custom', path: [], message: `unknown mutation "${name}"`, input: name }]);
  }
  const parsed = MutationArgs[known.data].safeParse(args);
  if (!parsed.success) throw new InvalidMutationError(name, parsed.error.issues);
  return { name: known.data, args: parsed.data };
}

function entityKey(key: EntityKey): [string, string] {
  return [key.entity, key.entityId];
}

/** Layer a just-enqueued mutation over the cached entity (without replaying the older ones). */
async function applyOptimistically(entities: EntitiesStore, entry: OutboxEntry): Promise<void> {
  const target = mutationTarget(entry.name, entry.args);
  if (!target) return;
  const row = await entities.get(entityKey(target));
  const data = applyMutation(row?.data ?? null, entry.name, entry.args, entry.createdAt);
  await entities.put({
    entity: target.entity,
    entityId: target.entityId,
    version: row?.version ?? 0,
    base: row?.base ?? null,
    data,
    pending: [...(row?.pending ?? []), entry.mutationId],
    ...indexFields(target.entity, data),
  });
}

/**
 * Settle outbox entries on the entity cache: accepted ones are folded into `base` (the server now
 * holds them), rejected ones are dropped, and `data` is rebuilt from `base` plus what is still
 * pending — so a refused note disappears from the sidebar and moves to the failed list.
 * `settled` must be ascending; `outbox` must still hold the entries that remain pending.
 */
async function settleOnEntities(
  entities: EntitiesStore,
  outbox: OutboxReader,
  settled: readonly { entry: OutboxEntry; accepted: boolean }[],
): Promise<void> {
  const byRow = new Map<string, { key: EntityKey; items: { entry: OutboxEntry; accepted: boolean }[] }>();
  for (const item of settled) {
    const key = mutationTarget(item.entry.name, item.entry.args);
    if (!key) continue;
    const id = JSON.stringify(entityKey(key));
    const group = byRow.get(id) ?? { key, items: [] };
    group.items.push(item);
    byRow.set(id, group);
  }
  await Promise.all(
    [...byRow.values()].map(async ({ key, items }) => {
      const row = await entities.get(entityKey(key));
      if (!row) return;
      let base = row.base;
      for (const { entry, accepted } of items) {
        if (accepted) base = applyMutation(base, entry.name, entry.args, entry.createdAt);
      }
      const settledIds = new Set(items.map(({ entry }) => entry.mutationId));
      const remaining = await Promise.all(row.pending.filter((id) => !settledIds.has(id)).map((id) => outbox.get(id)));
      const rebuilt = rebuildRow(key, base, row.version, remaining.filter((entry) => entry !== undefined));
      if (rebuilt) await entities.put(rebuilt);
      else await entities.delete(entityKey(key));
    }),
  );
}

export function createOutbox(db: SyncDb, options: OutboxOptions) {
  const now = () => new Date(options.clock()).toISOString();

  /**
   * Allocate the next id and store the entry plus its optimistic effect in one transaction.
   * `prepare` runs inside the transaction (synchronous validation only, IndexedDB reads allowed)
   * and returns what to store; throwing aborts the transaction so nothing is written.
   */
  async function store(prepare: (tx: StoreTx) => Promise<{ name: MutationName; args: unknown }>): Promise<OutboxEntry> {
    const tx = db.transaction(['outbox', 'meta', 'entities', 'failed'], 'readwrite');
    try {
      const meta = tx.objectStore('meta');
      const [mutation, nextId] = await Promise.all([prepare(tx), readMeta(meta, 'nextMutationId')]);
      const mutationId = nextId ?? 1;
      const entry: OutboxEntry = { mutationId, name: mutation.name, args: mutation.args, createdAt: now(), attempts: 0 };
      await Promise.all([
        meta.put({ key: 'nextMutationId', value: mutationId + 1 }),
        // add, not put: an existing entry with this id would mean the counter went backwards.
        tx.objectStore('outbox').add(entry),
        applyOptimistically(tx.objectStore('entities'), entry),
      ]);
      await tx.done;
      return entry;
    } catch (error) {
      abortQuietly(tx);
      throw error;
    }
  }

  return {
    /**
     * Validate `args` with MutationArgs[name], then store the mutation with the next mutation id and
     * apply it to the entity cache, atomically. Throws InvalidMutationError (storing nothing) when invalid.
     */
    async enqueue<N extends MutationName>(name: N, args: MutationInput<N>): Promise<OutboxEntry> {
      const parsed = parseArgs(name, args);
      return store(async () => parsed);
    },

    /** The oldest queued mutations, ascending by id. */
    async pending(limit?: number): Promise<OutboxEntry[]> {
      return db.getAll('outbox', undefined, limit);
    },

    async count(): Promise<number> {
      return db.count('outbox');
    },

    /**
     * The server processed everything up to `upTo`: remove those entries; the ones listed in
     * `rejected` (results with ok:false) move to `failed`. One transaction, so a crash cannot
     * lose a refused mutation or keep an acknowledged one.
     */
    async ack(upTo: number, rejected: readonly MutationResult[] = []): Promise<{ acknowledged: number; failed: number }> {
      const errors = new Map(rejected.filter((result) => !result.ok).map((result) => [result.mutationId, result.error]));
      const tx = db.transaction(['outbox', 'failed', 'entities'], 'readwrite');
      const outbox = tx.objectStore('outbox');
      const range = IDBKeyRange.upperBound(upTo);
      const entries = await outbox.getAll(range);
      const failedAt = now();
      let failed = 0;
      const writes: Promise<unknown>[] = [];
      for (const entry of entries) {
        if (!errors.has(entry.mutationId)) continue;
        failed += 1;
        writes.push(tx.objectStore('failed').put(toFailed(entry, errors.get(entry.mutationId), failedAt)));
      }
      const settled = entries.map((entry) => ({ entry, accepted: !errors.has(entry.mutationId) }));
      await Promise.all([...writes, settleOnEntities(tx.objectStore('entities'), outbox, settled)]);
      await outbox.delete(range);
      await tx.done;
      return { acknowledged: entries.length - failed, failed };
    },

    /** Move one queued mutation to `failed` (and undo its optimistic effect). False if it is not queued. */
    async markFailed(mutationId: number, error: MutationError): Promise<boolean> {
      const tx = db.transaction(['outbox', 'failed', 'entities'], 'readwrite');
      const outbox = tx.objectStore('outbox');
      const entry = await outbox.get(mutationId);
      if (!entry) {
        await tx.done;
        return false;
      }
      await Promise.all([
        tx.objectStore('failed').put(toFailed(entry, error, now())),
        settleOnEntities(tx.objectStore('entities'), outbox, [{ entry, accepted: false }]),
      ]);
      await outbox.delete(mutationId);
      await tx.done;
      return true;
    },

    /** Mutations the server refused, oldest first. */
    async failed(): Promise<FailedMutation[]> {
      return db.getAll('failed');
    },

    async failedCount(): Promise<number> {
      return db.count('failed');
    },

    /**
     * Queue a refused mutation again under a new id (the server never re-processes an id it has
     * seen). Its arguments are re-validated first: a schema that changed since may now refuse them.
     */
    async retryFailed(mutationId: number): Promise<OutboxEntry> {
      // Read, re-validate and re-queue in one transaction so two clicks on Retry cannot queue it twice.
      return store(async (tx) => {
        const failedStore = tx.objectStore('failed');
        const failed = await failedStore.get(mutationId);
        if (!failed) throw new Error(`no failed mutation ${mutationId}`);
        const parsed = parseArgs(failed.name, failed.args);
        await failedStore.delete(mutationId);
        return parsed;
      });
    },

    /** Forget a refused mutation for good. */
    async discardFailed(mutationId: number): Promise<void> {
      await db.delete('failed', mutationId);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

function toFailed(entry: OutboxEntry, error: MutationError | undefined, failedAt: string): FailedMutation {
  return {
    mutationId: entry.mutationId,
    name: entry.name,
    args: entry.args,
    createdAt: entry.createdAt,
    failedAt,
    error: error ?? { code: 'invalid', message: 'refused by the server without a reason' },
  };
}

function abortQuietly(tx: { abort(): void; done: Promise<void> }): void {
  // The transaction may already have finished or aborted on its own; either way nothing was committed.
  tx.done.catch(() => undefined);
  try {
    tx.abort();
  } catch {
    /* already finished */
  }
}
