import { afterEach, describe, expect, it } from 'vitest';
import { canonicalInstance } from '../../../core/crm';
import { systemClock } from '../../../server/clock';
import { runCli } from '../../../server/cli/run';
import { connectCrm } from '../../../server/connectors/connect';
import { apiBaseOf, portalOf } from '../../../server/connectors/hubspot/api';
import { hubSpotSignature } from '../../../server/connectors/hubspot/webhook';
import { syncConnection } from '../../../server/connectors/sync/run';
import { startHubSpotFake, type RunningHubSpotFake } from '../../support/crm-fakes/hubspot/server';
import { hubSpotOwners, hubSpotToken, seedHubSpotPortal } from '../../support/crm-fakes/hubspot/target';
import { testApp, testSecretKey } from '../helpers';
import { describeEachStore } from '../stores';
import { testEnv } from './contract';

// What the shared contract does not cover for HubSpot: where a portal's API is, the search's 10,000-result cap, and
// its signed webhooks.

describe('HubSpot instance', () => {
  it('keeps the portal as the tenant and reads its API at api.hubapi.com; any other origin is the API itself', () => {
    const typed = 'https://app-eu1.hubspot.com/contacts/147506535/record/0-3/420466980027';
    const instance = canonicalInstance('hubspot', typed);
    expect(instance).toEqual({ instance: 'https://app-eu1.hubspot.com/contacts/147506535' });
    const named = (instance as { instance: string }).instance;
    expect(apiBaseOf(named)).toBe('https://api.hubapi.com');
    expect(portalOf(named)).toBe('147506535');
    expect(apiBaseOf('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(portalOf('http://127.0.0.1:8080')).toBeNull();
  });
});

describeEachStore('HubSpot connector', (context) => {
  let running: RunningHubSpotFake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  const connected = async () => {
    running = await startHubSpotFake();
    const pipelines = seedHubSpotPortal(running.fake);
    const { store, databaseUrl } = await context.freshStore();
    const env = testEnv(store, { pageSize: 200 });
    const { connection } = await connectCrm(env, { origin: running.origin, crm: 'hubspot', secret: hubSpotToken });
    const dealOf = (crmId: string) => store.db.selectFrom('deals').selectAll().where('crm', '=', 'hubspot').where('crm_id', '=', crmId).executeTakeFirst();
    return { fake: running.fake, origin: running.origin, pipelines, store, databaseUrl, env, connection, dealOf, sync: (full = false) => syncConnection(env, connection.id, { full }) };
  };

  it('reads more deals than one search may page through (10,000), by starting each page from the last time seen', async () => {
    const h = await connected();
    const at = Date.now() - 3_600_000;
    for (let i = 0; i < 10_050; i++) h.fake.addDeal({ dealname: `Deal ${i}`, pipeline: 'default', dealstage: 'appointmentscheduled', hubspot_owner_id: hubSpotOwners.maya.id, amount: '100' }, at + Math.floor(i / 3));
    const report = await h.sync(true);
    expect(report.errors).toEqual([]);
    expect(report.upserted).toBe(10_050);
    // The fake refuses a search past 10,000 results (HTTP 400); none was needed.
    expect(h.fake.log.filter((entry) => entry.status === 400)).toEqual([]);
  }, 120_000);

  it('re-reads the deals a signed HubSpot webhook names, and refuses a wrong, stale or unsigned one', async () => {
    const h = await connected();
    const deal = h.fake.addDeal({ dealname: 'Evented', pipeline: 'default', dealstage: 'appointmentscheduled', amount: '100' }, Date.now() - 60_000);
    await h.sync(true);
    const app = testApp(h.store, systemClock);
    const clientSecret = '6a1f0c4e-2b7d-4e59-9a3c-8d2e1f0b7c6a';
    const path = `/api/crm/hook/${h.connection.id}/hubspot`;
    const refreshes = () => h.store.db.selectFrom('crm_refresh').selectAll().execute();
    const deliver = (events: unknown[], options: { secret?: string; at?: number; url?: string; headers?: Record<string, string> } = {}) => {
      const body = JSON.stringify(events);
      const timestamp = String(options.at ?? Date.now());
      const signature = hubSpotSignature(options.secret ?? clientSecret, 'POST', options.url ?? `http://localhost${path}`, body, timestamp);
      return app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp, ...options.headers }, body });
    };
    const event = (subscriptionType: string) => ({ eventId: 1, subscriptionId: 2, portalId: h.fake.portal.portalId, appId: 3, occurredAt: Date.now(), subscriptionType, attemptNumber: 0, objectId: deal.id, changeSource: 'CRM_UI' });

    // No secret given yet: refused like a wrong signature.
    expect((await deliver([event('deal.propertyChange')])).status).toBe(401);
    const settings = await runCli(['crm', 'settings', h.origin, '--event-token', 'set'], { env: { DATABASE_URL: h.databaseUrl, HEADWAY_SECRET_KEY: testSecretKey, HEADWAY_CRM_SECRET: clientSecret }, out: () => {}, err: () => {} });
    expect(settings).toBe(0);
    expect(JSON.stringify(await h.store.db.selectFrom('crm_connections').selectAll().execute())).not.toContain(clientSecret);

    expect((await deliver([event('deal.propertyChange')], { secret: 'not-the-secret' })).status).toBe(401);
    const stale = await deliver([event('deal.propertyChange')], { at: Date.now() - 6 * 60_000 });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { message: string }).message).toMatch(/5 minutes/);
    expect((await app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([event('deal.creation')]) })).status).toBe(401);
    expect((await deliver([{ ...event('contact.creation') }])).status).toBe(400);
    expect(await refreshes()).toEqual([]);

    // Signed right (here for the public https address a proxy forwarded): the deal is re-read from the API.
    h.fake.editDeal(deal.id, { amount: '250' }, Date.now() - 24 * 3_600_000);
    const proxied = await deliver([event('deal.propertyChange')], { url: `https://headway.acme.example${path}`, headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'headway.acme.example' } });
    expect(proxied.status).toBe(202);
    expect(await refreshes()).toHaveLength(1);
    expect((await h.sync()).errors).toEqual([]);
    expect((await h.dealOf(String(deal.id)))?.amount).toBe(250);

    // A deletion: the deal reads as gone and leaves Headway.
    h.fake.deals.get(deal.id)!.archivedAt = Date.now();
    expect((await deliver([event('deal.deletion')])).status).toBe(202);
    await h.sync();
    expect(await h.dealOf(String(deal.id))).toBeUndefined();
  });
});
