import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../../server/clock';
import { runCli } from '../../../server/cli/run';
import { connectCrm } from '../../../server/connectors/connect';
import { connectionById } from '../../../server/connectors/connections';
import { syncConnection } from '../../../server/connectors/sync/run';
import { startPipedriveFake, type RunningPipedriveFake } from '../../support/crm-fakes/pipedrive/server';
import { pipedriveToken, pipedriveUsers, seedPipedriveCompany } from '../../support/crm-fakes/pipedrive/target';
import { testApp } from '../helpers';
import { describeEachStore } from '../stores';
import { testEnv } from './contract';

// What the shared contract does not cover for Pipedrive: won and lost as the deal's status in every pipeline,
// `crm connect` from the command line, and its webhooks (v1 and v2) with their Basic credentials.

describeEachStore('Pipedrive connector', (context) => {
  let running: RunningPipedriveFake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  const start = async () => {
    running = await startPipedriveFake();
    return { ...running, pipelines: seedPipedriveCompany(running.fake) };
  };

  const connected = async () => {
    const { origin, fake, pipelines } = await start();
    const { store, databaseUrl } = await context.freshStore();
    const env = testEnv(store);
    const { connection } = await connectCrm(env, { origin, crm: 'pipedrive', secret: pipedriveToken });
    const dealOf = (crmId: string) => store.db.selectFrom('deals').selectAll().where('crm', '=', 'pipedrive').where('crm_id', '=', crmId).executeTakeFirst();
    return { origin, fake, pipelines, store, databaseUrl, env, connection, dealOf, sync: (full = false) => syncConnection(env, connection.id, { full }) };
  };

  it('judges won and lost by the deal’s status in every pipeline, wherever its stage is', async () => {
    const p = await connected();
    const at = Date.now() - 60_000;
    const deal = (title: string, pipeline: { id: number; open: number }, status: 'open' | 'won' | 'lost', closed: string | null = null) =>
      String(p.fake.addDeal({ title, owner_id: pipedriveUsers.maya.id, pipeline_id: pipeline.id, stage_id: pipeline.open, status, value: 1000, won_time: status === 'won' && closed ? Date.parse(closed) : null, lost_time: status === 'lost' && closed ? Date.parse(closed) : null, update_time: at }).id);
    const ids = [deal('Sales open', p.pipelines.sales, 'open'), deal('Sales lost', p.pipelines.sales, 'lost', '2026-03-02T09:30:00Z'), deal('Buying won', p.pipelines.purchasing, 'won', '2026-02-27T16:00:00Z')];
    expect((await p.sync(true)).errors).toEqual([]);
    const [open, lost, won] = await Promise.all(ids.map(p.dealOf));
    expect(open).toMatchObject({ status: 'open', stage: String(p.pipelines.sales.open), url: `${p.origin}/deal/${ids[0]}` });
    expect(lost).toMatchObject({ status: 'lost', closed_at: '2026-03-02T09:30:00.000Z' });
    expect(won).toMatchObject({ status: 'won', closed_at: '2026-02-27T16:00:00.000Z' });
    const pipelines = (await connectionById(p.store.db, p.connection.id))!.pipelines;
    for (const pipeline of pipelines) expect(pipeline.stages.filter((stage) => stage.status !== 'open').map((stage) => stage.id)).toEqual(['won', 'lost']);
  });

  it('crm connect checks the token, syncs every deal and says how to set up the webhook', async () => {
    const { origin, fake, pipelines } = await start();
    fake.addDeal({ title: 'First', owner_id: pipedriveUsers.omar.id, pipeline_id: pipelines.sales.id, stage_id: pipelines.sales.open, value: 4200 });
    const { store, databaseUrl } = await context.freshStore();
    const keyFile = join(mkdtempSync(join(tmpdir(), 'headway-key-')), 'secret.key');
    const cli = async (secret: string, ...args: string[]) => {
      const lines: string[] = [];
      const code = await runCli(['crm', 'connect', origin, 'pipedrive', ...args], { env: { DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY_FILE: keyFile, HEADWAY_CRM_SECRET: secret }, out: (l) => lines.push(l), err: (l) => lines.push(l) });
      return { code, text: lines.join('\n') };
    };
    const wrong = await cli('0000000000000000000000000000000000000000');
    expect(wrong.code).not.toBe(0);
    expect(wrong.text).toMatch(/refused the API token.*Personal preferences/);
    expect(await store.db.selectFrom('crm_connections').selectAll().execute()).toEqual([]);
    const ok = await cli(pipedriveToken);
    expect(ok.code, ok.text).toBe(0);
    expect(ok.text).toContain('Headway Integration at Acme Trading GmbH');
    expect(ok.text).toMatch(/1 read, 1 stored/);
    expect(ok.text).toMatch(/\/pipedrive and an HTTP auth user and password/);
    expect(ok.text).not.toContain(pipedriveToken);
  });

  it('re-reads the deal a Pipedrive webhook (v2 or v1) names, only with the webhook’s Basic credentials', async () => {
    const p = await connected();
    const deal = p.fake.addDeal({ title: 'Evented', owner_id: pipedriveUsers.maya.id, pipeline_id: p.pipelines.sales.id, stage_id: p.pipelines.sales.open, value: 100, update_time: Date.now() - 60_000 });
    await p.sync(true);
    const app = testApp(p.store, systemClock);
    const path = `/api/crm/hook/${p.connection.id}/pipedrive`;
    const refreshes = () => p.store.db.selectFrom('crm_refresh').selectAll().execute();
    const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
    const v2 = (entity = 'deal', action = 'change') => ({ meta: { action, entity, entity_id: String(deal.id), company_id: '7312904', correlation_id: 'c1', id: 'e1', is_bulk_edit: false, timestamp: new Date().toISOString(), type: 'general', user_id: '13480002', version: '2.0', webhook_id: '77', webhook_owner_id: '13480001', attempt: 1 }, data: { id: deal.id }, previous: null });
    const v1 = { v: 1, matches_filters: { current: [] }, meta: { action: 'deleted', object: 'deal', id: deal.id, company_id: 7312904, user_id: 13480002, host: 'acme.pipedrive.com', timestamp: Math.floor(Date.now() / 1000), v: 1 }, current: null, previous: { id: deal.id }, event: 'deleted.deal', retry: 0 };
    const post = (body: unknown, authorization?: string) => app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) }, body: JSON.stringify(body) });

    expect((await post(v2(), basic('headway:s3cret-webhook'))).status).toBe(401);
    const settings = await runCli(['crm', 'settings', p.origin, '--event-token', 'set'], { env: { DATABASE_URL: p.databaseUrl, HEADWAY_CRM_SECRET: 'headway:s3cret-webhook' }, out: () => {}, err: () => {} });
    expect(settings).toBe(0);
    expect(JSON.stringify(await p.store.db.selectFrom('crm_connections').selectAll().execute())).not.toContain('s3cret-webhook');
    expect((await post(v2(), basic('headway:wrong'))).status).toBe(401);
    expect((await post(v2())).status).toBe(401);
    const person = await post(v2('person'), basic('headway:s3cret-webhook'));
    expect(person.status).toBe(400);
    expect(((await person.json()) as { message: string }).message).toMatch(/deal events/);
    expect(await refreshes()).toEqual([]);

    p.fake.editDeal(deal.id, { value: 250 }, Date.now() - 24 * 3_600_000);
    expect((await post(v2(), basic('headway:s3cret-webhook'))).status).toBe(202);
    expect(await refreshes()).toHaveLength(1);
    expect((await p.sync()).errors).toEqual([]);
    expect((await p.dealOf(String(deal.id)))?.amount).toBe(250);

    // A v1 "deleted.deal": the deal reads as deleted and leaves Headway.
    p.fake.editDeal(deal.id, { status: 'deleted' });
    expect((await post(v1, basic('headway:s3cret-webhook'))).status).toBe(202);
    await p.sync();
    expect(await p.dealOf(String(deal.id))).toBeUndefined();
  });
});
