import cluster, { type Worker } from 'node:cluster';
import type { ServerConfig } from '../config';
import { openMigratedStore, storeKindOf } from '../store/store';
import { announce, originFor, type ServeOptions } from './serve';
import { UsageError } from './usage';

// `serve --workers N`: the primary forks N workers (node:cluster) that share the port and each run the whole server,
// background timers included (each step of those claims its rows, so several processes do it once). The primary
// only migrates, seeds, announces, restarts a worker that died and, on SIGTERM/SIGINT, drains them all.

/** Several processes need PostgreSQL (see the README's "Several processes"). */
export function checkWorkers(workers: number, databaseUrl: string | undefined): void {
  if (workers > 1 && storeKindOf(databaseUrl) === 'sqlite') {
    // better-sqlite3 waits for another process's write lock synchronously: every write of one worker would stall
    // all requests of the others, so N processes on one SQLite file serve less than one, not more.
    throw new UsageError('--workers above 1 needs PostgreSQL (DATABASE_URL=postgres://…): SQLite has one writer, and a second process waiting for it stalls.');
  }
}

/** A worker that dies within this long of starting counts as a crash loop: the next restart waits longer. */
const healthyAfterMs = 10_000;
const firstRestartMs = 250;
const longestRestartMs = 30_000;
/** How long the workers get to finish requests in flight on SIGTERM before they are killed. */
const drainMs = 10_000;

export async function runPrimary(config: ServerConfig, workers: number, options: ServeOptions): Promise<void> {
  checkWorkers(workers, config.databaseUrl);
  // Migrate once, before any worker opens the database.
  const store = await openMigratedStore(config.databaseUrl);
  let closing = false;
  let listening = 0;
  let quickDeaths = 0;
  const startedAt = new Map<Worker, number>();

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.once('listening', (address) => {
      // Once every first worker listens (a restarted one is not announced again).
      if (++listening !== workers) return;
      announce(store, originFor(config.host, address.port), config, options).catch((error: unknown) =>
        options.err(`Could not seed the demo: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (closing) return;
    quickDeaths = lived < healthyAfterMs ? quickDeaths + 1 : 0;
    const wait = Math.min(longestRestartMs, firstRestartMs * 2 ** Math.max(0, quickDeaths - 1));
    options.err(`Worker ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another in ${wait} ms.`);
    setTimeout(() => {
      if (!closing) fork();
    }, wait);
  });

  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    if (!options.json) options.err(`${signal}: closing ${startedAt.size} workers…`);
    const running = [...startedAt.keys()];
    for (const worker of running) worker.process.kill('SIGTERM');
    const killer = setTimeout(() => running.forEach((worker) => worker.process.kill('SIGKILL')), drainMs);
    killer.unref();
    Promise.all(running.map((worker) => (worker.isDead() ? null : new Promise((done) => worker.once('exit', done)))))
      .then(() => store.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => close('SIGTERM'));
  process.once('SIGINT', () => close('SIGINT'));
  for (let i = 0; i < workers; i++) fork();
}
