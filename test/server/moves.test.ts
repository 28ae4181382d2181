import { beforeAll, expect, it } from 'vitest';
import { DealLoadResponse, LoadResponse, MoveRecord, MovesResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { dealFromRow, writeDeal } from '../../server/store/deals';
import type { Store } from '../../server/store/store';
import type { DealsTable } from '../../server/store/tables';
import { writeTransaction } from '../../server/store/transaction';
import { appendChanges } from '../../server/sync/change-log';
import { TestClock, testApp, testTenant } from './helpers';
import { clockStart, getJson, seedDepartment, send } from './load-fixtures';
import { describeEachStore } from './stores';

async function counts(store: Store) {
  const n = async (table: 'moves' | 'change_log') =>
    Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const moveChanges = await store.db.selectFrom('change_log').select((eb) => eb.fn.countAll<number>().as('n')).where('entity', '=', 'move').executeTakeFirstOrThrow();
  return { moves: await n('moves'), changes: await n('change_log'), moveChanges: Number(moveChanges.n) };
}

/** Writes the deal as ingest, import and page capture do: the row, then its change in the log. */
async function writeLogged(store: Store, dealId: string, patch: Partial<DealsTable>, at: string) {
  await writeTransaction(store, async (tx) => {
    const previous = await tx.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirstOrThrow();
    const next = { ...previous, ...patch, updated_at: at, version: previous.version + 1 };
    expect(await writeDeal(tx, previous, next)).toBe(true);
    await appendChanges(tx, [{ entity: 'deal', entityId: dealId, version: next.version, ownerId: next.owner_id, previousOwnerId: previous.owner_id }], at);
  });
}

const changeOwner = (store: Store, dealId: string, ownerId: string, at: string) => writeLogged(store, dealId, { owner_id: ownerId }, at);

describeEachStore('moves: propose, approve, dismiss, done', ({ store }) => {
  const clock = new TestClock(clockStart);
  let app: HeadwayApp;
  let world: Awaited<ReturnType<typeof seedDepartment>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    world = await seedDepartment(app, store(), clock);
  });

  const propose = (body: unknown, auth = world.head.auth) => app.request('/api/moves', send('POST', body, auth));
  const decide = (id: string, decision: 'approve' | 'dismiss', body?: unknown, auth = world.head.auth) =>
    app.request(`/api/moves/${id}/${decision}`, body === undefined ? { method: 'POST', headers: auth } : send('POST', body, auth));
  const refusal = async (response: Response, status: number) => {
    const body = (await response.json()) as { error: string; message: string };
    expect(response.status, JSON.stringify(body)).toBe(status);
    expect(body.message.length).toBeGreaterThan(10);
    return body.error;
  };

  it('lets only head and admin propose, and refuses bad bodies, writing nothing', async () => {
    const before = await counts(store());
    const valid = { dealId: world.anaDeals[0]!.id, to: world.ben.user.id };
    expect(await refusal(await propose(valid, world.ana.auth), 403)).toBe('forbidden');
    expect(await refusal(await propose(valid, world.exec.auth), 403)).toBe('forbidden');
    expect((await app.request('/api/moves', send('POST', valid, {}))).status).toBe(401);
    for (const body of [{}, { dealId: valid.dealId }, { ...valid, status: 'done' }, { ...valid, decide: 'maybe' }, { ...valid, reason: '' }, { ...valid, to: 42 }]) {
      expect(await refusal(await propose(body), 400), JSON.stringify(body)).toBe('invalid_body');
    }
    const malformed = await app.request('/api/moves', { method: 'POST', headers: { ...world.head.auth, 'Content-Type': 'application/json' }, body: '{"dealId":' });
    expect(malformed.status).toBe(400);
    expect(await counts(store())).toEqual(before);
  });

  it('refuses moves that make no sense, with the reason, writing nothing', async () => {
    const before = await counts(store());
    const ana = world.anaDeals[0]!.id;
    expect(await refusal(await propose({ dealId: 'no-such-deal', to: world.ben.user.id }), 404)).toBe('unknown_deal');
    expect(await refusal(await propose({ dealId: world.wonDeal.id, to: world.ben.user.id }), 409)).toBe('deal_closed');
    expect(await refusal(await propose({ dealId: ana, to: world.ana.user.id }), 409)).toBe('same_owner');
    expect(await refusal(await propose({ dealId: ana, to: world.head.user.id }), 409)).toBe('not_a_manager');
    expect(await refusal(await propose({ dealId: ana, to: 'nobody' }), 409)).toBe('not_a_manager');
    expect(await refusal(await propose({ dealId: ana, to: world.cleo.user.id }), 409)).toBe('target_absent');
    const segment = await propose({ dealId: ana, to: world.dev.user.id });
    expect(segment.status).toBe(409);
    expect(await segment.json()).toMatchObject({ error: 'segment_not_served', message: 'Dev Desai does not serve EMEA.' });
    expect(await counts(store())).toEqual(before);
  });

  let first: MoveRecord;
  let others: typeof world.anaDeals;
  let cover: MoveRecord;
  it('proposes a suggested move with its reason, logs it for both managers, and shows it on the dashboard', async () => {
    const before = await counts(store());
    const suggested = LoadResponse.parse(await getJson(app, '/api/load', world.head.auth)).moves.find((m) => m.why === 'rebalance')!;
    const deal = world.anaDeals.find((d) => d.id === suggested.dealId)!;
    others = world.anaDeals.filter((d) => d.id !== deal.id);
    const response = await propose({ dealId: deal.id, to: world.ben.user.id });
    expect(response.status).toBe(201);
    first = MoveRecord.parse(await response.json());
    expect(first).toMatchObject({
      dealId: deal.id, dealTitle: deal.title, from: world.ana.user.id, fromName: 'Ana Alves', to: world.ben.user.id, toName: 'Ben Brook',
      why: 'rebalance', status: 'proposed', createdBy: world.head.user.id, decidedBy: null, version: 1,
      deal: { crm: 'suitecrm', crmId: deal.crm_id, recordType: 'deal', url: deal.url },
    });
    expect(first.reason).toBe('Ana Alves is at 150 % of capacity; Ben Brook has room (15 %) and serves EMEA.');
    expect(await counts(store())).toEqual({ moves: before.moves + 1, changes: before.changes + 1, moveChanges: before.moveChanges + 1 });
    const change = await store().db.selectFrom('change_log').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(change).toMatchObject({ entity: 'move', entity_id: first.id, version: 1, owner_id: world.ana.user.id, audience_user_id: world.ben.user.id });

    const view = LoadResponse.parse(await getJson(app, '/api/load', world.head.auth));
    expect(view.proposals.map((p) => p.id)).toEqual([first.id]);
    expect(view.moves.find((m) => m.dealId === deal.id)).toMatchObject({ proposalId: first.id, to: world.ben.user.id });

    expect(await refusal(await propose({ dealId: deal.id, to: world.ben.user.id }), 409)).toBe('move_pending');
  });

  it('approves once; a stale version or a second decision is a 409; the approved deal counts at the target', async () => {
    expect(await refusal(await decide(first.id, 'approve', { version: 7 }), 409)).toBe('stale_version');
    expect(await refusal(await decide(first.id, 'approve', { version: 1, extra: true }), 400)).toBe('invalid_body');
    expect(await refusal(await decide(first.id, 'approve', undefined, world.ben.auth), 403)).toBe('forbidden');
    expect(await refusal(await decide('no-such-move', 'approve'), 404)).toBe('unknown_move');
    const response = await decide(first.id, 'approve', { version: 1 });
    expect(response.status).toBe(200);
    const approved = MoveRecord.parse(await response.json());
    expect(approved).toMatchObject({ status: 'approved', decidedBy: world.head.user.id, decidedAt: clockStart, version: 2 });
    expect(await refusal(await decide(first.id, 'approve'), 409)).toBe('invalid_transition');

    const view = LoadResponse.parse(await getJson(app, '/api/load', world.head.auth));
    expect(view.managers.find((m) => m.name === 'Ana Alves')!.load).toBe(12);
    expect(view.managers.find((m) => m.name === 'Ben Brook')!.load).toBe(4.5);
    expect(view.moves.some((m) => m.dealId === first.dealId)).toBe(false);
    expect(view.proposals.map((p) => [p.id, p.status])).toEqual([[first.id, 'approved']]);
  });

  it('tells both managers on the deal page, and no one else', async () => {
    const path = `/api/load/deal/suitecrm/deal/${first.deal.crmId}?instance=${encodeURIComponent(testTenant.instance)}`;
    for (const who of [world.ana, world.ben]) {
      const view = DealLoadResponse.parse(await getJson(app, path, who.auth));
      expect(view.move).toMatchObject({ id: first.id, status: 'approved', toName: 'Ben Brook' });
      expect(view.suggestion).toBeNull();
    }
    expect(DealLoadResponse.parse(await getJson(app, path, world.ben.auth)).owner).toMatchObject({ name: 'Ana Alves' });
    expect(DealLoadResponse.parse(await getJson(app, path, world.dev.auth))).toMatchObject({ move: null, owner: null });
  });

  it('lists moves: head all, a manager those touching them, filtered by status; exec may not', async () => {
    const all = MovesResponse.parse(await getJson(app, '/api/moves', world.head.auth));
    expect(all.moves.map((m) => m.id)).toEqual([first.id]);
    expect(MovesResponse.parse(await getJson(app, '/api/moves', world.ben.auth)).moves.map((m) => m.id)).toEqual([first.id]);
    expect(MovesResponse.parse(await getJson(app, '/api/moves', world.dev.auth)).moves).toEqual([]);
    expect(MovesResponse.parse(await getJson(app, '/api/moves?status=approved', world.admin.auth)).moves).toHaveLength(1);
    expect(MovesResponse.parse(await getJson(app, '/api/moves?status=proposed', world.head.auth)).moves).toEqual([]);
    expect((await getJson(app, '/api/moves?status=maybe', world.head.auth, 400)).error).toBe('invalid_query');
    expect((await getJson(app, '/api/moves', world.exec.auth, 403)).error).toBe('forbidden');
  });

  it('dismisses a proposal; dismissed moves cannot be decided again and are not suggested again', async () => {
    const deal = others[0]!;
    const proposed = MoveRecord.parse(await (await propose({ dealId: deal.id, to: world.ben.user.id, reason: 'Ben knows this buyer.' })).json());
    expect(proposed.reason).toBe('Ben knows this buyer.');
    const dismissed = MoveRecord.parse(await (await decide(proposed.id, 'dismiss')).json());
    expect(dismissed).toMatchObject({ status: 'dismissed', version: 2, decidedBy: world.head.user.id });
    expect(await refusal(await decide(proposed.id, 'dismiss'), 409)).toBe('invalid_transition');
    expect(await refusal(await decide(proposed.id, 'approve'), 409)).toBe('invalid_transition');
    const view = LoadResponse.parse(await getJson(app, '/api/load', world.head.auth));
    expect(view.moves.some((m) => m.dealId === deal.id && m.to === world.ben.user.id)).toBe(false);
    expect(view.proposals.some((p) => p.id === proposed.id)).toBe(false);
  });

  it('proposes and decides in one step, and accepts a manual move that is not among the suggestions', async () => {
    // Proposed by a head who reads Russian: the suggestion's reason is kept in the proposer's language.
    const russianHead = { ...world.head.auth, 'Accept-Language': 'ru-RU' };
    cover = MoveRecord.parse(await (await propose({ dealId: world.cleoDeals[0]!.id, to: world.dev.user.id, decide: 'approve' }, russianHead)).json());
    expect(cover).toMatchObject({ status: 'approved', why: 'cover', decidedBy: world.head.user.id, version: 1 });
    expect(cover.reason).toBe('Cleo Cruz отсутствует до 19 июн. 2026; Dev Desai: есть запас (0\u00a0%), ведёт сегмент «APAC».');
    const response = await propose({ dealId: world.benDeal.id, to: world.ana.user.id }, world.admin.auth);
    expect(response.status).toBe(201);
    const manual = MoveRecord.parse(await response.json());
    expect(manual).toMatchObject({ why: 'manual', status: 'proposed', reason: 'Adam Admin moves it from Ben Brook to Ana Alves.' });
    expect(MoveRecord.parse(await (await decide(manual.id, 'dismiss', {})).json()).status).toBe('dismissed');
  });

  it('marks an approved move done when the deal is written with the new owner', async () => {
    const before = await counts(store());
    // Another field changing, the owner not: still approved.
    await writeLogged(store(), first.dealId, { stage: 'Qualification' }, '2026-06-17T10:30:00.000Z');
    expect(MoveRecord.parse((await getJson(app, '/api/moves?status=approved', world.ben.auth)).moves[0]).id).toBe(first.id);

    await changeOwner(store(), first.dealId, world.ben.user.id, '2026-06-17T11:00:00.000Z');
    const [done] = MovesResponse.parse(await getJson(app, '/api/moves?status=done', world.ana.auth)).moves;
    expect(done).toMatchObject({ id: first.id, status: 'done', doneAt: '2026-06-17T11:00:00.000Z', version: 3 });
    expect((await counts(store())).moveChanges).toBe(before.moveChanges + 1);
    const change = await store().db.selectFrom('change_log').selectAll().where('entity', '=', 'move').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(change).toMatchObject({ entity_id: first.id, version: 3 });
    const deal = dealFromRow(await store().db.selectFrom('deals').selectAll().where('id', '=', first.dealId).executeTakeFirstOrThrow());
    expect(deal.ownerId).toBe(world.ben.user.id);
    expect(await refusal(await decide(first.id, 'dismiss'), 409)).toBe('invalid_transition');
  });

  it('marks a move done when page capture shows the new owner in the CRM', async () => {
    // Dev is "ddesai" in the CRM; he opens the deal page after Cleo's deal was reassigned there.
    const identity = await app.request(`/api/users/${world.dev.user.id}`, send('PUT', { crmIdentities: [{ crm: 'suitecrm', ownerId: 'ddesai' }] }, world.head.auth));
    expect(identity.status).toBe(200);
    const deal = world.cleoDeals[0]!;
    const push = await app.request('/api/sync/push', send('POST', {
      clientId: 'moves-test-dev',
      mutations: [{ mutationId: 1, name: 'deal.capture', args: { record: { ...testTenant, crmId: deal.crm_id, recordType: 'deal' }, fields: { ownerLabel: 'ddesai' }, url: null } }],
    }, world.dev.auth));
    expect(push.status, await push.clone().text()).toBe(200);
    // Settled in the capture's own transaction (writeDeal), not later when a view is read.
    const capturedAt = clock.now().toISOString();
    clock.advance(60_000);
    const done = MovesResponse.parse(await getJson(app, '/api/moves?status=done', world.dev.auth)).moves.find((m) => m.id === cover.id);
    expect(done).toMatchObject({ status: 'done', version: 2, doneAt: capturedAt });
    const change = await store().db.selectFrom('change_log').selectAll().where('entity', '=', 'move').where('entity_id', '=', cover.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(change).toMatchObject({ version: 2, owner_id: world.cleo.user.id, audience_user_id: world.dev.user.id });
    // Settling twice logs nothing more.
    const changes = (await counts(store())).changes;
    await getJson(app, '/api/load', world.head.auth);
    expect((await counts(store())).changes).toBe(changes);
  });

  it('refuses to approve a move whose deal changed owner meanwhile, and lets the head dismiss it', async () => {
    const deal = others[1]!;
    const move = MoveRecord.parse(await (await propose({ dealId: deal.id, to: world.ben.user.id })).json());
    await changeOwner(store(), deal.id, world.dev.user.id, '2026-06-17T12:00:00.000Z');
    expect(await refusal(await decide(move.id, 'approve'), 409)).toBe('owner_changed');
    expect(MoveRecord.parse(await (await decide(move.id, 'dismiss')).json()).status).toBe('dismissed');
  });

  it('lets only one of two simultaneous proposals for a deal through', async () => {
    const deal = others[2]!;
    const responses = await Promise.all([
      propose({ dealId: deal.id, to: world.ben.user.id }),
      propose({ dealId: deal.id, to: world.ben.user.id }, world.admin.auth),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(MovesResponse.parse(await getJson(app, '/api/moves?status=proposed', world.head.auth)).moves.filter((m) => m.dealId === deal.id)).toHaveLength(1);
  });

  it('reads approve and dismiss bodies only as JSON: none at all, or JSON sent as JSON', async () => {
    const deal = others[3]!;
    const move = MoveRecord.parse(await (await propose({ dealId: deal.id, to: world.ben.user.id })).json());
    const raw = (body: BodyInit | undefined, contentType: string | null) =>
      app.request(`/api/moves/${move.id}/approve`, { method: 'POST', headers: { ...world.head.auth, ...(contentType ? { 'Content-Type': contentType } : {}) }, body });
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', null]) {
      const body = contentType === null ? new TextEncoder().encode('{"version":1}') : '{"version":1}';
      const refused = await raw(body, contentType);
      expect(refused.status, String(contentType)).toBe(400);
      expect(await refused.json()).toMatchObject({ error: 'invalid_body', message: 'Send no body, or a JSON body with Content-Type: application/json.' });
    }
    expect((await raw('{"version":', 'application/json')).status).toBe(400);
    expect(MoveRecord.parse(await (await decide(move.id, 'approve')).json()).status).toBe('approved');
    // An empty body under any Content-Type is no body.
    expect(MoveRecord.parse(await (await app.request(`/api/moves/${move.id}/dismiss`, { method: 'POST', headers: { ...world.head.auth, 'Content-Type': 'text/plain' }, body: '' })).json()).status).toBe('dismissed');
  });

  it('marks a move done when ingest or a CSV import shows the new owner, in the write itself', async () => {
    const ingest = (crmId: string, body: Record<string, unknown>) => app.request(`/api/deals/suitecrm/${crmId}`, send('PUT', { instance: testTenant.instance, ...body }, world.head.auth));
    const approvedMoveOf = async (crmId: string) => {
      expect((await ingest(crmId, { title: `Deal ${crmId}`, stage: 'Prospecting', segment: 'EMEA', ownerEmail: world.ana.user.email })).status).toBe(201);
      const dealId = (await store().db.selectFrom('deals').select('id').where('crm_id', '=', crmId).executeTakeFirstOrThrow()).id;
      return MoveRecord.parse(await (await propose({ dealId, to: world.ben.user.id, decide: 'approve' })).json());
    };
    const statusOf = async (id: string) => (await store().db.selectFrom('moves').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    const viaIngest = await approvedMoveOf('moves-ingest-1');
    expect((await ingest('moves-ingest-1', { ownerEmail: world.ben.user.email })).status).toBe(200);
    expect(await statusOf(viaIngest.id)).toBe('done');

    const viaImport = await approvedMoveOf('moves-import-1');
    const map = encodeURIComponent(JSON.stringify({ crmId: 'Id', ownerEmail: 'Owner Email' }));
    const imported = await app.request(`/api/deals/import?crm=suitecrm&map=${map}`, {
      method: 'POST', headers: { 'Content-Type': 'text/csv', ...world.head.auth }, body: `Id,Owner Email\r\nmoves-import-1,${world.ben.user.email}\r\n`,
    });
    expect(imported.status, await imported.clone().text()).toBe(200);
    expect(await statusOf(viaImport.id)).toBe('done');

    const view = LoadResponse.parse(await getJson(app, '/api/load', world.head.auth));
    expect(view.proposals.map((p) => p.id)).not.toContain(viaIngest.id);
    expect(view.proposals.map((p) => p.id)).not.toContain(viaImport.id);
    const done = MovesResponse.parse(await getJson(app, '/api/moves?status=done', world.ben.auth)).moves.map((m) => m.id);
    expect(done).toEqual(expect.arrayContaining([viaIngest.id, viaImport.id]));
  });
});
