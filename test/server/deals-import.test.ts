import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it, vi } from 'vitest';
import { ApiError, ImportRejected, ImportResult, type User } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { runCli } from '../../server/cli/run';
import { createServiceToken } from '../../server/import/service-tokens';
import { describeEachStore } from './stores';
import { TestClock, declareTenant, rowCount, salesforceTenant, signedIn, testApp } from './helpers';

type Auth = Record<string, string>;

function csv(text: string, auth: Auth): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'text/csv; charset=utf-8', ...auth }, body: text };
}
const map = encodeURIComponent(JSON.stringify({ crmId: 'Id', title: 'Name', amount: 'Amount', currency: 'Currency', status: 'Stage', closedAt: 'Closed', ownerEmail: 'Owner Email', kind: 'Type' }));

const goodFile = [
  'Id,Name,Amount,Currency,Stage,Closed,Owner Email,Type',
  '006-1,"Fleet renewal, phase 2",1200.50,eur,won,2026-03-10,ivy@import.test,sale',
  '006-2,Spare parts,300,USD,open,,ivy@import.test,sale',
  '006-3,"Timber ""A"" grade",900,EUR,Won,2026-03-11T15:00:00+01:00,,purchase',
  '',
].join('\r\n');

describeEachStore('deals CSV import', ({ store, databaseUrl }) => {
  const clock = new TestClock('2026-03-16T09:00:00.000Z');
  let app: HeadwayApp;
  let head: Auth;
  let manager: Auth;
  let service: Auth;
  let ivy: User;

  beforeAll(async () => {
    app = testApp(store(), clock);
    await declareTenant(store(), clock, salesforceTenant);
    head = (await signedIn(app, store(), clock, { role: 'head' })).auth;
    manager = (await signedIn(app, store(), clock, { role: 'manager' })).auth;
    ivy = (await signedIn(app, store(), clock, { role: 'manager', email: 'ivy@import.test' })).user;
    service = { Authorization: `Bearer ${(await createServiceToken(store().db, 'HubSpot export', clock.now().toISOString())).token}` };
  });

  it('dry-runs with exact counts and writes nothing, then imports all rows', async () => {
    const before = await rowCount(store(), 'deals');
    const dry = await app.request(`/api/deals/import?dryRun=1&crm=salesforce&map=${map}`, csv(goodFile, head));
    expect(dry.status).toBe(200);
    expect(ImportResult.parse(await dry.json())).toEqual({ dryRun: true, ok: true, rows: 3, created: 3, updated: 0, unchanged: 0, errors: [], unmatchedOwners: [] });
    expect(await rowCount(store(), 'deals')).toBe(before);
    expect(await store().db.selectFrom('won_totals').selectAll().where('count', '!=', 0).execute()).toEqual([]);

    const real = await app.request(`/api/deals/import?crm=salesforce&map=${map}`, csv(goodFile, service));
    expect(ImportResult.parse(await real.json())).toMatchObject({ ok: true, created: 3 });
    const deals = await store().db.selectFrom('deals').selectAll().where('crm', '=', 'salesforce').orderBy('crm_id').execute();
    expect(deals.map((d) => [d.crm_id, d.title, d.amount, d.currency, d.status, d.closed_at, d.owner_id, d.kind, d.source])).toEqual([
      ['006-1', 'Fleet renewal, phase 2', 1200.5, 'EUR', 'won', '2026-03-10T00:00:00Z', ivy.id, 'sale', 'import'],
      ['006-2', 'Spare parts', 300, 'USD', 'open', null, ivy.id, 'sale', 'import'],
      ['006-3', 'Timber "A" grade', 900, 'EUR', 'won', '2026-03-11T15:00:00+01:00', null, 'purchase', 'import'],
    ]);
    const again = ImportResult.parse(await (await app.request(`/api/deals/import?crm=salesforce&map=${map}`, csv(goodFile, head))).json());
    expect(again).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 3 });
  });

  it('reports every bad row with its line and imports nothing when any row is bad', async () => {
    const before = await store().db.selectFrom('deals').selectAll().orderBy('id').execute();
    const totals = await store().db.selectFrom('won_totals').selectAll().orderBy('month').orderBy('owner_key').execute();
    const bad = [
      'Id,Name,Amount,Currency,Stage,Closed,Owner Email,Type',
      '006-1,Changed title,1,EUR,won,2026-03-01,,sale',
      '006-9,"Multi',
      'line name",-4,EUR,open,,,sale',
      ',No id,1,EUR,open,,,sale',
      '006-10,Won without date,5,EUR,won,,,sale',
      '006-11,Bad amount,"1,200",EUR,open,,,sale',
      '006-12,Bad kind,1,EUR,open,,,rental',
      '006-1,Twice,1,EUR,open,,,sale',
      '006-13,Short row',
    ].join('\n');
    const response = await app.request(`/api/deals/import?crm=salesforce&map=${map}`, csv(bad, head));
    expect(response.status).toBe(400);
    // Refused: an ApiError whose issues are the bad rows with their lines; a dry run reports the same rows.
    const refused = ImportRejected.parse(await response.json());
    expect(ApiError.safeParse(refused).success).toBe(true);
    expect(refused).toMatchObject({ error: 'import_rejected', rows: 8 });
    expect(refused.message).toMatch(/^Nothing was imported: 7 bad rows \(line 3: amount \(column "Amount"\): -4 is below 0; /);
    const dry = ImportResult.parse(await (await app.request(`/api/deals/import?crm=salesforce&dryRun=1&map=${map}`, csv(bad, head))).json());
    expect(dry).toMatchObject({ ok: false, dryRun: true, errors: refused.issues });
    expect(refused.issues.map((e) => e.line)).toEqual([3, 5, 6, 7, 8, 9, 10]);
    expect(refused.issues.map((e) => e.reason)).toEqual([
      'amount (column "Amount"): -4 is below 0',
      expect.stringMatching(/crmId: the "Id" cell is empty/),
      expect.stringMatching(/a won deal needs closedAt/),
      expect.stringMatching(/amount \(column "Amount"\): "1,200" is not a number/),
      'kind (column "Type"): "rental" is not one of sale, purchase',
      expect.stringMatching(/same record \(salesforce 006-1\) as line 2/),
      '2 fields where the header has 8',
    ]);
    // A Russian reader (the dashboard's import dialog sends the reader's language) reads every reason in Russian,
    // worded from the issue: which column, what it held, what it should hold; none of zod's own English.
    const russian = ImportRejected.parse(await (await app.request(`/api/deals/import?crm=salesforce&map=${map}`, csv(bad, { ...head, 'Accept-Language': 'ru-RU' }))).json());
    expect(russian.issues.map((e) => e.reason)).toEqual([
      'amount (столбец «Amount»): -4 — меньше 0',
      'crmId: ячейка «Id» пуста',
      'у выигранной сделки должна быть дата closedAt (когда её выиграли)',
      'amount (столбец «Amount»): «1,200» — не число (пишите так: 125000 или 125000.50, без разделителей разрядов)',
      'kind (столбец «Type»): «rental» — допустимые значения: sale, purchase',
      'та же запись (salesforce 006-1), что и в строке 2; оставьте по одной строке на запись',
      '2 поля, а в заголовке 8',
    ]);
    expect(russian.message).toMatch(/^Ничего не импортировано: 7 строк с ошибками \(строка 3: amount \(столбец «Amount»\): -4 — меньше 0; /);
    expect(await store().db.selectFrom('deals').selectAll().orderBy('id').execute()).toEqual(before);
    expect(await store().db.selectFrom('won_totals').selectAll().orderBy('month').orderBy('owner_key').execute()).toEqual(totals);
  });

  it('explains a bad mapping, a missing CRM, a wrong content type, and refuses managers', async () => {
    const wrongHeader = encodeURIComponent(JSON.stringify({ crmId: 'ID' }));
    const header = ImportRejected.parse(await (await app.request(`/api/deals/import?crm=salesforce&map=${wrongHeader}`, csv(goodFile, head))).json());
    expect(header.issues).toEqual([{ line: 1, reason: expect.stringMatching(/crmId → "ID"/) }]);
    const noCrm = ImportRejected.parse(await (await app.request(`/api/deals/import?map=${map}`, csv(goodFile, head))).json());
    expect(noCrm.issues[0]?.reason).toMatch(/say which CRM/);
    expect((await app.request(`/api/deals/import?crm=salesforce&map=${encodeURIComponent('{"title":"Name"}')}`, csv(goodFile, head))).status).toBe(400);
    expect((await app.request(`/api/deals/import?crm=salesforce&map=notjson`, csv(goodFile, head))).status).toBe(400);
    expect((await app.request(`/api/deals/import?crm=salesforce&map=${map}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...head }, body: '{}' })).status).toBe(400);
    expect((await app.request(`/api/deals/import?crm=salesforce&map=${map}`, csv(goodFile, manager))).status).toBe(403);
  });

  it('imports from the CLI with --map, --crm and --dry-run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headway-import-'));
    const file = join(dir, 'deals.csv');
    writeFileSync(file, 'Id,Name,Amount,Currency\nP-1,Pallet wrap,10,EUR\nP-2,"Steel, brackets",20,EUR\n');
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, { env: { DATABASE_URL: databaseUrl() }, out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out, err };
    };
    const args = ['deals', 'import', file, '--map', 'crmId=Id,title=Name,amount=Amount,currency=Currency', '--crm', 'pipedrive', '--json'];
    // Pipedrive is no tenant of the workspace yet: nothing is imported, and the answer says how to declare it.
    const undeclared = await cli(...args, '--dry-run');
    expect(undeclared.code).toBe(1);
    expect(undeclared.err.join('\n')).toMatch(/crm add/);
    await declareTenant(store(), clock, { instance: 'https://acme.pipedrive.com', crm: 'pipedrive' });
    const dry = await cli(...args, '--dry-run');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out[0] ?? '')).toMatchObject({ dryRun: true, ok: true, created: 2 });
    expect(await store().db.selectFrom('deals').select('id').where('crm', '=', 'pipedrive').execute()).toHaveLength(0);
    const real = await cli(...args);
    expect(JSON.parse(real.out[0] ?? '')).toMatchObject({ dryRun: false, ok: true, created: 2 });
    expect(await store().db.selectFrom('deals').select('id').where('crm', '=', 'pipedrive').execute()).toHaveLength(2);
    writeFileSync(file, 'Id,Name,Amount,Currency\nP-3,Bad,ten,EUR\n');
    const bad = await cli(...args);
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/line 2: amount \(column "Amount"\): "ten" is not a number/);
    expect(JSON.parse(bad.out[0] ?? '')).toMatchObject({ error: 'failed', message: expect.stringMatching(/line 2: amount \(column "Amount"\): "ten" is not a number/) });
    // The shell's language names the CLI's: LC_ALL over LC_MESSAGES over LANG.
    vi.stubEnv('LC_ALL', 'ru_RU.UTF-8');
    try {
      const russian = await cli(...args.filter((arg) => arg !== '--json'));
      expect(russian.err.join('\n')).toContain('строка 2: amount (столбец «Amount»): «ten» — не число');
    } finally {
      vi.unstubAllEnvs();
    }
    const usage = await cli('deals', 'import', file, '--map', 'title=Name', '--crm', 'pipedrive');
    expect(usage.code).toBe(2);
    // Totals broken behind Headway's back are put right by a rebuild.
    await store().db.deleteFrom('won_totals').execute();
    const rebuilt = await cli('totals', 'rebuild', '--json');
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.out[0] ?? '')).toMatchObject({ wonCells: 2, pipelineCells: 0 });
  });
});
