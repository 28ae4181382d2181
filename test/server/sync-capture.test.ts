import { beforeAll, expect, it } from 'vitest';
import { MoveRecord, ProgressResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { seededRandom } from '../../server/demo/prng';
import { rebuildDealTotals } from '../../server/plan/deal-totals';
import { writeTransaction } from '../../server/store/transaction';
import { TestClock, testApp } from './helpers';
import { clockStart, seedDepartment, send } from './load-fixtures';
import { dealCapture, newClientId, pushOk } from './sync-fixtures';
import { describeEachStore } from './stores';

// Page capture writes deals through the same path as ingest and import (upsertDeal → writeDeal), so plan
// progress and deal moves follow what a manager's browser saw, in the capture's own transaction.
describeEachStore('sync push: deal.capture keeps totals and moves in step', ({ store }) => {
  const clock = new TestClock(clockStart);
  let app: HeadwayApp;
  let world: Awaited<ReturnType<typeof seedDepartment>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    world = await seedDepartment(app, store(), clock);
    for (const [who, ownerId] of [[world.ana, 'aalves'], [world.ben, 'bbrook']] as const) {
      const response = await app.request(`/api/users/${who.user.id}`, send('PUT', { crmIdentities: [{ crm: 'suitecrm', ownerId }] }, world.head.auth));
      expect(response.status).toBe(200);
    }
  });

  const progress = async (query: string) => {
    const response = await app.request(`/api/progress?${query}`, { headers: world.head.auth });
    expect(response.status).toBe(200);
    return ProgressResponse.parse(await response.json());
  };

  // The head's own page reads: a manager's may not change a deal's figures (sync-capture-authority.test.ts).
  it('counts a deal captured as won in plan progress, and moves it out again when the page shows it lost', async () => {
    const before = await progress('period=month&date=2026-06-17&kind=sale');
    const anaBefore = before.managers.find((m) => m.ownerId === world.ana.user.id)!;
    const clientId = newClientId();
    await pushOk(app, world.head.auth, clientId, [
      dealCapture(1, 'cap-won-1', { title: 'Harbour Foods', amount: 4_000, currency: 'EUR', ownerLabel: 'aalves', status: 'won', closedAt: '2026-06-10T10:00:00.000Z' }),
    ]);
    const after = await progress('period=month&date=2026-06-17&kind=sale');
    expect(after.managers.find((m) => m.ownerId === world.ana.user.id)).toMatchObject({ actual: anaBefore.actual + 4_000, count: anaBefore.count + 1 });
    expect(after.department.actual).toBe(before.department.actual + 4_000);

    // The same page again changes nothing; a later view showing it lost takes it out of the won total.
    await pushOk(app, world.head.auth, clientId, [dealCapture(2, 'cap-won-1', { amount: 4_000, status: 'won' })]);
    expect((await progress('period=month&date=2026-06-17&kind=sale')).department.actual).toBe(before.department.actual + 4_000);
    await pushOk(app, world.head.auth, clientId, [dealCapture(3, 'cap-won-1', { status: 'lost' })]);
    expect((await progress('period=month&date=2026-06-17&kind=sale')).department.actual).toBe(before.department.actual);
  });

  it('refuses a won capture without a closing date as invalid, and the queue moves on', async () => {
    const response = await pushOk(app, world.ana.auth, newClientId(), [
      dealCapture(1, 'cap-won-undated', { status: 'won', amount: 1_000 }),
      dealCapture(2, 'cap-open-2', { stage: 'Prospecting' }),
    ]);
    expect(response.results[0]).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(response.results[0]?.error?.message).toContain('closedAt');
    expect(response.results[1]).toEqual({ mutationId: 2, ok: true });
    const rows = await store().db.selectFrom('deals').select('crm_id').where('crm_id', 'in', ['cap-won-undated', 'cap-open-2']).execute();
    expect(rows.map((r) => r.crm_id)).toEqual(['cap-open-2']);
  });

  it('marks an approved move done in the capture that shows the target as owner', async () => {
    const deal = world.anaDeals[0]!;
    const proposed = await app.request('/api/moves', send('POST', { dealId: deal.id, to: world.ben.user.id, decide: 'approve' }, world.head.auth));
    expect(proposed.status).toBe(201);
    const move = MoveRecord.parse(await proposed.json());
    expect(move.status).toBe('approved');
    const moveRow = () => store().db.selectFrom('moves').selectAll().where('id', '=', move.id).executeTakeFirstOrThrow();

    // A page that still shows Ana leaves the move approved.
    clock.advance(60_000);
    const clientId = newClientId();
    await pushOk(app, world.ben.auth, clientId, [dealCapture(1, deal.crm_id, { ownerLabel: 'aalves', stage: 'Qualification' })]);
    expect(await moveRow()).toMatchObject({ status: 'approved', done_at: null });

    clock.advance(60_000);
    const capturedAt = clock.now().toISOString();
    const seqBefore = Number((await store().db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq);
    await pushOk(app, world.ben.auth, clientId, [dealCapture(2, deal.crm_id, { ownerLabel: 'BBROOK' })]);
    // Read straight from the table: no load or move view ran in between to settle it afterwards.
    expect(await moveRow()).toMatchObject({ status: 'done', done_at: capturedAt, version: move.version + 1 });
    const logged = await store().db.selectFrom('change_log').selectAll().where('seq', '>', seqBefore).orderBy('seq').execute();
    expect(logged.map((c) => [c.entity, c.entity_id])).toEqual([['move', move.id], ['deal', deal.id]]);
    expect(logged.find((c) => c.entity === 'deal')).toMatchObject({ owner_id: world.ben.user.id, previous_owner_id: world.ana.user.id });
    expect(logged.find((c) => c.entity === 'move')).toMatchObject({ owner_id: world.ana.user.id, audience_user_id: world.ben.user.id });
  });

  it('leaves the won and pipeline totals equal to a rebuild after random captures', async () => {
    const random = seededRandom(store().kind === 'sqlite' ? 23 : 29);
    const day = () => `2026-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
    const clientId = newClientId();
    let mutationId = 0;
    for (let batch = 0; batch < 12; batch++) {
      const mutations = Array.from({ length: 25 }, () => {
        const fields: Record<string, unknown> = {};
        if (random.chance(0.5)) fields.status = random.pick(['open', 'won', 'won', 'lost']);
        if (random.chance(0.5)) fields.amount = random.int(1, 500_000) / 100;
        if (random.chance(0.3)) fields.currency = random.pick(['EUR', 'USD', 'GBP']);
        if (random.chance(0.4)) fields.ownerLabel = random.pick(['aalves', 'bbrook', 'Somebody Else']);
        if (random.chance(0.3)) fields.kind = random.pick(['sale', 'purchase']);
        if (random.chance(0.5)) fields.closedAt = `${day()}T12:00:00.000Z`;
        if (random.chance(0.4)) fields.expectedClose = day();
        if (random.chance(0.3)) fields.probability = random.int(0, 100);
        return dealCapture(++mutationId, `cap-r${random.int(1, 40)}`, fields);
      });
      const response = await pushOk(app, world.head.auth, clientId, mutations);
      expect(response.lastMutationId).toBe(mutationId);
    }

    const snapshot = async () => ({
      won: (await store().db.selectFrom('won_totals').selectAll().where('count', '!=', 0).orderBy('kind').orderBy('month').orderBy('owner_key').orderBy('currency').execute())
        .map((row) => ({ ...row, cents: Number(row.cents) })),
      pipeline: (await store().db.selectFrom('pipeline_totals').selectAll().where('count', '!=', 0).orderBy('kind').orderBy('grain').orderBy('bucket').orderBy('owner_key').orderBy('currency').execute())
        .map((row) => ({ ...row, cents: Number(row.cents), weighted_cents: Number(row.weighted_cents) })),
    });
    const kept = await snapshot();
    expect(kept.won.length).toBeGreaterThan(5);
    expect(kept.pipeline.length).toBeGreaterThan(5);
    await writeTransaction(store(), (tx) => rebuildDealTotals(tx));
    expect(await snapshot()).toEqual(kept);
  });
});
