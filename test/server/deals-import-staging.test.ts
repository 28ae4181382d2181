import { expect, it } from 'vitest';
import { DealImportMapping } from '../../core/schema';
import { importDeals, type DealImportOptions } from '../../server/import/deal-import';
import { StaleImport, applyImport, clearImport, openImport, stageChunk } from '../../server/import/deal-import-staging';
import { upsertDeal, type DealWrite } from '../../server/import/deal-upsert';
import { DealTotalsChange, rebuildDealTotals } from '../../server/plan/deal-totals';
import type { Store } from '../../server/store/store';
import { writeTransaction } from '../../server/store/transaction';
import { listUsers } from '../../server/store/users';
import { listInstances } from '../../server/store/workspace';
import { TestClock, addUser, declareTenant, rowCount, testTenant } from './helpers';
import { describeEachStore } from './stores';

const now = '2026-03-16T09:00:00.000Z';
const mapping = DealImportMapping.parse({ columns: { crmId: 'Id', title: 'Name', amount: 'Amount', status: 'Status', closedAt: 'Closed', ownerEmail: 'Owner' }, constants: { currency: 'EUR' } });
const options = (extra: Partial<DealImportOptions> = {}): DealImportOptions => ({ mapping, crm: testTenant.crm, dryRun: false, author: { feed: 'test' }, chunkRows: 200, ...extra });

function lines(count: number, last?: string): string[] {
  const rows = Array.from({ length: count }, (_, i) => `stage-${i},Deal ${i},${1000 + i},${i % 2 === 0 ? 'won' : 'open'},${i % 2 === 0 ? '2026-03-02' : ''},`);
  if (last !== undefined) rows[count - 1] = last;
  return ['Id,Name,Amount,Status,Closed,Owner', ...rows];
}

/** What a reader could see of imports: deals, their history, changes, totals, and whatever is staged. */
async function visible(store: Store) {
  const count = async (table: 'deal_history' | 'deal_import_rows' | 'deal_imports' | 'won_totals') =>
    Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    deals: await rowCount(store, 'deals'),
    changes: await rowCount(store, 'change_log'),
    history: await count('deal_history'),
    wonCells: await count('won_totals'),
    staged: await count('deal_import_rows'),
    imports: await count('deal_imports'),
  };
}

const workspaceOf = async (store: Store) => ({ users: await listUsers(store.db), tenants: await listInstances(store.db) });

/** Issue 13 §7: a big import is staged in short transactions and applied at once; nothing half-done is ever seen. */
describeEachStore('deals import staging', ({ store }) => {
  it('writes nothing and leaves the staging area clean when the last chunk has a bad row', async () => {
    await declareTenant(store(), new TestClock());
    const before = await visible(store());
    // Good in itself, refused by upsertDeal's rules: a won deal needs a closing date.
    const result = await importDeals(store(), lines(1_250, 'stage-last,Late,5,won,,').join('\n'), options(), now);
    expect(result).toMatchObject({ ok: false, rows: 1_250, created: 0, errors: [{ line: 1_251, reason: expect.stringMatching(/a won deal needs closedAt/) }] });
    const duplicate = await importDeals(store(), lines(1_250, 'stage-3,Again,5,open,,').join('\n'), options(), now);
    expect(duplicate.errors).toEqual([{ line: 1_251, reason: 'the same record (suitecrm stage-3) as line 5; keep one row per record' }]);
    expect(await visible(store())).toEqual(before);
  });

  it('applies a good import as upsertDeal would: history, changes, totals and an approved move done', async () => {
    const clock = new TestClock();
    await declareTenant(store(), clock);
    const ann = (await addUser(store(), clock, { role: 'manager', email: 'ann@staging.test' })).user;
    const bob = (await addUser(store(), clock, { role: 'manager', email: 'bob@staging.test' })).user;
    const workspace = await workspaceOf(store());
    const write = (crmId: string, fields: DealWrite['fields']): DealWrite => ({ crm: testTenant.crm, instance: testTenant.instance, crmId, recordType: 'deal', fields, source: 'api', author: { feed: 'test' } });
    const kept = await writeTransaction(store(), async (tx) => {
      const moving = await upsertDeal(tx, store().kind, workspace, write('keep-1', { title: 'Moving', amount: 10, currency: 'EUR', ownerEmail: ann.email }), now);
      await upsertDeal(tx, store().kind, workspace, write('keep-2', { title: 'Same', amount: 20, currency: 'EUR', status: 'won', closedAt: '2026-03-01T00:00:00Z' }), now);
      return moving.row;
    });
    await store().db.insertInto('moves').values({
      id: 'move-1', deal_id: kept.id, from_id: ann.id, to_id: bob.id, why: 'manual', reason: 'Balance.', status: 'approved',
      created_by: ann.id, created_at: now, decided_by: ann.id, decided_at: now, done_at: null, updated_at: now, version: 1,
    }).execute();
    const counter = async () => Number((await store().db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq);
    const seqBefore = await counter();
    const file = ['Id,Name,Amount,Status,Closed,Owner', `keep-1,Moving,10,open,,${bob.email}`, 'keep-2,Same,20,won,2026-03-01,', 'new-1,Fresh,30,won,2026-03-05,', 'new-2,Open one,40,open,,'].join('\n');
    const result = await importDeals(store(), file, options(), now);
    expect(result).toMatchObject({ ok: true, created: 2, updated: 1, unchanged: 1 });
    const deals = await store().db.selectFrom('deals').select(['crm_id', 'owner_id', 'version', 'source']).where('crm_id', 'in', ['keep-1', 'keep-2', 'new-1', 'new-2']).orderBy('crm_id').execute();
    expect(deals).toEqual([
      { crm_id: 'keep-1', owner_id: bob.id, version: 2, source: 'import' },
      { crm_id: 'keep-2', owner_id: null, version: 1, source: 'api' },
      { crm_id: 'new-1', owner_id: null, version: 1, source: 'import' },
      { crm_id: 'new-2', owner_id: null, version: 1, source: 'import' },
    ]);
    const history = await store().db.selectFrom('deal_history').innerJoin('deals', 'deals.id', 'deal_history.deal_id').select(['deals.crm_id', 'deal_history.version', 'deal_history.source', 'deal_history.actor_label', 'deal_history.changes']).where('deal_history.source', '=', 'import').orderBy('deals.crm_id').execute();
    expect(history.map((h) => [h.crm_id, h.version, h.actor_label, JSON.parse(h.changes)])).toEqual([
      ['keep-1', 2, 'test', { ownerId: { from: ann.id, to: bob.id }, ownerLabel: { from: ann.name, to: bob.name } }],
      ['new-1', 1, 'test', expect.objectContaining({ title: { from: null, to: 'Fresh' }, status: { from: null, to: 'won' } })],
      ['new-2', 1, 'test', expect.objectContaining({ title: { from: null, to: 'Open one' } })],
    ]);
    const changes = await store().db.selectFrom('change_log').selectAll().where('seq', '>', seqBefore).orderBy('seq').execute();
    // The move's completion, then the three deals in file order, numbered on from the counter.
    expect(changes.map((c) => [c.entity, c.version, c.owner_id, c.previous_owner_id])).toEqual([
      ['move', 2, ann.id, null],
      ['deal', 2, bob.id, ann.id],
      ['deal', 1, null, null],
      ['deal', 1, null, null],
    ]);
    expect(changes.map((c) => Number(c.seq))).toEqual([1, 2, 3, 4].map((n) => seqBefore + n));
    expect(await counter()).toBe(seqBefore + 4);
    expect(await store().db.selectFrom('moves').select(['status', 'done_at']).where('id', '=', 'move-1').executeTakeFirstOrThrow()).toEqual({ status: 'done', done_at: now });
    // The totals kept by the import's folded change equal a rebuild from the deals.
    const totals = async () => ({
      won: await store().db.selectFrom('won_totals').selectAll().where('count', '!=', 0).orderBy(['kind', 'month', 'owner_key', 'currency']).execute(),
      pipeline: await store().db.selectFrom('pipeline_totals').selectAll().where('count', '!=', 0).orderBy(['kind', 'grain', 'bucket', 'owner_key', 'currency']).execute(),
    });
    const kept2 = await totals();
    await rebuildDealTotals(store().db);
    expect(kept2).toEqual(await totals());
    expect(await visible(store())).toMatchObject({ staged: 0, imports: 0 });
  });

  it('rolls the whole import back when a deal it planned for changed before it was applied', async () => {
    const clock = new TestClock();
    await declareTenant(store(), clock);
    const workspace = await workspaceOf(store());
    const write = (crmId: string, title: string): DealWrite => ({ crm: testTenant.crm, instance: testTenant.instance, crmId, recordType: 'deal', fields: { title }, source: 'import', author: { feed: 'test' } });
    await writeTransaction(store(), (tx) => upsertDeal(tx, store().kind, workspace, write('race-1', 'Before'), now));
    const importId = await openImport(store());
    const found = await writeTransaction(store(), (tx) => stageChunk(tx, store(), importId, workspace, [{ line: 2, write: write('race-1', 'From the file') }, { line: 3, write: write('race-2', 'New') }], now));
    expect(found.staged.map((plan) => plan.outcome)).toEqual(['updated', 'created']);
    // Another writer changes the deal between staging and applying.
    await writeTransaction(store(), (tx) => upsertDeal(tx, store().kind, workspace, write('race-1', 'Meanwhile'), now));
    const races = () => store().db.selectFrom('deals').selectAll().where('crm_id', 'like', 'race-%').orderBy('crm_id').execute();
    const during = await races();
    await expect(applyImport(store(), importId, { created: 1, updated: 1, unchanged: 0 }, new DealTotalsChange(), now)).rejects.toBeInstanceOf(StaleImport);
    expect(await races()).toEqual(during);
    expect(during.map((deal) => [deal.crm_id, deal.title, deal.version])).toEqual([['race-1', 'Meanwhile', 2]]);
    await clearImport(store(), importId);
  });

  it('leaves nothing visible when the upload breaks off mid-import, and sweeps what a crashed import staged', async () => {
    await declareTenant(store(), new TestClock());
    const before = await visible(store());
    const [header, ...rows] = lines(1_000);
    async function* breaksOff() {
      yield `${header}\n${rows.slice(0, 600).join('\n')}\n`;
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('client went away');
    }
    await expect(importDeals(store(), breaksOff(), options(), now)).rejects.toThrow('client went away');
    expect(await visible(store())).toEqual(before);

    // A process killed mid-import leaves its staged rows and its import behind, never its deals: the next import,
    // ten minutes on, sweeps them.
    const crashed = await openImport(store());
    const workspace = await workspaceOf(store());
    await writeTransaction(store(), (tx) =>
      stageChunk(tx, store(), crashed, workspace, [{ line: 2, write: { crm: testTenant.crm, instance: testTenant.instance, crmId: 'crashed-1', recordType: 'deal', fields: { title: 'Lost' }, source: 'import', author: { feed: 'test' } } }], now),
    );
    expect(await visible(store())).toEqual({ ...before, staged: 1, imports: 1 });
    await store().db.updateTable('deal_imports').set({ touched_at: new Date(Date.now() - 11 * 60_000).toISOString() }).where('id', '=', crashed).execute();
    const next = await importDeals(store(), lines(3).join('\n'), options({ dryRun: true }), now);
    expect(next).toMatchObject({ ok: true, created: 3 });
    expect(await visible(store())).toEqual(before);
  });
});
