import { afterEach, describe, expect, it } from 'vitest';
import { connectCrm } from '../../../server/connectors/connect';
import { ConnectorError } from '../../../server/connectors/errors';
import { syncConnection } from '../../../server/connectors/sync/run';
import { accountsServerOf } from '../../../server/connectors/zoho/api';
import { dealQuery } from '../../../server/connectors/zoho/mapping';
import { startZohoFake, type RunningZohoFake } from '../../support/crm-fakes/zoho/server';
import { seedZohoOrg } from '../../support/crm-fakes/zoho/target';
import { describeEachStore } from '../stores';
import { testEnv } from './contract';

// Zoho CRM's own behaviour beyond the shared contract: the accounts server of each data centre, the COQL walk built
// only on documented clauses, the org's home currency for orgs without multi-currency, and plain refusals.

describe('Zoho accounts servers and COQL', () => {
  it('exchanges the token at the data centre of the org’s address (Canada at zohocloud.ca)', () => {
    expect(accountsServerOf('https://crm.zoho.com/crm/org926864613')).toBe('https://accounts.zoho.com');
    expect(accountsServerOf('https://crm.zoho.eu/crm/org20071234567')).toBe('https://accounts.zoho.eu');
    expect(accountsServerOf('https://crm.zoho.com.au/crm/org7004062519')).toBe('https://accounts.zoho.com.au');
    expect(accountsServerOf('https://crm.zoho.ca/crm/org1')).toBe('https://accounts.zohocloud.ca');
    expect(accountsServerOf('https://crmsandbox.zoho.in/crm/org1')).toBe('https://accounts.zoho.in');
    expect(accountsServerOf('https://crm.zoho.com.cn/crm/org1')).toBe('https://accounts.zoho.com.cn');
    expect(accountsServerOf('https://crm.zoho.sa/crm/org1')).toBe('https://accounts.zoho.sa');
    expect(accountsServerOf('https://crm.zoho.jp/crm/org1')).toBe('https://accounts.zoho.jp');
  });

  it('pages by Modified_Time then id, walks one time by id, and never uses OFFSET', () => {
    const fields = ['id', 'Modified_Time'];
    expect(dealQuery(fields, { phase: 'range', from: null, inclusive: true }, 200)).toBe('select id, Modified_Time from Deals where id is not null order by Modified_Time asc, id asc limit 200');
    expect(dealQuery(fields, { phase: 'range', from: '2026-03-02T09:15:00.000Z', inclusive: true }, 200)).toBe("select id, Modified_Time from Deals where Modified_Time >= '2026-03-02T09:15:00+00:00' order by Modified_Time asc, id asc limit 200");
    expect(dealQuery(fields, { phase: 'range', from: '2026-03-02T09:15:00.000Z', inclusive: false }, 200)).toContain("Modified_Time > '2026-03-02T09:15:00+00:00'");
    expect(dealQuery(fields, { phase: 'tie', at: '2026-03-02T09:15:00.000Z', afterId: '5725767000000549002' }, 200)).toBe("select id, Modified_Time from Deals where (Modified_Time = '2026-03-02T09:15:00+00:00' and id > '5725767000000549002') order by id asc limit 200");
    expect(dealQuery(['id'], { phase: 'ids', afterId: '5725767000000549002' }, 2000)).toBe("select id from Deals where id > '5725767000000549002' order by id asc limit 2000");
  });
});

describeEachStore('Zoho CRM v8', (context) => {
  let running: RunningZohoFake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function setUp() {
    running = await startZohoFake();
    seedZohoOrg(running.fake);
    const { store } = await context.freshStore();
    return { fake: running.fake, origin: running.origin, store, env: testEnv(store) };
  }

  const pipeline = { name: 'Standard', id: '5725767000000091061' };

  it('walks 450 deals of one second in pages of 200 without OFFSET, each once, and names the home currency where a deal has none', async () => {
    const { fake, origin, store, env } = await setUp();
    const at = Date.now() - 3_600_000;
    for (let i = 0; i < 450; i++) fake.addDeal({ Deal_Name: `Tie ${i}`, Amount: 100, Currency: 'USD', Stage: 'Qualification', Pipeline: pipeline, Probability: 10, Owner: null, Closing_Date: '2026-06-30', Type: null }, at);
    const single = fake.addDeal({ Deal_Name: 'Single currency', Amount: 5, Currency: 'EUR', Stage: 'Qualification', Pipeline: pipeline, Probability: 10, Owner: null, Closing_Date: null, Type: null }, at + 5000);
    delete (single as Partial<typeof single>).Currency;
    fake.settings.homeCurrency = 'GBP';
    const { connection } = await connectCrm({ ...env, pageSize: 200 }, { origin, crm: 'zoho', api: 'v8', clientId: fake.client.id, secret: `${fake.client.secret}:${fake.client.refreshToken}` });
    const report = await syncConnection({ ...env, pageSize: 200 }, connection.id, { full: true });
    expect(report).toMatchObject({ errors: [], fetched: 451, upserted: 451 });
    const listing = fake.queries.filter((query) => query.includes('Deal_Name'));
    expect(listing.every((query) => !/offset/i.test(query))).toBe(true);
    expect(listing.some((query) => /\(Modified_Time = '[^']+' and id > '\d+'\) order by id asc/.test(query))).toBe(true);
    const stored = await store.db.selectFrom('deals').select(['crm_id', 'currency']).where('crm', '=', 'zoho').execute();
    expect(new Set(stored.map((row) => row.crm_id)).size).toBe(451);
    expect(stored.find((row) => row.crm_id === single.id)?.currency).toBe('GBP');
  });

  it('refuses a wrong refresh token, a malformed secret and a missing client id in plain words', async () => {
    const { fake, origin, env } = await setUp();
    const attempt = (secret: string, clientId: string | undefined = fake.client.id) =>
      connectCrm(env, { origin, crm: 'zoho', api: 'v8', clientId, secret }).then(() => null, (error: unknown) => error as ConnectorError);
    const wrong = await attempt(`${fake.client.secret}:1000.not-the-token`);
    expect(wrong).toMatchObject({ kind: 'bad_credential' });
    expect(wrong?.message).not.toContain(fake.client.secret);
    expect((await attempt('only-one-part'))?.message).toMatch(/<client secret>:<refresh token>/);
    expect((await attempt(`${fake.client.secret}:${fake.client.refreshToken}`, ''))?.message).toMatch(/--client-id/);
  });
});
