// 200 pulls in flight against real `serve` processes, from a load generator in its own process (load-generator.ts),
// beside GET /healthz (no auth, no database) driven the same way against the same processes in the same run. On
// PostgreSQL with `serve --workers 2` (the budget) and on SQLite with one process. The pulls come from 200 paired
// devices of the seeded demo workspace, from cursors such devices hold: most were away overnight and catch up on
// the last changes, one in ten syncs for the first time from cursor 0 with the client's own page size.
// Server CPU per request is the processes' user + system time over the run (/proc), divided by its requests.
// Runnable alone: `npx tsx test/bench/pull-load.ts [--quick] [--sqlite-only]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashDeviceToken, newDeviceToken } from '../../server/auth/secrets';
import { seedDemo } from '../../server/demo/seed';
import { openMigratedStore } from '../../server/store/store';
import { startEmbeddedPostgres } from '../support/embedded-postgres';
import { cpuMicros, exited, serveProcess, serverPids } from '../support/serve-process';
import { drive, type LoadResult, type LoadSpec, type PullingDevice } from './load-generator';
import type { BenchOptions, BenchRow } from './row';

const inFlight = 200;
/** What the extension asks for per page (core/sync/client.ts). */
const clientPageSize = 1000;

/** The same pseudo-random devices every run. */
function seeded(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}

/** Seeds the demo workspace and pairs `inFlight` devices among its people, each with a cursor. */
async function seedDevices(databaseUrl: string): Promise<PullingDevice[]> {
  const store = await openMigratedStore(databaseUrl);
  try {
    await seedDemo(store, { origin: 'http://127.0.0.1:8787' });
    const users = await store.db.selectFrom('users').select('id').orderBy('email').execute();
    const highWater = Number((await store.db.selectFrom('change_counter').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()).seq);
    const random = seeded(18);
    const now = new Date().toISOString();
    const devices: PullingDevice[] = [];
    for (let i = 0; i < inFlight; i++) {
      const token = newDeviceToken();
      await store.db.insertInto('device_tokens').values({ id: `bench-device-${i}`, token_hash: hashDeviceToken(token), user_id: users[i % users.length]!.id, device_name: `bench ${i}`, created_at: now, last_used_at: now, revoked_at: null }).execute();
      const firstSync = i % 10 === 0;
      devices.push({ token, cursor: firstSync ? 0 : Math.max(0, highWater - 1 - random(100)), limit: clientPageSize });
    }
    return devices;
  } finally {
    await store.close();
  }
}

interface Measured extends LoadResult {
  cpuMicrosPerRequest: number;
}

async function measure(pids: number[], spec: LoadSpec): Promise<Measured> {
  const before = cpuMicros(pids);
  const result = await drive(spec);
  return { ...result, cpuMicrosPerRequest: (cpuMicros(pids) - before) / Math.max(1, result.requests) };
}

async function compare(databaseUrl: string, workers: number, seconds: number) {
  const devices = await seedDevices(databaseUrl);
  const children: Parameters<typeof serveProcess>[2] = [];
  const { child, url } = await serveProcess(workers > 1 ? ['--workers', String(workers)] : [], { DATABASE_URL: databaseUrl, PORT: '0' }, children);
  try {
    const pids = serverPids(child.pid!);
    // Issue 18's 2,000 connected clients join here once the poke channel exists: a `hold` LoadSpec kind whose process
    // opens that many idle poke connections and keeps them until told to stop, started before the warm-up; memory
    // per idle connection is the servers' VmRSS (/proc/<pid>/status) before and after, divided by their number.
    const pull: LoadSpec = { kind: 'pull', url, connections: inFlight, seconds, devices };
    const healthz: LoadSpec = { kind: 'get', url, connections: inFlight, seconds, path: '/healthz' };
    // Warm both paths (JIT, statement caches, token cache), then measure healthz and pulls one after the other.
    await drive({ ...pull, seconds: 2 });
    await drive({ ...healthz, seconds: 2 });
    const baseline = await measure(pids, healthz);
    const pulled = await measure(pids, pull);
    return { baseline, pulled, load: loadavg()[0]! };
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

function rows(label: string, { baseline, pulled, load }: Awaited<ReturnType<typeof compare>>, budgeted: boolean): BenchRow[] {
  const base = { baselineName: 'GET /healthz, same load, same run', unit: 'ms' };
  const latencyOk = pulled.p99 <= 250 && pulled.p99 <= 3 * baseline.p99;
  const noErrors = pulled.errors === 0;
  return [
    { ...base, name: `Pull, ${inFlight} in flight, ${label}: p50`, value: pulled.p50, baseline: baseline.p50, budget: 'informational', pass: true },
    {
      ...base,
      name: `Pull, ${inFlight} in flight, ${label}: p99 (load average ${load.toFixed(1)})`,
      value: pulled.p99,
      baseline: baseline.p99,
      budget: budgeted ? '≤ 250 ms and ≤ 3 × baseline' : 'informational',
      pass: !budgeted || latencyOk,
    },
    {
      ...base,
      name: `Pull, ${label}: errors of ${pulled.requests.toLocaleString('en-US')} requests`,
      unit: 'errors',
      value: pulled.errors,
      baseline: baseline.errors,
      budget: '0',
      pass: noErrors,
    },
    {
      ...base,
      name: `Pull, ${label}: requests/s`,
      unit: 'req/s',
      value: Math.round(pulled.requestsPerSecond),
      baseline: Math.round(baseline.requestsPerSecond),
      budget: 'informational',
      pass: true,
    },
    {
      ...base,
      name: `Pull, ${label}: server CPU per request`,
      unit: 'µs',
      value: Math.round(pulled.cpuMicrosPerRequest),
      baseline: Math.round(baseline.cpuMicrosPerRequest),
      budget: 'informational',
      pass: true,
    },
  ];
}

export async function benchPullLoad({ quick, sqliteOnly = false }: BenchOptions & { sqliteOnly?: boolean }): Promise<BenchRow[]> {
  const seconds = quick ? 4 : 15;
  const result: BenchRow[] = [];
  const postgres = sqliteOnly ? null : await startEmbeddedPostgres('bench-pull');
  try {
    if (postgres) result.push(...rows('PostgreSQL, serve --workers 2', await compare(await postgres.freshDatabaseUrl('bench_pull'), 2, seconds), true));
  } finally {
    await postgres?.stop();
  }
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-pull-'));
  try {
    result.push(...rows('SQLite, one process', await compare(`file:${join(dir, 'headway.sqlite')}`, 1, seconds), false));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchPullLoad({ quick: process.argv.includes('--quick'), sqliteOnly: process.argv.includes('--sqlite-only') }));
}
