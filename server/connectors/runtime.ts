import type { Tx } from '../store/transaction';
import { listConnections, type Connection } from './connections';
import type { ConnectorEnv } from './open';
import { syncConnection } from './sync/run';
import { collectWriteBacks } from './writeback/collect';

// The background half of `serve`: every tick it queues write-backs from the change log and syncs each connection
// that is due — its interval passed, a CRM hook or an admin asked, a page capture wants a record read again, a
// write-back waits, or a sync was left unfinished. Every process runs this; the lease lets one sync a connection.

export interface ConnectorRuntime {
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** Default seconds between syncs of a connection (its settings may say otherwise). */
  everySeconds: number;
  tickMs?: number;
  err(line: string): void;
}

async function lastRun(db: Tx, connectionId: string): Promise<{ started_at: string; error: string | null } | null> {
  const row = await db.selectFrom('crm_sync_runs').select(['started_at', 'error']).where('connection_id', '=', connectionId).orderBy('started_at', 'desc').limit(1).executeTakeFirst();
  return row ?? null;
}

async function hasWork(db: Tx, connectionId: string, now: string): Promise<boolean> {
  const refresh = await db.selectFrom('crm_refresh').select('crm_id').where('connection_id', '=', connectionId).limit(1).executeTakeFirst();
  if (refresh) return true;
  const writeBack = await db
    .selectFrom('crm_writebacks')
    .select('id')
    .where('connection_id', '=', connectionId)
    .where('state', '!=', 'written')
    .where('next_attempt_at', '<=', now)
    .limit(1)
    .executeTakeFirst();
  return writeBack !== undefined;
}

/** Whether a connection should be synced now. */
export async function isDue(db: Tx, connection: Connection, now: Date, everySeconds: number): Promise<boolean> {
  const at = now.toISOString();
  if (connection.leaseUntil !== null && connection.leaseUntil > at) return false;
  const last = await lastRun(db, connection.id);
  const interval = (connection.settings.syncEverySeconds ?? everySeconds) * 1000;
  const intervalPassed = last === null || Date.parse(last.started_at) + interval <= now.getTime();
  // After a failure (bad credential, CRM down) the next try waits a whole interval, whatever asks for one.
  if (last?.error && !intervalPassed) return false;
  if (intervalPassed || connection.run !== null || (connection.dueAt !== null && connection.dueAt <= at)) return true;
  return hasWork(db, connection.id, at);
}

export function startConnectorRuntime(env: ConnectorEnv, options: RuntimeOptions): ConnectorRuntime {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    const connections = await listConnections(env.store.db);
    if (connections.length === 0) return;
    await collectWriteBacks(env.store, env.clock.now().toISOString());
    for (const connection of connections) {
      if (stopped) return;
      if (!(await isDue(env.store.db, connection, env.clock.now(), options.everySeconds))) continue;
      const report = await syncConnection(env, connection.id);
      if (report.ran && report.errors.length > 0) options.err(`CRM sync of ${connection.instance}: ${report.errors.join('; ')}`);
    }
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch((error: unknown) => options.err(`CRM sync failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
      });
  }, options.tickMs ?? 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
