// 200 pulls in flight against real `serve` processes, from a load generator in its own process (load-generator.ts),
// beside GET /healthz (no auth, no database) driven the same way against the same processes in the same run. On
// PostgreSQL with `serve --workers 2` (the budget) and on SQLite with one process. The pulls come from 200 paired
// devices of the seeded demo workspace, from cursors such devices hold: most were away overnight and catch up on
// the last changes, one in ten syncs for the first time from cursor 0 with the client's own page size.
// Server CPU per request is the processes' user + system time over the run (/proc), divided by its requests.
// Throughout, another process holds idle poke connections (2,000; 200 with --quick) spread over those devices' tokens,
// opened before the warm-up; memory per idle connection is the servers' VmRSS before and after opening them, divided
// by their number. During the measured pulls a manager pushes a note now and then; the time until the head's poke
// socket says `pull` and the head's pull from its cursor is answered is the poke-to-pulled figure.
// Runnable alone: `npx tsx test/bench/pull-load.ts [--quick] [--sqlite-only]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WebSocket } from 'ws';
import { hashDeviceToken, newDeviceToken } from '../../server/auth/secrets';
import { seedDemo } from '../../server/demo/seed';
import { openMigratedStore } from '../../server/store/store';
import { declareTenant } from '../../server/store/tenants';
import { startEmbeddedPostgres } from '../support/embedded-postgres';
import { cpuMicros, exited, residentKiB, serveProcess, serverPids } from '../support/serve-process';
import { benchTenant, drive, hold, noteBatch, pokeSocket, type LoadResult, type LoadSpec, type PullingDevice } from './load-generator';
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

/** A device that takes part in the poke-to-pulled samples, and the person it belongs to. */
interface PokedDevice {
  token: string;
  role: string;
}

/**
 * Seeds the demo workspace and pairs `inFlight` devices among its people, each with a cursor; then one more device
 * for each head and manager (the poke-to-pulled listeners and the pushing manager), and the notes' CRM tenant.
 */
async function seedDevices(databaseUrl: string): Promise<{ devices: PullingDevice[]; poked: PokedDevice[]; highWater: number }> {
  const store = await openMigratedStore(databaseUrl);
  try {
    await seedDemo(store, { origin: 'http://127.0.0.1:8787' });
    await declareTenant(store.db, benchTenant, new Date().toISOString());
    const users = await store.db.selectFrom('users').select(['id', 'role']).orderBy('email').execute();
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
    const poked: PokedDevice[] = [];
    for (const user of users.filter((candidate) => candidate.role === 'head' || candidate.role === 'manager')) {
      const token = newDeviceToken();
      await store.db.insertInto('device_tokens').values({ id: `bench-poked-${poked.length}`, token_hash: hashDeviceToken(token), user_id: user.id, device_name: 'bench poked', created_at: now, last_used_at: now, revoked_at: null }).execute();
      poked.push({ token, role: user.role });
    }
    return { devices, poked, highWater };
  } finally {
    await store.close();
  }
}

interface Measured extends LoadResult {
  cpuMicrosPerRequest: number;
}

const pokeSamples = 20;
/** Between samples: past the channel's per-person coalescing (150 ms), so no sample waits on the previous one's. */
const pokeGapMs = 300;

/** NaN without values, so a row with no sample fails rather than passes. */
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)] ?? Number.NaN;
/** A poke that does not come within this is a failure of the run, not a slow sample. */
const pokeTimeoutMs = 30_000;

/**
 * Until `stop` settles (or `pokeSamples` are taken): a manager pushes one note; the head's socket says `pull`; the
 * head pulls from its cursor. Listeners: every head's and manager's own socket, so each note pokes several.
 */
async function pokeToPulled(url: string, poked: PokedDevice[], highWater: number, stop: Promise<unknown>): Promise<{ pulled: number[]; poked: number[] }> {
  let pulled: (() => void) | null = null;
  const head = poked.find((device) => device.role === 'head')!;
  const manager = poked.find((device) => device.role === 'manager')!;
  const sockets: WebSocket[] = await Promise.all(poked.map((device) => pokeSocket(url, device.token, device === head ? () => pulled?.() : undefined)));
  let stopped = false;
  const halt = () => (stopped = true);
  stop.then(halt, halt);
  const samples: number[] = [];
  /** The same samples up to the socket's `pull` alone: the channel's share, apart from the pull queued behind the load. */
  const pokedAfter: number[] = [];
  let cursor = highWater;
  try {
    for (let mutationId = 1; !stopped && samples.length < pokeSamples; mutationId++) {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const poke = new Promise<void>((done, fail) => {
        pulled = done;
        timer = setTimeout(() => fail(new Error(`the head's socket got no pull within ${pokeTimeoutMs} ms of a manager's note`)), pokeTimeoutMs);
      }).finally(() => clearTimeout(timer));
      const push = await fetch(`${url}/api/sync/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${manager.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: 'bench-poke-to-pulled', mutations: noteBatch(mutationId, 1) }),
      });
      if (!push.ok) throw new Error(`the manager's push answered ${push.status}: ${await push.text()}`);
      await poke;
      pokedAfter.push(performance.now() - started);
      const pull = await fetch(`${url}/api/sync/pull?cursor=${cursor}&limit=${clientPageSize}`, { headers: { authorization: `Bearer ${head.token}` } });
      if (!pull.ok) throw new Error(`the head's pull answered ${pull.status}: ${await pull.text()}`);
      cursor = ((await pull.json()) as { cursor: number }).cursor;
      samples.push(performance.now() - started);
      await new Promise((done) => setTimeout(done, pokeGapMs));
    }
  } finally {
    for (const socket of sockets) socket.close(1000);
  }
  return { pulled: samples, poked: pokedAfter };
}

async function measure(pids: number[], spec: LoadSpec): Promise<Measured> {
  const before = cpuMicros(pids);
  const result = await drive(spec);
  return { ...result, cpuMicrosPerRequest: (cpuMicros(pids) - before) / Math.max(1, result.requests) };
}

async function compare(databaseUrl: string, workers: number, seconds: number, held: number) {
  const { devices, poked, highWater } = await seedDevices(databaseUrl);
  const children: Parameters<typeof serveProcess>[2] = [];
  const { child, url } = await serveProcess(workers > 1 ? ['--workers', String(workers)] : [], { DATABASE_URL: databaseUrl, PORT: '0' }, children);
  try {
    const pids = serverPids(child.pid!);
    const residentBefore = residentKiB(pids);
    const idle = await hold({ url, connections: held, tokens: devices.map((device) => device.token) });
    const kibPerConnection = (residentKiB(pids) - residentBefore) / held;
    try {
      const pull: LoadSpec = { kind: 'pull', url, connections: inFlight, seconds, devices };
      const healthz: LoadSpec = { kind: 'get', url, connections: inFlight, seconds, path: '/healthz' };
      // Warm both paths (JIT, statement caches, token cache), then measure healthz and pulls one after the other.
      await drive({ ...pull, seconds: 2 });
      await drive({ ...healthz, seconds: 2 });
      const baseline = await measure(pids, healthz);
      const pulling = measure(pids, pull);
      const [pulled, pokes] = await Promise.all([pulling, pokeToPulled(url, poked, highWater, pulling)]);
      return { baseline, pulled, pokes, kibPerConnection, held, load: loadavg()[0]! };
    } finally {
      await idle.release();
    }
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

function rows(label: string, { baseline, pulled, pokes, kibPerConnection, held, load }: Awaited<ReturnType<typeof compare>>, budgeted: boolean): BenchRow[] {
  const base = { baselineName: `GET /healthz, same load (${held.toLocaleString('en-US')} idle poke sockets), same run`, unit: 'ms' };
  const pokeP99 = percentile(pokes.pulled, 99);
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
    {
      name: `Poke to pulled, ${label}, during the pulls: p99 of ${pokes.pulled.length} (manager's push → head's socket says pull → head's pull answered)`,
      unit: 'ms',
      value: Math.round(pokeP99),
      baseline: null,
      baselineName: null,
      budget: budgeted ? '≤ 2,000 ms' : 'informational',
      pass: budgeted ? pokeP99 <= 2000 : pokes.pulled.length > 0,
    },
    {
      name: `Poke to pulled, ${label}: of which push → head's socket says pull, p99`,
      unit: 'ms',
      value: Math.round(percentile(pokes.poked, 99)),
      baseline: null,
      baselineName: null,
      budget: 'informational',
      pass: true,
    },
    {
      name: `Server memory per idle poke connection, ${label} (${held.toLocaleString('en-US')} held, VmRSS before/after)`,
      unit: 'KiB',
      value: Math.round(kibPerConnection * 10) / 10,
      baseline: null,
      baselineName: null,
      budget: 'informational',
      pass: true,
    },
  ];
}

export async function benchPullLoad({ quick, sqliteOnly = false }: BenchOptions & { sqliteOnly?: boolean }): Promise<BenchRow[]> {
  const seconds = quick ? 4 : 15;
  const held = quick ? 200 : 2000;
  const result: BenchRow[] = [];
  const postgres = sqliteOnly ? null : await startEmbeddedPostgres('bench-pull');
  try {
    if (postgres) result.push(...rows('PostgreSQL, serve --workers 2', await compare(await postgres.freshDatabaseUrl('bench_pull'), 2, seconds, held), true));
  } finally {
    await postgres?.stop();
  }
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-pull-'));
  try {
    result.push(...rows('SQLite, one process', await compare(`file:${join(dir, 'headway.sqlite')}`, 1, seconds, held), false));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchPullLoad({ quick: process.argv.includes('--quick'), sqliteOnly: process.argv.includes('--sqlite-only') }));
}
