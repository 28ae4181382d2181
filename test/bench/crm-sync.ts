// CRM connector sync: a full sync of SuiteCRM V8 deals from the contract fake (a real HTTP server on loopback) into
// Headway (server/connectors, SQLite), beside a bare loop that fetches the same pages and inserts the same rows
// (fetch + JSON.parse + better-sqlite3, one transaction per page) in the same run; its retained memory at each tenth
// of the sync (after a forced GC) must not grow with the number of deals; and an incremental sync with one changed
// deal, beside the bare fetch and insert of that one page.
// Runnable alone: `npx tsx test/bench/crm-sync.ts [--quick]`.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import SqliteDatabase from 'better-sqlite3';
import { systemClock } from '../../server/clock';
import { connectCrm } from '../../server/connectors/connect';
import type { ConnectorEnv } from '../../server/connectors/open';
import { secretBoxFromKey } from '../../server/connectors/secret-box';
import { syncConnection } from '../../server/connectors/sync/run';
import { openMigratedStore } from '../../server/store/store';
import { suiteClients } from '../support/crm-fakes/suitecrm/seed';
import type { BenchOptions, BenchRow } from './row';

const pageSize = 200;
const fields = 'name,amount,currency_id,sales_stage,probability,date_closed,assigned_user_id,date_modified,opportunity_type,deleted';

/** A real full GC between measurements, without starting Node with --expose-gc. */
function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function token(origin: string): Promise<string> {
  const answer = await fetch(`${origin}/Api/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: suiteClients.credentials.id, client_secret: suiteClients.credentials.secret }),
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}

interface Item {
  id: string;
  attributes: Record<string, string>;
}

/** The yardstick: the same listing by page number, parsed and inserted row by row, one transaction per page. */
async function bareLoop(origin: string, file: string, filter = ''): Promise<{ ms: number; rows: number }> {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table if not exists deals (crm_id text primary key, title text, amount real, currency text, stage text, owner text, expected_close text, modified text)');
  const upsert = db.prepare(
    'insert into deals values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (crm_id) do update set title = excluded.title, amount = excluded.amount, stage = excluded.stage, modified = excluded.modified',
  );
  const insertPage = db.transaction((items: Item[]) => {
    for (const { id, attributes: a } of items) upsert.run(id, a.name, a.amount === '' ? null : Number(a.amount), a.currency_id, a.sales_stage, a.assigned_user_id, a.date_closed, a.date_modified);
  });
  const bearer = await token(origin);
  const started = performance.now();
  let rows = 0;
  for (let page = 1; ; page++) {
    const url = `${origin}/Api/V8/module/Opportunities?fields[Opportunities]=${fields}&page[size]=${pageSize}&page[number]=${page}&sort=date_modified${filter}`;
    const answer = await fetch(url, { headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/vnd.api+json' } });
    const items = ((await answer.json()) as { data: Item[] }).data;
    insertPage(items);
    rows += items.length;
    if (items.length < pageSize) break;
  }
  const ms = performance.now() - started;
  db.close();
  return { ms, rows };
}

/** The fake CRM in its own process (a CRM is another server; sharing our event loop would halve both sides). */
async function startFakeProcess(deals: number, spacingMs: number): Promise<{ child: ChildProcess; origin: string; ids: string[]; edit(id: string, amount: string): Promise<void> }> {
  const child = fork(resolve(import.meta.dirname, '../support/crm-fakes/suitecrm/standalone.ts'), [String(deals), String(spacingMs)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ origin: string; ids: string[] }>((done, fail) => {
    child.once('message', (message) => done(message as { origin: string; ids: string[] }));
    child.once('exit', (code) => fail(new Error(`the fake CRM exited (${code})`)));
  });
  return {
    child,
    ...ready,
    edit: (id, amount) =>
      new Promise((done) => {
        child.once('message', () => done());
        child.send({ edit: id, amount });
      }),
  };
}

export async function benchCrmSync({ quick }: BenchOptions): Promise<BenchRow[]> {
  const deals = quick ? 10_000 : 100_000;
  const gc = forceGc();
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-crm-'));
  // Modification times five minutes apart on average (a year of a busy team's edits for 100,000 deals), so the
  // incremental sync's five-minute overlap re-reads what a real one would; ties within a second are the contract
  // suite's concern.
  const running = await startFakeProcess(deals, 5 * 60_000);
  const ids = running.ids;
  try {
    const bare = await bareLoop(running.origin, join(dir, 'bare.sqlite'));
    if (bare.rows !== deals) throw new Error(`the bare loop read ${bare.rows} deals, expected ${deals}`);

    const store = await openMigratedStore(`file:${join(dir, 'headway.sqlite')}`);
    const env: ConnectorEnv = { store, clock: systemClock, box: secretBoxFromKey(randomBytes(32)), process: 'bench', pageSize };
    const { connection } = await connectCrm(env, { origin: running.origin, crm: 'suitecrm', api: 'v8', clientId: suiteClients.credentials.id, secret: suiteClients.credentials.secret });

    // Retained heap at each tenth of the sync (GC first); the GC pauses are left out of the timing.
    const retained: number[] = [];
    let gcMs = 0;
    let nextTenth = 1;
    gc();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const report = await syncConnection(env, connection.id, {
      full: true,
      onProgress: ({ upserted }) => {
        if (upserted < (deals * nextTenth) / 10) return;
        nextTenth += 1;
        const gcStarted = performance.now();
        gc();
        retained.push(process.memoryUsage().heapUsed - before);
        gcMs += performance.now() - gcStarted;
      },
    });
    const fullMs = performance.now() - started - gcMs;
    if (report.errors.length > 0 || report.upserted !== deals) throw new Error(`the full sync stored ${report.upserted} of ${deals} deals: ${report.errors.join('; ')}`);
    const stored = await store.db.selectFrom('deals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(stored.n) !== deals) throw new Error(`Headway holds ${stored.n} deals, expected ${deals}`);

    // One deal changed in the CRM: the incremental sync (users, pipelines, write-backs, re-reads, the changed page).
    await syncConnection(env, connection.id); // warm: the connector's statements and the fake's sorted index
    const changedAt = Date.now();
    await running.edit(ids[Math.floor(deals / 2)]!, '4242');
    const incrementalStarted = performance.now();
    const incremental = await syncConnection(env, connection.id);
    const incrementalMs = performance.now() - incrementalStarted;
    if (incremental.errors.length > 0 || incremental.upserted !== 1) throw new Error(`the incremental sync stored ${incremental.upserted} deals: ${incremental.errors.join('; ')}`);
    const since = new Date(changedAt - 5 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    const bareIncremental = await bareLoop(running.origin, join(dir, 'bare.sqlite'), `&filter[date_modified][gte]=${encodeURIComponent(since)}`);
    await store.close();

    const rate = deals / (fullMs / 1000);
    const bareRate = deals / (bare.ms / 1000);
    const mib = (bytes: number) => bytes / 2 ** 20;
    // Growth from the first tenth to the end: a sync that kept deals in memory would grow with every tenth.
    const growth = mib((retained.at(-1) ?? 0) - (retained[0] ?? 0));
    return [
      {
        name: `CRM full sync, SuiteCRM V8 → SQLite, ${deals.toLocaleString('en-US')} deals (pages of ${pageSize})`,
        value: Math.round(rate),
        unit: 'deals/s',
        baseline: Math.round(bareRate),
        baselineName: 'bare fetch + JSON.parse + better-sqlite3 upsert of the same pages',
        budget: '≥ 2,000/s',
        pass: rate >= 2000,
      },
      {
        name: `CRM full sync: retained heap growth from the first tenth to the end (${retained.map((b) => mib(b).toFixed(1)).join(', ')} MiB)`,
        value: Number(growth.toFixed(2)),
        unit: 'MiB',
        baseline: Number(mib(retained[0] ?? 0).toFixed(2)),
        baselineName: 'retained after the first tenth',
        budget: '≤ 16 MiB (flat in the number of deals)',
        pass: growth <= 16,
      },
      {
        name: `CRM incremental sync, one changed deal among ${deals.toLocaleString('en-US')}`,
        value: Number(incrementalMs.toFixed(1)),
        unit: 'ms',
        baseline: Number(bareIncremental.ms.toFixed(1)),
        baselineName: 'bare fetch + upsert of the changed page',
        budget: '≤ 200 ms',
        pass: incrementalMs <= 200,
      },
    ];
  } finally {
    running.child.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchCrmSync({ quick: process.argv.includes('--quick') }).then((rows) => console.table(rows));
}
