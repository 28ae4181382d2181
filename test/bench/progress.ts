// Plan progress over 1,000,000 closed deals: /api/progress (per-month won totals + the open pipeline) against a
// plain SQL sum over the raw deals table, both measured in the same run on the same SQLite file.
// Runnable alone: `npx tsx test/bench/progress.ts [--quick]`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { periodContaining } from '../../core/plan';
import { ProgressResponse } from '../../core/schema';
import { createApp } from '../../server/app';
import { hashDeviceToken, newDeviceToken } from '../../server/auth/secrets';
import type { Clock } from '../../server/clock';
import { seededRandom } from '../../server/demo/prng';
import { updateSettings } from '../../server/plan/settings';
import { rebuildDealTotals } from '../../server/plan/deal-totals';
import { openMigratedStore } from '../../server/store/store';
import { createUser } from '../../server/store/users';
import type { BenchOptions, BenchRow } from './row';

const today = '2026-03-16';
const clock: Clock = { now: () => new Date(`${today}T09:00:00.000Z`) };
const managers = 100;
const budgetMs = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median wall-clock milliseconds of `run`, and its mean CPU milliseconds (wall time also counts waiting for a core). */
async function timed(times: number, run: () => Promise<unknown> | unknown): Promise<{ wall: number; cpu: number }> {
  for (let i = 0; i < 5; i++) await run();
  const samples: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < times; i++) {
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: median(samples), cpu: (cpu.user + cpu.system) / 1000 / times };
}

export async function benchProgress({ quick }: BenchOptions): Promise<BenchRow[]> {
  const closedDeals = quick ? 100_000 : 1_000_000;
  const openDeals = quick ? 2_000 : 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-progress-'));
  const file = join(dir, 'headway.sqlite');
  const store = await openMigratedStore(`file:${file}`);
  try {
    const now = clock.now().toISOString();
    const head = await createUser(store.db, { name: 'Head', email: 'head@bench.test', role: 'head', team: null, capacity: 0, segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [] }, now);
    const managerIds: string[] = [];
    for (let i = 0; i < managers; i++) {
      const user = await createUser(store.db, { name: `Manager ${i}`, email: `m${i}@bench.test`, role: 'manager', team: null, capacity: 100, segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [] }, now);
      managerIds.push(user.id);
    }
    await updateSettings(store.db, { rates: { USD: 0.92, GBP: 1.17 }, holidays: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-12-25'] });
    const token = newDeviceToken();
    await store.db.insertInto('device_tokens').values({ id: randomUUID(), token_hash: hashDeviceToken(token), user_id: head.id, device_name: 'bench', created_at: now, last_used_at: now, revoked_at: null }).execute();

    // The bulk load goes straight through better-sqlite3 in one transaction (a CRM history import would be a
    // one-off); the won and pipeline totals are then built by the same rebuild the migration runs.
    const loadStarted = Date.now();
    const raw = new SqliteDatabase(file);
    const random = seededRandom(2026);
    const insertDeal = raw.prepare(
      `insert into deals (id, crm, crm_id, record_type, title, kind, amount, currency, stage, probability, owner_id, owner_label, segment,
        expected_close, status, closed_at, source, url, account_crm_id, updated_at, version)
       values (?, 'salesforce', ?, 'deal', ?, ?, ?, ?, ?, ?, ?, null, null, ?, ?, ?, 'import', null, null, ?, 1)`,
    );
    const insertPlan = raw.prepare(
      `insert into plans (id, kind, period, start, owner_id, target, currency, count_target, updated_at, version) values (?, ?, ?, ?, ?, ?, 'EUR', null, ?, 1)`,
    );
    // Secondary indexes are dropped for the load and built again after it, as a bulk import tool would.
    const indexes = raw.prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'deals' and sql is not null`).all() as { name: string; sql: string }[];
    for (const index of indexes) raw.exec(`drop index ${index.name}`);
    const firstDay = Date.UTC(2024, 0, 1);
    const span = Date.parse(`${today}T00:00:00Z`) - firstDay;
    raw.transaction(() => {
      for (let i = 0; i < closedDeals; i++) {
        const won = random.chance(0.7);
        const closedAt = new Date(firstDay + Math.floor(random.next() * span)).toISOString();
        const currency = random.chance(0.85) ? 'EUR' : random.pick(['USD', 'GBP', 'CHF']);
        insertDeal.run(
          randomUUID(), `C${i}`, `Closed deal ${i}`, random.chance(0.85) ? 'sale' : 'purchase', random.int(100, 200_000), currency,
          won ? 'Closed Won' : 'Closed Lost', won ? 100 : 0, random.chance(0.02) ? null : random.pick(managerIds),
          closedAt.slice(0, 10), won ? 'won' : 'lost', closedAt, now,
        );
      }
      for (let i = 0; i < openDeals; i++) {
        const expected = new Date(Date.parse(`${today}T00:00:00Z`) + random.int(-20, 300) * 86_400_000).toISOString().slice(0, 10);
        insertDeal.run(
          randomUUID(), `O${i}`, `Open deal ${i}`, random.chance(0.85) ? 'sale' : 'purchase', random.int(100, 200_000), random.chance(0.9) ? 'EUR' : 'USD',
          'Negotiation', random.int(10, 90), random.pick(managerIds), expected, 'open', null, now,
        );
      }
      for (const unit of ['month', 'quarter', 'year'] as const) {
        const { start } = periodContaining(today, unit, 1);
        const perManager = { month: 40_000, quarter: 120_000, year: 480_000 }[unit];
        insertPlan.run(randomUUID(), 'sale', unit, start, null, perManager * managers, now);
        for (const id of managerIds) insertPlan.run(randomUUID(), 'sale', unit, start, id, perManager, now);
      }
    })();
    for (const index of indexes) raw.exec(index.sql);
    raw.close();
    await rebuildDealTotals(store.db);
    const loadSeconds = (Date.now() - loadStarted) / 1000;

    const app = createApp({ store, clock });
    const headers = { Authorization: `Bearer ${token}` };
    const progressOf = (unit: string) => async () => {
      const response = await app.request(`/api/progress?period=${unit}&date=${today}&kind=sale`, { headers });
      if (response.status !== 200) throw new Error(`/api/progress answered ${response.status}: ${await response.text()}`);
      return response.json();
    };
    // Sanity: the answer is complete and schema-valid before it is timed.
    const sample = ProgressResponse.parse(await progressOf('year')());
    if (sample.managers.length !== managers) throw new Error(`expected ${managers} manager rows, got ${sample.managers.length}`);

    // The baseline: the sum a straightforward implementation would run, on its own connection, no HTTP, no maths.
    const reader = new SqliteDatabase(file, { readonly: true });
    const plainSum = reader.prepare(
      `select owner_id, currency, sum(amount) as amount, count(*) as n from deals
       where kind = 'sale' and status = 'won' and closed_at >= ? and closed_at < ? group by owner_id, currency`,
    );
    const rows: BenchRow[] = [];
    const runs = quick ? 30 : 50;
    for (const unit of ['month', 'year'] as const) {
      const period = periodContaining(today, unit, 1);
      const dayAfter = new Date(Date.parse(`${period.end}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const api = await timed(runs, progressOf(unit));
      const baseline = await timed(runs, () => plainSum.all(period.start, dayAfter));
      console.log(`  ${unit}: /api/progress ${api.wall.toFixed(2)} ms median (${api.cpu.toFixed(2)} ms CPU each); plain SQL sum ${baseline.wall.toFixed(2)} ms (${baseline.cpu.toFixed(2)} ms CPU)`);
      rows.push({
        name: `plan progress, ${unit}, ${managers} managers, ${closedDeals.toLocaleString('en-US')} closed deals (GET /api/progress, median)`,
        value: api.wall,
        unit: 'ms',
        baseline: baseline.wall,
        baselineName: 'plain SQL SUM over raw deals',
        budget: `≤ ${budgetMs} ms`,
        pass: api.wall <= budgetMs,
      });
    }
    reader.close();
    console.log(`  loaded ${closedDeals.toLocaleString('en-US')} closed + ${openDeals.toLocaleString('en-US')} open deals and built the totals in ${loadSeconds.toFixed(1)} s`);
    return rows;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await benchProgress({ quick: process.argv.includes('--quick') });
  for (const row of rows) {
    console.log(`${row.pass ? 'pass' : 'FAIL'}  ${row.name}: ${row.value.toFixed(2)} ${row.unit} (baseline ${row.baseline?.toFixed(2)} ${row.unit}, ${row.baselineName}; budget ${row.budget})`);
  }
  if (rows.some((row) => !row.pass)) process.exitCode = 1;
}
