import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { systemClock } from '../../../server/clock';
import { runCli } from '../../../server/cli/run';
import { connectCrm } from '../../../server/connectors/connect';
import { connectionById } from '../../../server/connectors/connections';
import { ConnectorError } from '../../../server/connectors/errors';
import { syncConnection } from '../../../server/connectors/sync/run';
import { b24Users, b24Webhook, seedB24Portal } from '../../support/crm-fakes/bitrix24/seed';
import { startBitrix24Fake, type RunningBitrix24Fake } from '../../support/crm-fakes/bitrix24/server';
import { testApp } from '../helpers';
import { describeEachStore } from '../stores';
import { testEnv } from './contract';

// What the shared contract does not cover for Bitrix24: several pipelines with their own won and lost stages,
// its rate-limit answer, how `crm connect` treats a webhook given wrongly, and its outbound deal events.

describeEachStore('Bitrix24 connector', (context) => {
  let running: RunningBitrix24Fake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  const start = async () => {
    running = await startBitrix24Fake();
    seedB24Portal(running.fake);
    return running;
  };

  const connected = async (overrides: Parameters<typeof testEnv>[1] = {}) => {
    const { origin, fake } = await start();
    const { store, databaseUrl } = await context.freshStore();
    const env = testEnv(store, overrides);
    const { connection } = await connectCrm(env, { origin, crm: 'bitrix24', api: 'webhook', username: b24Webhook.userId, secret: b24Webhook.key });
    const dealOf = (crmId: string) => store.db.selectFrom('deals').selectAll().where('crm', '=', 'bitrix24').where('crm_id', '=', crmId).executeTakeFirst();
    return { origin, fake, store, databaseUrl, env, connection, dealOf, sync: (full = false) => syncConnection(env, connection.id, { full }) };
  };

  it('judges won and lost by each pipeline’s own stages, and keeps close dates as the portal stores them', async () => {
    const b = await connected();
    const at = Date.now() - 60_000;
    const ids = [
      b.fake.addDeal({ TITLE: 'General open', STAGE_ID: 'EXECUTING', OPPORTUNITY: '5000.00', ASSIGNED_BY_ID: b24Users.maya.ID, CLOSEDATE: b.fake.portalDate('2026-03-01') }, at),
      b.fake.addDeal({ TITLE: 'General analyzed failure', STAGE_ID: 'APOLOGY', CLOSEDATE: b.fake.portalDate('2026-02-01') }, at),
      b.fake.addDeal({ TITLE: 'Purchase ordered', CATEGORY_ID: '3', STAGE_ID: 'C3:WON', CURRENCY_ID: 'USD', OPPORTUNITY: '990.50', CLOSEDATE: b.fake.portalDate('2026-01-31') }, at),
      b.fake.addDeal({ TITLE: 'Purchase cancelled', CATEGORY_ID: '3', STAGE_ID: 'C3:LOSE' }, at),
      b.fake.addDeal({ TITLE: 'Purchase request', CATEGORY_ID: '3', STAGE_ID: 'C3:NEW' }, at),
    ].map((deal) => deal.ID);
    expect((await b.sync(true)).errors).toEqual([]);
    const [open, apology, ordered, cancelled, request] = await Promise.all(ids.map(b.dealOf));
    // CLOSEDATE comes as midnight at +03:00 ("2026-03-01T00:00:00+03:00"): the portal's day, not the UTC day before.
    expect(open).toMatchObject({ status: 'open', expected_close: '2026-03-01', amount: 5000, currency: 'EUR', url: `${b.origin}/crm/deal/details/${ids[0]}/` });
    expect(apology).toMatchObject({ status: 'lost', closed_at: '2026-02-01T00:00:00.000Z' });
    expect(ordered).toMatchObject({ status: 'won', amount: 990.5, currency: 'USD', closed_at: '2026-01-31T00:00:00.000Z' });
    expect(cancelled?.status).toBe('lost');
    expect(request?.status).toBe('open');
    const pipelines = (await connectionById(b.store.db, b.connection.id))!.pipelines;
    expect(pipelines.map((p) => [p.id, p.label, p.stages.filter((s) => s.status !== 'open').map((s) => `${s.id}:${s.status}`)])).toEqual([
      ['3', 'Purchasing', ['C3:WON:won', 'C3:LOSE:lost']],
      ['0', 'General', ['WON:won', 'LOSE:lost', 'APOLOGY:lost']],
    ]);
  });

  it('waits and retries on QUERY_LIMIT_EXCEEDED, losing no deal, and paces itself under the portal’s bucket', async () => {
    const b = await connected();
    for (let i = 0; i < 120; i++) b.fake.addDeal({ TITLE: `Deal ${i}` }, Date.now() - 3_600_000 + i * 1000);
    b.fake.settings.rateLimit = { everyNth: 2 };
    b.fake.requestCount = 0;
    const report = await b.sync(true);
    expect(report.errors).toEqual([]);
    expect(await b.store.db.selectFrom('deals').select('id').where('crm', '=', 'bitrix24').execute()).toHaveLength(120);
    const limited = b.fake.log.filter((entry) => entry.status === 503).length;
    expect(limited).toBeGreaterThan(0);
    // Retried after a backoff (full jitter; Bitrix24 does not say how long to wait).
    expect(b.env.sleeps.length).toBeGreaterThan(0);
    expect(b.fake.log.filter((entry) => entry.method === 'crm.deal.list' && entry.status === 200).length).toBeGreaterThanOrEqual(3);

    // A sync of more pages than the leaky bucket holds (50 requests) is paced at 2 per second. The pacer's clock
    // stands still here, so a slow machine draining the bucket in real time cannot hide the waits.
    b.fake.settings.rateLimit = null;
    b.env.sleeps.length = 0;
    for (let i = 0; i < 2600; i++) b.fake.addDeal({ TITLE: `Bulk ${i}` }, Date.now() - 7_200_000 + i * 1000);
    const frozen = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
    try {
      expect((await b.sync(true)).errors).toEqual([]);
    } finally {
      frozen.mockRestore();
    }
    expect(b.env.sleeps.filter((ms) => ms === 500).length).toBeGreaterThan(0);
  });

  it('gives a rate limit that never ends as a rate_limited error, and keeps what was committed', async () => {
    const b = await connected();
    b.fake.addDeal({ TITLE: 'Only' });
    b.fake.settings.rateLimit = { everyNth: 1 };
    const report = await b.sync(true);
    expect(report.errors.join(' ')).toMatch(/slow down/);
    expect((await connectionById(b.store.db, b.connection.id))!.lastError?.kind).toBe('rate_limited');
  });

  it('crm connect says what is wrong with a webhook given wrongly, and stores nothing', async () => {
    const { origin, fake } = await start();
    const { store, databaseUrl } = await context.freshStore();
    const keyFile = join(mkdtempSync(join(tmpdir(), 'headway-key-')), 'secret.key');
    const cli = async (secret: string, ...args: string[]) => {
      const err: string[] = [];
      const out: string[] = [];
      const code = await runCli(['crm', 'connect', origin, 'bitrix24', ...args], { env: { DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY_FILE: keyFile, HEADWAY_CRM_SECRET: secret }, out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, text: [...out, ...err].join('\n') };
    };
    const noUser = await cli(b24Webhook.key);
    expect(noUser.code).not.toBe(0);
    expect(noUser.text).toContain('--username');
    const wholeUrl = await cli(`${origin}/rest/1/${b24Webhook.key}/`, '--username', '1');
    expect(wholeUrl.code).not.toBe(0);
    expect(wholeUrl.text).toMatch(/whole webhook URL.*--username 1/);
    expect(wholeUrl.text).not.toContain(b24Webhook.key);
    const notANumber = await cli(b24Webhook.key, '--username', 'admin');
    expect(notANumber.text).toMatch(/user id of the inbound webhook/);
    const wrongKey = await cli('wrongkey123', '--username', '1');
    expect(wrongKey.text).toMatch(/refused the webhook.*NO_AUTH_FOUND/);
    const wrongApi = await cli(b24Webhook.key, '--username', '1', '--api', 'oauth');
    expect(wrongApi.text).toMatch(/webhook/);
    fake.webhooks[0]!.scopes = ['crm'];
    const noUserScope = await cli(b24Webhook.key, '--username', '1');
    expect(noUserScope.text).toMatch(/scopes crm and user/);
    expect(await store.db.selectFrom('crm_connections').selectAll().execute()).toEqual([]);
    fake.webhooks[0]!.scopes = ['crm', 'user'];
    const ok = await cli(b24Webhook.key, '--username', '1', '--json');
    expect(ok.code, ok.text).toBe(0);
    expect(ok.text).not.toContain(b24Webhook.key);
  });

  it('reads a deal at once when Bitrix24’s outbound event names it, only with the right application token', async () => {
    const b = await connected();
    const app = testApp(b.store, systemClock);
    const [deal] = [b.fake.addDeal({ TITLE: 'Evented', OPPORTUNITY: '100.00' }, Date.now() - 60_000)];
    await b.sync(true);
    const hook = `/api/crm/hook/${b.connection.id}/bitrix24`;
    const event = (token: string, name = 'ONCRMDEALUPDATE', id = deal!.ID) =>
      app.request(hook, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ event: name, 'data[FIELDS][ID]': id, ts: '1736405807', 'auth[domain]': 'acme.bitrix24.com', 'auth[member_id]': 'a223c6b3', 'auth[application_token]': token }).toString(),
      });
    const refreshes = () => b.store.db.selectFrom('crm_refresh').selectAll().execute();

    // No token set yet: refused like a wrong one, nothing queued.
    const unset = await event('51856fefc120afa4b628cc82d3935cce');
    expect(unset.status).toBe(401);
    expect(((await unset.json()) as { message: string }).message).toMatch(/application_token/);
    const settings = await runCli(['crm', 'settings', b.origin, '--event-token', 'set'], { env: { DATABASE_URL: b.databaseUrl, HEADWAY_CRM_SECRET: '51856fefc120afa4b628cc82d3935cce' }, out: () => {}, err: () => {} });
    expect(settings).toBe(0);
    expect(JSON.stringify(await b.store.db.selectFrom('crm_connections').selectAll().execute())).not.toContain('51856fefc120afa4b628cc82d3935cce');

    expect((await event('not-the-token')).status).toBe(401);
    const elsewhere = await app.request(hook.replace(b.connection.id, 'nope'), {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'event=ONCRMDEALUPDATE&data%5BFIELDS%5D%5BID%5D=1&auth%5Bapplication_token%5D=51856fefc120afa4b628cc82d3935cce',
    });
    expect(elsewhere.status).toBe(401);
    expect(await refreshes()).toEqual([]);
    const unknownEvent = await event('51856fefc120afa4b628cc82d3935cce', 'ONCRMLEADADD');
    expect(unknownEvent.status).toBe(400);
    expect(await refreshes()).toEqual([]);

    // The right token: the deal is re-read from the API (what the event says is never written).
    b.fake.editDeal(deal!.ID, { OPPORTUNITY: '250.00' }, Date.now() - 24 * 3_600_000);
    expect((await event('51856fefc120afa4b628cc82d3935cce')).status).toBe(202);
    expect(await refreshes()).toHaveLength(1);
    expect((await b.sync()).errors).toEqual([]);
    expect((await b.dealOf(deal!.ID))?.amount).toBe(250);

    // A deletion: the deal reads as gone and leaves Headway.
    b.fake.deals.delete(Number(deal!.ID));
    expect((await event('51856fefc120afa4b628cc82d3935cce', 'ONCRMDEALDELETE')).status).toBe(202);
    await b.sync();
    expect(await b.dealOf(deal!.ID)).toBeUndefined();
  });
});
