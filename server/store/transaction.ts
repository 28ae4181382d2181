import { type Kysely, sql } from 'kysely';
import { isBusy, sleep, waitForWriteLock } from './sqlite-wait';
import { sqliteBusyTimeoutMs, type Store } from './store';
import type { Database } from './tables';

export type Tx = Kysely<Database>;

// 40001 serialization_failure, 40P01 deadlock_detected: the transaction did nothing and may simply run again.
const retryableCodes = new Set(['40001', '40P01']);
const maxAttempts = 8;

function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && retryableCodes.has(String((error as { code?: unknown }).code));
}

type CommitCallback = (store: Store) => void;
const commitCallbacks = new WeakMap<Tx, CommitCallback[]>();

function watchCommit(tx: Tx) {
  const callbacks: CommitCallback[] = [];
  commitCallbacks.set(tx, callbacks);
  return {
    run(store: Store) {
      commitCallbacks.delete(tx);
      for (const callback of callbacks) callback(store);
    },
    drop() {
      commitCallbacks.delete(tx);
    },
  };
}

/**
 * Runs `callback` once the writeTransaction that handed out `tx` has committed, never if it rolls back (how a
 * change is announced to the poke channel only once it can be pulled). Answers false, running nothing, for a `tx`
 * that is not a writeTransaction's.
 */
export function afterCommit(tx: Tx, callback: CommitCallback): boolean {
  const callbacks = commitCallbacks.get(tx);
  callbacks?.push(callback);
  return callbacks !== undefined;
}

/**
 * Runs `work` in one write transaction. SQLite: BEGIN IMMEDIATE, so the write lock is taken before any work and a
 * transaction never fails half-way. When another connection holds the lock (a CLI import, or a big import's apply
 * on its own thread), the wait happens here, between turns of the event loop: better-sqlite3's own busy_timeout
 * would sleep on this thread and stall every request of the process. PostgreSQL: retried on serialization
 * failures and deadlocks.
 *
 * Inside `work` use only `tx`: SQLite has one connection per store, so `store.db` or a nested
 * writeTransaction would wait for this transaction forever. (An AsyncLocalStorage guard would catch that,
 * but on Node 20 it taxes every promise in the process, and push throughput is a budget.)
 */
export async function writeTransaction<T>(store: Store, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (store.kind === 'sqlite') {
    const outcome = await waitForWriteLock(() =>
      store.db.connection().execute(async (connection) => {
        if (!(await beginImmediately(store, connection))) return null;
        const committed = watchCommit(connection);
        try {
          const result = await work(connection);
          await sql`commit`.execute(connection);
          committed.run(store);
          return { result };
        } catch (error) {
          committed.drop();
          await sql`rollback`.execute(connection);
          throw error;
        }
      }),
    );
    return outcome.result;
  }
  for (let attempt = 1; ; attempt++) {
    let committed: ReturnType<typeof watchCommit> | undefined;
    try {
      const result = await store.db.transaction().execute((tx) => {
        committed = watchCommit(tx);
        return work(tx);
      });
      committed?.run(store);
      return result;
    } catch (error) {
      // A failed attempt committed nothing, so what it meant to announce is dropped with it.
      committed?.drop();
      if (!isRetryable(error) || attempt >= maxAttempts) throw error;
      await sleep(Math.random() * 20 * attempt);
    }
  }
}

/** BEGIN IMMEDIATE without waiting: false when another connection holds the write lock. */
async function beginImmediately(store: Store, connection: Tx): Promise<boolean> {
  store.setBusyTimeout!(0);
  try {
    await sql`begin immediate`.execute(connection);
    return true;
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  } finally {
    store.setBusyTimeout!(sqliteBusyTimeoutMs);
  }
}

/**
 * Runs a write that may as well not happen (bookkeeping such as a token's last use) now or never: it answers false
 * instead of waiting when SQLite's write lock is held by another process, e.g. a big import applying its rows.
 * better-sqlite3 waits for a lock synchronously, so a plain write would stall every request of this process for
 * up to busy_timeout and then fail the one that wrote. (Within this process, writes simply queue for the one
 * connection. PostgreSQL locks rows, not the database: the write goes ahead.)
 */
export async function writeUnlessBusy(store: Store, work: (db: Tx) => Promise<unknown>): Promise<boolean> {
  if (store.kind !== 'sqlite') {
    await work(store.db);
    return true;
  }
  return store.db.connection().execute(async (connection) => {
    store.setBusyTimeout!(0);
    try {
      await work(connection);
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    } finally {
      store.setBusyTimeout!(sqliteBusyTimeoutMs);
    }
  });
}
