import { afterAll, beforeAll, expect, it } from 'vitest';
import { LoadResponse, MoveRecord } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { departmentLoad } from '../../server/balance/load-report';
import { visibleLoad } from '../../server/balance/load-view';
import { openDealsCacheOf } from '../../server/balance/open-deals';
import { openMigratedStore, type Store } from '../../server/store/store';
import { TestClock, testApp, testTenant } from './helpers';
import { clockStart, getJson, seedDepartment, send, today } from './load-fixtures';
import { describeEachStore } from './stores';

/*
 * GET /api/load answers from open deals cached in memory per store and refreshed from the change log. Each check
 * compares the answer with a full rebuild from the database (departmentLoad without the cache), after every kind
 * of change the view depends on, through this server and through a second one on the same database.
 */
describeEachStore('load: the cached open deals stay correct', ({ store, databaseUrl }) => {
  const clock = new TestClock(clockStart);
  let app: HeadwayApp;
  let other: Store;
  let otherApp: HeadwayApp;
  let world: Awaited<ReturnType<typeof seedDepartment>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    world = await seedDepartment(app, store(), clock);
    // A second server process: its own store (connection pool, cache) on the same database.
    other = await openMigratedStore(databaseUrl());
    otherApp = testApp(other, clock);
  });
  afterAll(async () => {
    await other?.close();
  });

  const load = async (on: HeadwayApp = app) => LoadResponse.parse(await getJson(on, '/api/load', world.head.auth));
  /** What a server without any cache answers now, as JSON would carry it. */
  const rebuilt = async () => JSON.parse(JSON.stringify(visibleLoad(await departmentLoad(store().db, today), world.head.user)));
  const expectFresh = async (on: HeadwayApp = app) => {
    const view = await load(on);
    expect(view).toEqual(await rebuilt());
    return view;
  };
  const ingest = async (on: HeadwayApp, crmId: string, body: Record<string, unknown>) => {
    const response = await on.request(`/api/deals/suitecrm/${crmId}`, send('PUT', { instance: testTenant.instance, ...body }, world.head.auth));
    expect([200, 201], await response.clone().text()).toContain(response.status);
  };
  const anaLoad = (view: LoadResponse) => view.managers.find((m) => m.id === world.ana.user.id)!.load;

  it('reads every open deal once, then only what changed, and answers like a full rebuild', async () => {
    const cache = openDealsCacheOf(store());
    const first = await expectFresh();
    expect(cache.stats.full).toBe(1);
    await expectFresh();
    expect(cache.stats).toMatchObject({ full: 1, incremental: 0 });

    // A new deal for Ana, then one of hers moving on to a later stage.
    await ingest(app, 'cache-new-1', { title: 'Fresh lead', stage: 'Prospecting', segment: 'EMEA', ownerEmail: world.ana.user.email });
    const added = await expectFresh();
    expect(anaLoad(added)).toBe(anaLoad(first) + 3);
    await ingest(app, world.anaDeals[0]!.crm_id, { stage: 'Closing' });
    const later = await expectFresh();
    expect(anaLoad(later)).toBe(anaLoad(added) - 2);
    // Won: it leaves the load altogether.
    await ingest(app, world.anaDeals[1]!.crm_id, { status: 'won', closedAt: '2026-06-17T09:00:00Z' });
    const won = await expectFresh();
    expect(anaLoad(won)).toBe(anaLoad(later) - 3);
    expect(won.moves.some((m) => m.dealId === world.anaDeals[1]!.id)).toBe(false);
    expect(cache.stats).toMatchObject({ full: 1, incremental: 3 });
  });

  it('follows proposed, approved and done moves', async () => {
    const suggestion = (await load()).moves.find((m) => m.why === 'rebalance')!;
    const proposed = await app.request('/api/moves', send('POST', { dealId: suggestion.dealId, to: suggestion.to }, world.head.auth));
    expect(proposed.status).toBe(201);
    const move = MoveRecord.parse(await proposed.json());
    expect((await expectFresh()).proposals.map((p) => p.id)).toContain(move.id);
    const approved = await app.request(`/api/moves/${move.id}/approve`, { method: 'POST', headers: world.head.auth });
    expect(approved.status).toBe(200);
    // Counted at the target already, while the CRM still shows the old owner.
    const view = await expectFresh();
    expect(view.moves.some((m) => m.dealId === move.dealId)).toBe(false);
    // The CRM shows the new owner: the move is done and the deal is the target's in the cache too.
    const target = suggestion.to === world.ben.user.id ? world.ben.user : world.dev.user;
    const crmId = (await store().db.selectFrom('deals').select('crm_id').where('id', '=', move.dealId).executeTakeFirstOrThrow()).crm_id;
    await ingest(app, crmId, { ownerEmail: target.email });
    const done = await expectFresh();
    expect(done.proposals.some((p) => p.id === move.id)).toBe(false);
    expect(done.managers.find((m) => m.id === target.id)!.openDeals).toBe(view.managers.find((m) => m.id === target.id)!.openDeals);
  });

  it('follows balance settings, workspace rates and roster changes, none of which touch the deals', async () => {
    const before = await expectFresh();
    const lighter = await app.request('/api/load/settings', send('PUT', { stages: [{ stage: 'Prospecting', weight: 1 }], defaultWeight: 1 }, world.head.auth));
    expect(lighter.status).toBe(200);
    const after = await expectFresh();
    expect(anaLoad(after)).toBeLessThan(anaLoad(before));
    const tiers = await app.request('/api/load/settings', send('PUT', { amountTiers: [{ minAmount: 5_000, multiplier: 2 }] }, world.head.auth));
    expect(tiers.status).toBe(200);
    const benLoad = (view: LoadResponse) => view.managers.find((m) => m.id === world.ben.user.id)!.load;
    const beforeUsd = benLoad(await expectFresh());
    await ingest(app, 'cache-usd-1', { title: 'Dollar deal', stage: 'Prospecting', segment: 'EMEA', amount: 8_000, currency: 'USD', ownerEmail: world.ben.user.email });
    const noRate = await expectFresh();
    const rated = await app.request('/api/settings', send('PUT', { rates: { USD: 0.9 } }, world.head.auth));
    expect(rated.status).toBe(200);
    // Without a USD rate the deal weighs its stage only; 8,000 USD is 7,200 EUR now, and the 5,000 tier doubles it.
    const stageOnly = benLoad(noRate) - beforeUsd;
    expect(stageOnly).toBeGreaterThan(0);
    expect(benLoad(await expectFresh())).toBe(beforeUsd + 2 * stageOnly);
    const roster = await app.request(`/api/users/${world.dev.user.id}`, send('PUT', { capacity: 40 }, world.head.auth));
    expect(roster.status).toBe(200);
    expect((await expectFresh()).managers.find((m) => m.id === world.dev.user.id)!.capacity).toBe(40);
    expect((await app.request(`/api/users/${world.dev.user.id}`, send('PUT', { capacity: 10 }, world.head.auth))).status).toBe(200);
    expect((await app.request('/api/load/settings', send('PUT', {}, world.head.auth))).status).toBe(200);
    await expectFresh();
  });

  it('stays correct across two server processes writing to the same database', async () => {
    const otherCache = openDealsCacheOf(other);
    await expectFresh(otherApp);
    await expectFresh(app);
    // Written through the second server, read through the first; and the other way round.
    await ingest(otherApp, 'cache-other-1', { title: 'Via the other server', stage: 'Qualification', segment: 'EMEA', ownerEmail: world.ana.user.email });
    const seen = await expectFresh(app);
    expect(seen.managers.find((m) => m.id === world.ana.user.id)!.openDeals).toBe((await load(otherApp)).managers.find((m) => m.id === world.ana.user.id)!.openDeals);
    await ingest(app, 'cache-other-1', { stage: 'Closing' });
    await expectFresh(otherApp);
    const dealId = (await store().db.selectFrom('deals').select('id').where('crm_id', '=', 'cache-other-1').executeTakeFirstOrThrow()).id;
    const proposed = await otherApp.request('/api/moves', send('POST', { dealId, to: world.ben.user.id, decide: 'approve' }, world.head.auth));
    expect(proposed.status).toBe(201);
    expect((await expectFresh(app)).proposals.map((p) => p.dealId)).toContain(dealId);
    expect(otherCache.stats.full).toBe(1);
    expect(otherCache.stats.incremental).toBeGreaterThan(0);
  });
});
