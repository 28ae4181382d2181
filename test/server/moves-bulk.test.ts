import { beforeAll, expect, it } from 'vitest';
import { LoadResponse, MoveRecord, MovesResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import type { Store } from '../../server/store/store';
import { TestClock, testApp } from './helpers';
import { clockStart, getJson, seedDepartment, send } from './load-fixtures';
import { describeEachStore } from './stores';

async function moveState(store: Store) {
  const moves = await store.db.selectFrom('moves').select(['deal_id', 'status']).orderBy('deal_id').execute();
  const changes = await store.db.selectFrom('change_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { moves, changes: Number(changes.n) };
}

describeEachStore('moves: approving several at once', ({ store }) => {
  const clock = new TestClock(clockStart);
  let app: HeadwayApp;
  let world: Awaited<ReturnType<typeof seedDepartment>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    world = await seedDepartment(app, store(), clock);
  });

  const approveAll = (body: unknown, auth = world.head.auth) => app.request('/api/moves/approve', send('POST', body, auth));
  const suggested = async () => LoadResponse.parse(await getJson(app, '/api/load', world.head.auth)).moves;

  it('refuses managers, execs and bad bodies, writing nothing', async () => {
    const before = await moveState(store());
    const one = { moves: [{ dealId: world.anaDeals[0]!.id, to: world.ben.user.id }] };
    for (const auth of [world.ana.auth, world.exec.auth]) expect((await approveAll(one, auth)).status).toBe(403);
    const same = world.anaDeals[0]!.id;
    for (const body of [{}, { moves: [] }, { moves: [{ dealId: same }] }, { moves: [{ dealId: same, to: world.ben.user.id }, { dealId: same, to: world.dev.user.id }] }, { ...one, extra: 1 }]) {
      const response = await approveAll(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_body');
    }
    expect(await moveState(store())).toEqual(before);
  });

  it('refuses the whole batch when one move breaks a rule, naming it, and approves nothing', async () => {
    const before = await moveState(store());
    const moves = (await suggested()).map((m) => ({ dealId: m.dealId, to: m.to }));
    expect(moves.length).toBe(4);
    // Cleo is away: the third move may not go to her.
    const bad = [...moves.slice(0, 2), { dealId: moves[2]!.dealId, to: world.cleo.user.id }, moves[3]!];
    const response = await approveAll({ moves: bad });
    const body = (await response.json()) as { error: string; message: string };
    expect(response.status).toBe(409);
    expect(body.error).toBe('target_absent');
    expect(body.message).toBe('Move 3 of 4: Cleo Cruz is absent on 2026-06-17. Nothing was approved.');
    expect(await moveState(store())).toEqual(before);
  });

  it('approves every suggested move in one request, a pending proposal included, in the order sent', async () => {
    const moves = await suggested();
    // One of them already proposed from the dashboard: approved, not proposed twice.
    const proposed = MoveRecord.parse(await (await app.request('/api/moves', send('POST', { dealId: moves[3]!.dealId, to: moves[3]!.to }, world.head.auth))).json());
    const response = await approveAll({ moves: moves.map((m) => ({ dealId: m.dealId, to: m.to })) });
    expect(response.status).toBe(200);
    const approved = MovesResponse.parse(await response.json()).moves;
    expect(approved.map((m) => [m.dealId, m.to, m.status, m.decidedBy])).toEqual(moves.map((m) => [m.dealId, m.to, 'approved', world.head.user.id]));
    expect(approved[3]!.id).toBe(proposed.id);
    expect(approved.slice(0, 2).map((m) => m.why)).toEqual(['cover', 'cover']);
    expect((await moveState(store())).moves).toHaveLength(4);
    // Approving them again is refused: they are approved already.
    const again = await approveAll({ moves: moves.slice(0, 1).map((m) => ({ dealId: m.dealId, to: m.to })) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toBe('move_pending');
  });
});
