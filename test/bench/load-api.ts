// GET /api/load on 1,000 managers × 200,000 open deals (the load-hints input of plan-balance.ts, stored in SQLite):
// answered from the open deals cached per store and refreshed from the change log, against the full rebuild every
// request used to do (read and map every open deal, balance them all), measured in the same run on the same file.
// Runnable alone: `npx tsx test/bench/load-api.ts [--quick]`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { LoadResponse, type User } from '../../core/schema';
import { createApp } from '../../server/app';
import { hashDeviceToken, newDeviceToken } from '../../server/auth/secrets';
import { departmentLoad } from '../../server/balance/load-report';
import { visibleLoad } from '../../server/balance/load-view';
import { openDealsCacheOf } from '../../server/balance/open-deals';
import type { Clock } from '../../server/clock';
import { openMigratedStore } from '../../server/store/store';
import { createUser } from '../../server/store/users';
import { upsertInstance } from '../../server/store/workspace';
import { balanceInput } from './plan-balance';
import type { BenchOptions, BenchRow } from './row';

const today = '2026-03-16';
const clock: Clock = { now: () => new Date(`${today}T09:00:00.000Z`) };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall-clock milliseconds of `run` over `times` calls; `before` runs untimed ahead of each call. */
async function timed(times: number, run: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    await before?.();
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export async function benchLoadApi({ quick }: BenchOptions): Promise<BenchRow[]> {
  const managerCount = quick ? 200 : 1000;
  const dealCount = quick ? 40_000 : 200_000;
  const input = balanceInput(managerCount, dealCount);
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-load-'));
  const file = join(dir, 'headway.sqlite');
  const store = await openMigratedStore(`file:${file}`);
  try {
    const now = clock.now().toISOString();
    const head = await createUser(store.db, { name: 'Head', email: 'head@bench.test', role: 'head', team: null, capacity: 0, segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [] }, now);
    const ids = new Map<string, User>();
    for (const manager of input.managers) {
      const { id: _id, createdAt: _createdAt, ...fields } = manager;
      ids.set(manager.id, await createUser(store.db, fields, now));
    }
    const token = newDeviceToken();
    await store.db.insertInto('device_tokens').values({ id: randomUUID(), token_hash: hashDeviceToken(token), user_id: head.id, device_name: 'bench', created_at: now, last_used_at: now, revoked_at: null }).execute();

    // The deals' tenant, declared as `crm add` does: the ingest route refuses records of any other tenant.
    const instance = input.deals[0]!.instance!;
    await upsertInstance(store.db, { crm: 'salesforce', instance }, now);
    // The open deals go straight in through better-sqlite3 in one transaction, like a CRM history import would.
    const raw = new SqliteDatabase(file);
    const insert = raw.prepare(
      `insert into deals (id, crm, instance, crm_id, record_type, title, kind, amount, currency, stage, probability, owner_id, owner_label, segment,
        expected_close, status, closed_at, source, url, account_crm_id, updated_at, version)
       values (?, 'salesforce', ?, ?, 'deal', ?, 'sale', ?, 'EUR', ?, 50, ?, null, ?, ?, 'open', null, 'import', ?, null, ?, 1)`,
    );
    raw.transaction(() => {
      for (const deal of input.deals) {
        insert.run(randomUUID(), instance, deal.crmId, deal.title, deal.amount, deal.stage, ids.get(deal.ownerId!)!.id, deal.segment, deal.expectedClose, `https://crm.example.test/${deal.crmId}`, now);
      }
    })();
    raw.close();

    const app = createApp({ store, clock });
    const headers = { Authorization: `Bearer ${token}` };
    const cache = openDealsCacheOf(store);
    const getLoad = async () => {
      const response = await app.request('/api/load', { headers });
      if (response.status !== 200) throw new Error(`/api/load answered ${response.status}: ${await response.text()}`);
      return response.text();
    };
    // What every request did before the cache: read all open deals, balance them, serialise the answer.
    const rebuild = async () => JSON.stringify(visibleLoad(await departmentLoad(store.db, today), head));
    // One deal write through the ingest API between requests, as CRMs and page captures do all day.
    let round = 0;
    const dealWrite = async () => {
      const deal = input.deals[(round++ * 7919) % input.deals.length]!;
      const stage = round % 2 ? 'Negotiation/Review' : 'Prospecting';
      const response = await app.request(`/api/deals/salesforce/${encodeURIComponent(deal.crmId)}`, {
        method: 'PUT', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ instance, stage }),
      });
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    };

    // Sanity before timing: the cached answer is the rebuilt one, and complete.
    const first = LoadResponse.parse(JSON.parse(await getLoad()));
    if (JSON.stringify(first) !== JSON.stringify(LoadResponse.parse(JSON.parse(await rebuild())))) throw new Error('cached /api/load differs from the full rebuild');
    if (first.managers.length !== managerCount || first.moves.length === 0) throw new Error('the /api/load answer is incomplete');
    const moves = first.moves.length;

    const runs = quick ? 3 : 7;
    const baseline = await timed(quick ? 2 : 3, rebuild);
    const afterWrite = await timed(runs, getLoad, dealWrite);
    const unchanged = await timed(runs, getLoad);
    if (cache.stats.full !== 1) throw new Error(`the cache read every deal ${cache.stats.full} times`);

    const label = `${managerCount.toLocaleString('en-US')} managers × ${dealCount.toLocaleString('en-US')} open deals (${moves.toLocaleString('en-US')} moves)`;
    const baselineName = 'full rebuild per request (read all open deals), same file';
    return [
      { name: `GET /api/load, ${label}, one deal written since the last request`, value: afterWrite, unit: 'ms', baseline, baselineName, budget: '≤ 25 % of baseline', pass: afterWrite <= baseline / 4 },
      { name: `GET /api/load, ${label}, nothing changed since the last request`, value: unchanged, unit: 'ms', baseline, baselineName, budget: '≤ 10 % of baseline', pass: unchanged <= baseline / 10 },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchLoadApi({ quick: process.argv.includes('--quick') }));
}
