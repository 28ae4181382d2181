import { AsyncLocalStorage } from 'node:async_hooks';
import { type Kysely, sql } from 'kysely';
import type { Store } from './store';
import type { Database } from './tables';

export type Tx = Kysely<Database>;

// 40001 serialization_failure, 40P01 deadlock_detected: the transaction did nothing and may simply run again.
const retryableCodes = new Set(['40001', '40P01']);
const maxAttempts = 8;

function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && retryableCodes.has(String((error as { code?: unknown }).code));
}

// SQLite has one connection per store: a write transaction started inside another would wait for itself
// forever. Remembering which stores this async context is writing to turns that hang into a clear error.
const openWrites = new AsyncLocalStorage<Set<Store>>();

/**
 * Runs `work` in one write transaction. SQLite: BEGIN IMMEDIATE, so a second process waits (busy_timeout)
 * instead of failing half-way. PostgreSQL: retried on serialization failures and deadlocks.
 */
export async function writeTransaction<T>(store: Store, work: (tx: Tx) => Promise<T>): Promise<T> {
  const writing = openWrites.getStore();
  if (writing?.has(store)) throw new Error('writeTransaction called inside another write transaction on the same store; pass the transaction down instead.');
  return openWrites.run(new Set([...(writing ?? []), store]), () => runWrite(store, work));
}

async function runWrite<T>(store: Store, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (store.kind === 'sqlite') {
    return store.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.db.transaction().execute(work);
    } catch (error) {
      if (!isRetryable(error) || attempt >= maxAttempts) throw error;
      await new Promise((done) => setTimeout(done, Math.random() * 20 * attempt));
    }
  }
}
