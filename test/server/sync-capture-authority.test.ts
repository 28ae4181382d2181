import { beforeAll, expect, it } from 'vitest';
import { DealHistoryResponse, ProgressResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { TestClock, testApp, testTenant } from './helpers';
import { clockStart, dealRow, getJson, seedDepartment } from './load-fixtures';
import { insertDeals } from '../../server/store/deals';
import { dealCapture, newClientId, pushOk, tenantDealUrl } from './sync-fixtures';
import { describeEachStore } from './stores';

// Issue 13 §1–2, as reproduced: a page read is no authority. deal.capture may change no more than its author may
// through PUT /api/deals (head, admin, service), only on the workspace's tenants, and every change keeps its origin.
describeEachStore('deal.capture: what a page read may change, and the history it leaves', ({ store }) => {
  const clock = new TestClock(clockStart);
  let app: HeadwayApp;
  let world: Awaited<ReturnType<typeof seedDepartment>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    world = await seedDepartment(app, store(), clock);
    for (const [who, ownerId] of [[world.ana, 'aalves'], [world.ben, 'bbrook']] as const) {
      const response = await app.request(`/api/users/${who.user.id}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', ...world.head.auth }, body: JSON.stringify({ crmIdentities: [{ crm: 'suitecrm', ownerId }] }) });
      expect(response.status).toBe(200);
    }
  });

  const row = (crmId: string) => store().db.selectFrom('deals').selectAll().where('crm_id', '=', crmId).executeTakeFirstOrThrow();
  const monthOf = async (ownerId: string) => {
    const progress = ProgressResponse.parse(await getJson(app, '/api/progress?period=month&date=2026-06-17&kind=sale', world.head.auth));
    return progress.managers.find((m) => m.ownerId === ownerId)!;
  };

  it("refuses a manager's capture that makes a colleague's deal his own and won, and his month stays as it was", async () => {
    const deal = world.anaDeals[0]!;
    const before = await row(deal.crm_id);
    const benMonth = await monthOf(world.ben.user.id);
    const answer = await pushOk(app, world.ben.auth, newClientId(), [
      dealCapture(1, deal.crm_id, { ownerLabel: 'bbrook', status: 'won', amount: 9_999_999, closedAt: '2026-06-10T10:00:00.000Z' }),
    ]);
    expect(answer.results[0]).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(answer.results[0]?.error?.message).toMatch(/does not change a deal's owner, status, amount, closedAt/);
    expect(await row(deal.crm_id)).toEqual(before);
    expect(await monthOf(world.ben.user.id)).toEqual(benMonth);
  });

  it("says why in the reader's language: which of the deal's figures a page may not change", async () => {
    const deal = world.anaDeals[0]!;
    const answer = await pushOk(app, { ...world.ben.auth, 'Accept-Language': 'ru-RU' }, newClientId(), [
      dealCapture(1, deal.crm_id, { ownerLabel: 'bbrook', status: 'won', closedAt: '2026-06-10T10:00:00.000Z' }),
    ]);
    expect(answer.results[0]).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(answer.results[0]?.error?.message).toContain('не меняют в сделке ответственного, статус, дату закрытия');
  });

  it("refuses a manager's capture of his own deal as won for more, and an exec's that loses an open deal for 1", async () => {
    const own = world.anaDeals[1]!;
    const ownBefore = await row(own.crm_id);
    const mine = await pushOk(app, world.ana.auth, newClientId(), [dealCapture(1, own.crm_id, { status: 'won', amount: 1_000_000, closedAt: '2026-06-10T10:00:00.000Z' })]);
    expect(mine.results[0]).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await row(own.crm_id)).toEqual(ownBefore);

    const big = dealRow(world.cleo.user.id, { amount: 153_100, currency: 'EUR', stage: 'Negotiation' });
    await insertDeals(store().db, [big]);
    const exec = await pushOk(app, world.exec.auth, newClientId(), [dealCapture(1, big.crm_id, { status: 'lost', amount: 1, closedAt: '2026-06-10T10:00:00.000Z' })]);
    expect(exec.results[0]).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await row(big.crm_id)).toMatchObject({ status: 'open', amount: 153_100, closed_at: null, version: 1 });
  });

  it('lets a manager bring what a page shows besides the figures, and add a deal of their own', async () => {
    const deal = world.anaDeals[2]!;
    const answer = await pushOk(app, world.ben.auth, newClientId(), [
      dealCapture(1, deal.crm_id, { stage: 'Proposal', title: 'Harbour Foods – renewal' }, tenantDealUrl(deal.crm_id)),
      dealCapture(2, 'ben-new-1', { title: 'Fresh lead', ownerLabel: 'bbrook', amount: 2_000, currency: 'EUR' }),
      dealCapture(3, 'nobody-new-1', { title: 'Unowned lead', stage: 'Qualification' }),
      dealCapture(4, 'ana-new-1', { title: 'Planted on Ana', ownerLabel: 'aalves', status: 'won', amount: 5, closedAt: '2026-06-10T10:00:00.000Z' }),
    ]);
    expect(answer.results.map((result) => result.ok)).toEqual([true, true, true, false]);
    expect(await row(deal.crm_id)).toMatchObject({ stage: 'Proposal', title: 'Harbour Foods – renewal', owner_id: world.ana.user.id, url: tenantDealUrl(deal.crm_id) });
    expect(await row('ben-new-1')).toMatchObject({ owner_id: world.ben.user.id, amount: 2_000 });
    expect(await store().db.selectFrom('deals').select('id').where('crm_id', '=', 'ana-new-1').execute()).toEqual([]);
  });

  it('stores only http(s) links of the record\'s own tenant: javascript: and another host are refused', async () => {
    const deal = world.anaDeals[3]!;
    const before = await row(deal.crm_id);
    for (const url of ['javascript:alert(document.cookie)', 'https://evil.example/index.php?module=Opportunities&action=DetailView&record=1', 'data:text/html,<b>x</b>']) {
      const answer = await pushOk(app, world.head.auth, newClientId(), [dealCapture(1, deal.crm_id, { stage: 'Closing' }, url)]);
      expect(answer.results[0], url).toMatchObject({ ok: false, error: { code: 'invalid' } });
    }
    expect(await row(deal.crm_id)).toEqual(before);
  });

  it("refuses a page of another company's tenant of a known CRM, and the workspace's deal of that id stays as it was", async () => {
    const deal = world.anaDeals[4]!;
    const before = await row(deal.crm_id);
    const foreign = { mutationId: 1, name: 'deal.capture', args: { record: { crm: 'suitecrm', instance: 'https://attacker.example', crmId: deal.crm_id, recordType: 'deal' }, fields: { title: 'Owned', amount: 1, ownerLabel: 'aalves' }, url: null } };
    const pipedrive = { mutationId: 2, name: 'deal.capture', args: { record: { crm: 'pipedrive', instance: 'https://attacker.pipedrive.com', crmId: '42', recordType: 'deal' }, fields: { title: 'Owned' }, url: null } };
    const note = { mutationId: 3, name: 'note.create', args: { id: 'foreign-note-1', record: { crm: 'pipedrive', instance: 'https://attacker.pipedrive.com', crmId: '42', recordType: 'deal' }, recordTitle: 'x', side: 'buyer', text: 'x', createdAt: clockStart } };
    const answer = await pushOk(app, world.head.auth, newClientId(), [foreign, pipedrive, note]);
    for (const result of answer.results) {
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(result.error?.message).toMatch(/is not one of this workspace's .* tenants/);
    }
    expect(await row(deal.crm_id)).toEqual(before);
    expect(await store().db.selectFrom('deals').select('id').where('crm', '=', 'pipedrive').execute()).toEqual([]);
    expect(await store().db.selectFrom('notes').select('id').where('id', '=', 'foreign-note-1').execute()).toEqual([]);
  });

  it('tells a client that names no tenant (an extension older than the server) what to do, and writes nothing', async () => {
    const old = { mutationId: 1, name: 'deal.capture', args: { record: { crm: 'suitecrm', crmId: 'old-ext-1', recordType: 'deal' }, fields: { title: 'Old' }, url: null } };
    const answer = await pushOk(app, world.head.auth, newClientId(), [old]);
    expect(answer.results[0]).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(answer.results[0]?.error?.message).toMatch(/names no CRM tenant \(instance\).*update it/);
    expect(await store().db.selectFrom('deals').select('id').where('crm_id', '=', 'old-ext-1').execute()).toEqual([]);
    const load = await app.request('/api/load/deal/suitecrm/deal/x', { headers: world.head.auth });
    expect(load.status).toBe(400);
    expect(await load.text()).toMatch(/names no CRM tenant/);
  });

  it("shows the head a deal's history: each change's source, author, time and before → after; nobody else", async () => {
    const crmId = 'history-1';
    clock.advance(60_000);
    await pushOk(app, world.ben.auth, newClientId(), [dealCapture(1, crmId, { title: 'Dockside', ownerLabel: 'bbrook', amount: 4_000, currency: 'EUR' })]);
    clock.advance(60_000);
    const ingested = await app.request(`/api/deals/suitecrm/${crmId}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...world.head.auth },
      body: JSON.stringify({ instance: testTenant.instance, amount: 4_500, stage: 'Proposal' }),
    });
    expect(ingested.status).toBe(200);
    const { id } = await row(crmId);
    const history = DealHistoryResponse.parse(await getJson(app, `/api/deals/history?id=${id}`, world.head.auth));
    expect(history.deal).toMatchObject({ crmId, instance: testTenant.instance, amount: 4_500 });
    expect(history.history).toEqual([
      {
        version: 2, at: clock.now().toISOString(), source: 'api', actor: { id: world.head.user.id, label: 'Hana Head' },
        changes: { amount: { from: 4_000, to: 4_500 }, stage: { from: null, to: 'Proposal' } },
      },
      expect.objectContaining({
        version: 1, source: 'page', actor: { id: world.ben.user.id, label: 'Ben Brook' },
        changes: expect.objectContaining({ title: { from: null, to: 'Dockside' }, ownerId: { from: null, to: world.ben.user.id }, amount: { from: null, to: 4_000 } }),
      }),
    ]);
    for (const who of [world.ben, world.exec]) expect((await getJson(app, `/api/deals/history?id=${id}`, who.auth, 403)).error).toBe('forbidden');
    expect((await getJson(app, '/api/deals/history?id=00000000-0000-4000-8000-000000000000', world.head.auth, 404)).error).toBe('not-found');
  });
});
