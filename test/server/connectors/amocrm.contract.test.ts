import { afterEach, expect, it } from 'vitest';
import { connectCrm } from '../../../server/connectors/connect';
import { connectionById } from '../../../server/connectors/connections';
import { ConnectorError } from '../../../server/connectors/errors';
import type { ConnectorEnv } from '../../../server/connectors/open';
import { syncConnection } from '../../../server/connectors/sync/run';
import type { Store } from '../../../server/store/store';
import { startAmoFake, type RunningAmoFake } from '../../support/crm-fakes/amocrm/server';
import { lost, won } from '../../support/crm-fakes/amocrm/state';
import { amoTarget, amoToken, amoUsers, seedAmoAccount } from '../../support/crm-fakes/amocrm/target';
import { describeEachStore } from '../stores';
import { connectorContract, testEnv } from './contract';

// amoCRM / Kommo passes the shared connector contract through API v4 with a long-lived token, and what is its own:
// several pipelines sharing the closed statuses 142 and 143, 204 for an empty list, 429 without Retry-After, the
// errors of a token that cannot be renewed, and the numbered pages it must walk where it cannot filter on ids.
connectorContract(amoTarget());

const hourAgo = (hours: number) => Date.now() - hours * 3_600_000;
const seconds = (ms: number) => Math.floor(ms / 1000);

describeEachStore('amoCRM API v4', (context) => {
  let running: RunningAmoFake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function setUp(envOverrides: Partial<ConnectorEnv> = {}) {
    running = await startAmoFake();
    const pipelines = seedAmoAccount(running.fake);
    const { store } = await context.freshStore();
    const env = testEnv(store, envOverrides);
    return { fake: running.fake, origin: running.origin, pipelines, store, env };
  }

  async function connect(env: ConnectorEnv, origin: string, secret = amoToken) {
    try {
      return await connectCrm(env, { origin, crm: 'amocrm', secret });
    } catch (error) {
      if (error instanceof ConnectorError) return error;
      throw error;
    }
  }

  const leadsOf = (store: Store) => store.db.selectFrom('deals').selectAll().where('crm', '=', 'amocrm').execute();

  it('says what is wrong with a token, an unpaid account or missing rights, and stores nothing', async () => {
    const { fake, origin, store, env } = await setUp();
    const bad = await connect(env, origin, 'not-the-token');
    expect(bad).toBeInstanceOf(ConnectorError);
    expect((bad as ConnectorError).kind).toBe('bad_credential');
    expect((bad as ConnectorError).message).toMatch(/long-lived token/);
    expect((bad as ConnectorError).message).not.toContain('not-the-token');
    fake.settings.leadsDenied = true;
    expect(await connect(env, origin)).toMatchObject({ kind: 'missing_rights', message: expect.stringMatching(/rights to view leads/) });
    fake.settings.leadsDenied = false;
    fake.settings.paid = false;
    expect(await connect(env, origin)).toMatchObject({ kind: 'api_off', message: expect.stringMatching(/not paid/) });
    expect(await store.db.selectFrom('crm_connections').selectAll().execute()).toEqual([]);
    fake.settings.paid = true;
    const connected = await connect(env, origin);
    expect(connected).not.toBeInstanceOf(ConnectorError);
    // amoCRM's webhooks cannot send the hook's secret header, so connect offers none to set up.
    expect((connected as Awaited<ReturnType<typeof connectCrm>>).account).toContain(String(amoUsers.integration.id));
  });

  it('judges won and lost by 142 and 143 in every pipeline, and stages by their own pipeline', async () => {
    const { fake, origin, pipelines, store, env } = await setUp();
    const lead = (name: string, pipeline: { id: number }, status: number, closedAt: number | null = null) =>
      fake.addLead({ name, pipeline_id: pipeline.id, status_id: status, responsible_user_id: amoUsers.maya.id, price: 1000, closed_at: closedAt }).id;
    const ids = {
      salesOpen: lead('Sales open', pipelines.sales, pipelines.sales.open),
      salesLost: lead('Sales lost', pipelines.sales, lost, seconds(Date.parse('2026-03-02T09:30:00Z'))),
      buyingWon: lead('Buying won', pipelines.purchasing, won, seconds(Date.parse('2026-02-27T16:00:00Z'))),
      buyingOpen: lead('Buying open', pipelines.purchasing, pipelines.purchasing.open),
    };
    const connected = await connect(env, origin);
    if (connected instanceof ConnectorError) throw connected;
    const report = await syncConnection(env, connected.connection.id, { full: true });
    expect(report.errors).toEqual([]);
    const byId = new Map((await leadsOf(store)).map((row) => [Number(row.crm_id), row]));
    expect(byId.get(ids.salesOpen)).toMatchObject({ status: 'open', stage: String(pipelines.sales.open), closed_at: null, currency: 'EUR', url: `${origin}/leads/detail/${ids.salesOpen}` });
    expect(byId.get(ids.salesLost)).toMatchObject({ status: 'lost', closed_at: '2026-03-02T09:30:00.000Z' });
    expect(byId.get(ids.buyingWon)).toMatchObject({ status: 'won', closed_at: '2026-02-27T16:00:00.000Z' });
    expect(byId.get(ids.buyingOpen)).toMatchObject({ status: 'open', stage: String(pipelines.purchasing.open) });
    const stored = (await connectionById(store.db, connected.connection.id))!.pipelines;
    expect(stored.map((pipeline) => pipeline.id)).toEqual([String(pipelines.sales.id), String(pipelines.purchasing.id)]);
    for (const pipeline of stored) {
      expect(pipeline.stages.filter((stage) => stage.status === 'won').map((stage) => stage.id)).toEqual(['142']);
      expect(pipeline.stages.filter((stage) => stage.status === 'lost').map((stage) => stage.id)).toEqual(['143']);
    }
  });

  it('takes 204 No Content as an empty list', async () => {
    const { fake, origin, store, env } = await setUp();
    const connected = await connect(env, origin);
    if (connected instanceof ConnectorError) throw connected;
    const report = await syncConnection(env, connected.connection.id, { full: true });
    expect(report).toMatchObject({ errors: [], fetched: 0, upserted: 0 });
    expect(fake.log.filter((entry) => entry.path === '/api/v4/leads' && entry.status === 204).length).toBeGreaterThan(0);
    expect(await leadsOf(store)).toEqual([]);
  });

  it('waits a second on a 429 without Retry-After, and spaces its requests to at most 7 a second', async () => {
    const { fake, origin, store, env } = await setUp();
    for (let i = 0; i < 450; i++) fake.addLead({ name: `Lead ${i}`, pipeline_id: 6_821_134, status_id: 57_562_510, responsible_user_id: amoUsers.omar.id, updated_at: seconds(hourAgo(2)) + i });
    const connected = await connect(env, origin);
    if (connected instanceof ConnectorError) throw connected;
    fake.settings.rateLimit = { everyNth: 3 };
    fake.requestCount = 0;
    const report = await syncConnection(env, connected.connection.id, { full: true });
    expect(report.errors).toEqual([]);
    expect(await leadsOf(store)).toHaveLength(450);
    expect(fake.log.filter((entry) => entry.status === 429).length).toBeGreaterThan(0);
    expect(env.sleeps.filter((ms) => ms === 1000).length).toBe(fake.log.filter((entry) => entry.status === 429).length);
    // Back-to-back requests each wait for the one before to be 1/7 s old (the test's sleep does not really wait).
    expect(env.sleeps.filter((ms) => ms > 0 && ms <= 143).length).toBeGreaterThan(0);
    expect(Math.max(...env.sleeps.filter((ms) => ms !== 1000))).toBeLessThanOrEqual(143);
  });

  it('stops with a bad credential when the long-lived token expires or is revoked, keeping what was committed', async () => {
    const { fake, origin, store, env } = await setUp({ pageSize: 50 });
    for (let i = 0; i < 200; i++) fake.addLead({ name: `Lead ${i}`, pipeline_id: 6_821_134, status_id: 57_562_510, responsible_user_id: amoUsers.omar.id, updated_at: seconds(hourAgo(2)) + i });
    const connected = await connect(env, origin);
    if (connected instanceof ConnectorError) throw connected;
    const report = await syncConnection(env, connected.connection.id, { full: true, onProgress: ({ fetched }) => fetched === 100 && fake.tokens.clear() });
    expect(report.errors.join(' ')).toMatch(/refused the token.*long-lived token/);
    expect(report.errors.join(' ')).not.toContain(amoToken);
    const connection = (await connectionById(store.db, connected.connection.id))!;
    expect(connection.lastError?.kind).toBe('bad_credential');
    const kept = (await leadsOf(store)).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200);
    // A new token in its place (crm connect again), and the sync goes on from its last committed page.
    fake.tokens.set('a-new-long-lived-token', amoUsers.integration.id);
    const again = await connect(env, origin, 'a-new-long-lived-token');
    expect(again).not.toBeInstanceOf(ConnectorError);
    expect((await syncConnection(env, connected.connection.id)).errors).toEqual([]);
    expect(await leadsOf(store)).toHaveLength(200);
  });

  it('walks one second shared by more leads than a page by numbered pages, and steps back a page when a lead leaves', async () => {
    const { fake, origin, store, env } = await setUp();
    const at = seconds(hourAgo(3));
    const ids = Array.from({ length: 250 }, (_, i) => fake.addLead({ name: `Bulk ${i}`, pipeline_id: 6_821_134, status_id: 57_562_510, responsible_user_id: amoUsers.omar.id, updated_at: at }).id);
    const connected = await connect(env, origin);
    if (connected instanceof ConnectorError) throw connected;
    // Listings: the range page (all one second), tie page 1, then tie page 2, before which a lead of page 1 goes.
    fake.deleteBeforeListing = { at: 3, id: ids[10]! };
    const report = await syncConnection(env, connected.connection.id, { full: true });
    expect(report.errors).toEqual([]);
    // Every lead still there was read (the one that left had been read before it left; reconciling removes it).
    const stored = new Set((await leadsOf(store)).map((row) => Number(row.crm_id)));
    for (const id of ids.filter((id) => id !== ids[10])) expect(stored.has(id), `lead ${id}`).toBe(true);
    expect(fake.leads.has(ids[10]!)).toBe(false);
  });

  it('reconciles ids by numbered pages without taking a lead that shifted pages for a deleted one', async () => {
    const { fake, origin, store, env } = await setUp({ reconcileEveryMs: 0 });
    const ids = Array.from({ length: 600 }, (_, i) => fake.addLead({ name: `Lead ${i}`, pipeline_id: 6_821_134, status_id: 57_562_510, responsible_user_id: amoUsers.omar.id, updated_at: seconds(hourAgo(3)) + i }).id);
    fake.addLead({ name: 'Newest', pipeline_id: 6_821_134, status_id: 57_562_510, responsible_user_id: amoUsers.omar.id, updated_at: seconds(hourAgo(1)) });
    const connected = await connect(env, origin);
    if (connected instanceof ConnectorError) throw connected;
    expect((await syncConnection(env, connected.connection.id, { full: true })).errors).toEqual([]);
    expect(await leadsOf(store)).toHaveLength(601);
    // Listings: the incremental page (only the newest lead), ids page 1, then ids page 2, before which a lead of
    // page 1 is deleted: every later lead moves back one place, and the first of page 2 would be missed.
    fake.deleteBeforeListing = { at: 3, id: ids[10]! };
    const report = await syncConnection(env, connected.connection.id);
    expect(report.errors).toEqual([]);
    // The walk noticed and stepped back a page; no live lead was taken for gone (the deleted one had been read on page 1
    // before it went, so the next reconciliation removes it).
    expect(report.removed).toBe(0);
    expect(await leadsOf(store)).toHaveLength(601);
    expect((await syncConnection(env, connected.connection.id)).removed).toBe(1);
    const stored = new Set((await leadsOf(store)).map((row) => Number(row.crm_id)));
    expect(stored.size).toBe(600);
    expect(stored.has(ids[10]!)).toBe(false);
    expect(stored.has(ids[250]!)).toBe(true);
  });
});
