import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SyncReport } from '../../../core/schema';
import { runCli } from '../../../server/cli/run';
import { connectCrm } from '../../../server/connectors/connect';
import { connectionById } from '../../../server/connectors/connections';
import { ConnectorError } from '../../../server/connectors/errors';
import type { ConnectorEnv } from '../../../server/connectors/open';
import { syncConnection } from '../../../server/connectors/sync/run';
import type { Store } from '../../../server/store/store';
import { startSalesforceFake, type RunningSalesforceFake } from '../../support/crm-fakes/salesforce/server';
import { seedSalesforceOrg } from '../../support/crm-fakes/salesforce/target';
import { describeEachStore } from '../stores';
import { testEnv } from './contract';

// Salesforce's own behaviour beyond the shared contract: `crm connect` end to end from the CLI, batches read on
// through nextRecordsUrl, an org with one currency, the daily API allowance, and a connected app whose
// client-credentials flow is not switched on.

describeEachStore('Salesforce REST', (context) => {
  let running: RunningSalesforceFake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function setUp(envOverrides: Partial<ConnectorEnv> = {}) {
    running = await startSalesforceFake();
    const users = seedSalesforceOrg(running.fake);
    const { store, databaseUrl } = await context.freshStore();
    return { fake: running.fake, origin: running.origin, users, store, databaseUrl, env: testEnv(store, envOverrides) };
  }

  const opportunity = (fake: RunningSalesforceFake['fake'], name: string, owner: string, at = Date.now() - 3_600_000) =>
    String(fake.insert('Opportunity', { Name: name, Amount: 1000, CurrencyIsoCode: 'EUR', StageName: 'Prospecting', IsClosed: false, IsWon: false, OwnerId: owner, CloseDate: '2026-06-30', Type: 'New Customer', SystemModstamp: Math.floor(at / 1000) * 1000 }).Id);

  async function connect(env: ConnectorEnv, origin: string, clientId: string, secret: string) {
    try {
      return await connectCrm(env, { origin, crm: 'salesforce', clientId, secret });
    } catch (error) {
      if (error instanceof ConnectorError) return error;
      throw error;
    }
  }

  const dealsOf = (store: Store) => store.db.selectFrom('deals').selectAll().where('crm', '=', 'salesforce').execute();

  it('connects from the CLI with --client-id and the secret from HEADWAY_CRM_SECRET, and syncs every opportunity', async () => {
    const { fake, origin, users, store, databaseUrl } = await setUp();
    for (let i = 0; i < 30; i++) opportunity(fake, `Opportunity ${i}`, users.maya);
    const keyFile = join(mkdtempSync(join(tmpdir(), 'headway-key-')), 'secret.key');
    const env = { DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY_FILE: keyFile, HEADWAY_CRM_SECRET: fake.app.clientSecret };
    const out: string[] = [];
    const err: string[] = [];
    const run = (...args: string[]) => runCli(args, { env, out: (line) => out.push(line), err: (line) => err.push(line) });
    // The consumer key is required, and said so.
    expect(await run('crm', 'connect', origin, 'salesforce')).toBe(2);
    expect(err.join('\n')).toContain('--client-id');
    out.length = 0;
    expect(await run('crm', 'connect', origin, 'salesforce', '--client-id', fake.app.clientId, '--json'), err.join('\n')).toBe(0);
    const answer = JSON.parse(out.join('\n')) as { sync: unknown; account?: string };
    expect(SyncReport.parse(answer.sync)).toMatchObject({ full: true, upserted: 30, errors: [] });
    expect(JSON.stringify(answer)).not.toContain(fake.app.clientSecret);
    expect(await store.db.selectFrom('crm_instances').select(['instance', 'crm']).execute()).toEqual([{ instance: origin, crm: 'salesforce' }]);
    expect(await dealsOf(store)).toHaveLength(30);
    expect((await dealsOf(store))[0]).toMatchObject({ url: expect.stringMatching(new RegExp(`^${origin}/lightning/r/Opportunity/006\\w{15}/view$`)) });
  });

  it('reads a page on through nextRecordsUrl when Salesforce answers it in several batches', async () => {
    const { fake, origin, users, store, env } = await setUp({ pageSize: 500 });
    fake.settings.batchSize = 200;
    for (let i = 0; i < 450; i++) opportunity(fake, `Opportunity ${i}`, users.omar, Date.now() - 3_600_000 + i * 1000);
    const connected = await connect(env, origin, fake.app.clientId, fake.app.clientSecret);
    if (connected instanceof ConnectorError) throw connected;
    const report = await syncConnection(env, connected.connection.id, { full: true });
    expect(report.errors).toEqual([]);
    expect(await dealsOf(store)).toHaveLength(450);
    // One query of up to 500, answered 200 + 200 + 50: two queryMore calls.
    expect(fake.log.filter((entry) => /\/query\/01g/.test(entry.path)).length).toBe(2);
  });

  it('gives every amount the org currency where the org has one currency (no CurrencyIsoCode field)', async () => {
    const { fake, origin, users, store, env } = await setUp();
    fake.settings.multiCurrency = false;
    opportunity(fake, 'Single currency', users.maya);
    const connected = await connect(env, origin, fake.app.clientId, fake.app.clientSecret);
    if (connected instanceof ConnectorError) throw connected;
    expect((await syncConnection(env, connected.connection.id, { full: true })).errors).toEqual([]);
    expect(await dealsOf(store)).toEqual([expect.objectContaining({ title: 'Single currency', currency: 'EUR', amount: 1000 })]);
  });

  it('stops at the daily API allowance and says so, without retrying (the contract covers the concurrent-request limit)', async () => {
    const { fake, origin, users, store, env } = await setUp();
    opportunity(fake, 'Before the limit', users.maya);
    const connected = await connect(env, origin, fake.app.clientId, fake.app.clientSecret);
    if (connected instanceof ConnectorError) throw connected;
    fake.settings.dailyAllowanceUsed = true;
    const limited = await syncConnection(env, connected.connection.id, { full: true });
    expect(limited.errors.join(' ')).toMatch(/used up its API allowance/);
    // Not retried (a retry always waits first): the allowance is reckoned over 24 hours, so the next scheduled sync
    // tries again instead.
    expect(env.sleeps).toEqual([]);
    expect((await connectionById(store.db, connected.connection.id))!.lastError?.kind).toBe('rate_limited');
  });

  it('says the client-credentials flow is not switched on when the app has no Run As user, and stores nothing', async () => {
    const { fake, origin, store, env } = await setUp();
    fake.runAsUserId = '';
    const refused = await connect(env, origin, fake.app.clientId, fake.app.clientSecret);
    expect(refused).toMatchObject({ kind: 'bad_credential', message: expect.stringMatching(/Enable Client Credentials Flow/) });
    const wrongKey = await connect(env, origin, 'not-the-consumer-key', fake.app.clientSecret);
    expect(wrongKey).toMatchObject({ kind: 'bad_credential', message: expect.stringMatching(/consumer key/) });
    expect(await store.db.selectFrom('crm_connections').selectAll().execute()).toEqual([]);
  });
});
