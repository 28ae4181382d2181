import { said } from '../../core/i18n';
import { refusalMessages } from '../refusal/i18n';
import { Refused } from '../refusal/refused';

// Waiting for SQLite's write lock without stalling the process. better-sqlite3 runs every statement on the calling
// thread, and its busy_timeout sleeps there: while another connection holds the write lock (a CLI import, a big
// import applying on its own thread, `crm sync` from the command line) every request of this process would wait
// too. So a write that finds the lock held gives up at once (busy_timeout 0) and is tried again on a later turn of
// the event loop, with backoff and jitter, for up to sqliteWriteWaitMs; then it is refused as `busy` (503 with Retry-After).

/** How long a SQLite write waits for the write lock, turn by turn, before it gives up (databaseBusy). */
export const sqliteWriteWaitMs = 30_000;

/** The database stayed locked by another writer (a big import applying, another process) for longer than we wait. */
export function databaseBusy(retryAfterSeconds: number): Refused {
  return new Refused('busy', said(refusalMessages, 'busy', { seconds: retryAfterSeconds }), retryAfterSeconds);
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, …): another connection holds the lock. */
export const isBusy = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Calls `attempt` until it answers something other than null (null: the lock was held), sleeping between calls
 * (5 ms doubling to 250 ms, jittered so writers queued behind one lock do not all come back on the same turn).
 */
export async function waitForWriteLock<T>(attempt: () => Promise<T | null>): Promise<T> {
  for (let waited = 0, pause = 5; ; waited += pause, pause = Math.min(pause * 2, 250)) {
    const outcome = await attempt();
    if (outcome !== null) return outcome;
    if (waited >= sqliteWriteWaitMs) throw databaseBusy(Math.ceil(sqliteWriteWaitMs / 1000));
    await sleep(pause * (0.5 + Math.random()));
  }
}
