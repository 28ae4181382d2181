import { afterEach, expect, it } from 'vitest';
import { connectCrm } from '../../../server/connectors/connect';
import { connectionById } from '../../../server/connectors/connections';
import { grantOf } from '../../../server/connectors/bitrix24/oauth';
import { ConnectorError } from '../../../server/connectors/errors';
import { connect, openConnector, type ConnectorEnv } from '../../../server/connectors/open';
import { syncConnection } from '../../../server/connectors/sync/run';
import { b24Webhook, seedB24Portal } from '../../support/crm-fakes/bitrix24/seed';
import { startBitrix24Fake, type RunningBitrix24Fake } from '../../support/crm-fakes/bitrix24/server';
import { describeEachStore } from '../stores';
import { testEnv } from './contract';

// Bitrix24's OAuth app beyond the shared contract: every renewal answers a new refresh token and spends the old one
// (settings/oauth/auto-renewal.md), so the sealed secret is rewritten at each renewal, at once and on its own.

describeEachStore('Bitrix24 OAuth rotation', (context) => {
  let running: RunningBitrix24Fake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function setUp() {
    running = await startBitrix24Fake();
    const { fake, origin } = running;
    seedB24Portal(fake);
    const { store } = await context.freshStore();
    const env = testEnv(store, { authServers: { bitrix24: origin } });
    const given = fake.auth.issueRefreshToken(b24Webhook.userId);
    const { connection } = await connectCrm(env, { origin, crm: 'bitrix24', api: 'oauth', clientId: fake.auth.app.clientId, secret: `${fake.auth.app.clientSecret}:${given}` });
    const stored = async () => grantOf(env.box.open((await connectionById(store.db, connection.id))!.sealedSecret));
    const another = (): ConnectorEnv => ({ ...env, process: 'another-process', http: { ...env.http } });
    return { fake, origin, store, env, given, connectionId: connection.id, stored, another };
  }

  it('keeps the refresh token each renewal answers, sealed, so the next process renews from it', async () => {
    const { fake, env, given, connectionId, stored, another } = await setUp();
    // `crm connect` renewed once: the token the admin gave is spent and its successor is what is stored.
    const atConnect = await stored();
    expect(fake.auth.spent.has(given)).toBe(true);
    expect(fake.auth.refreshTokens.has(atConnect.refreshToken)).toBe(true);
    expect((await connectionById(env.store.db, connectionId))!.sealedSecret).not.toContain(atConnect.refreshToken);

    fake.addDeal({ TITLE: 'Harbour Foods' });
    // The stored access token is used while it lives: no renewal per process (auto-renewal.md warns against it).
    expect((await syncConnection(env, connectionId, { full: true })).errors).toEqual([]);
    expect(fake.log.filter((entry) => entry.method === 'oauth.token')).toHaveLength(1);

    fake.auth.expireAccessTokens();
    expect((await syncConnection(another(), connectionId)).errors).toEqual([]);
    const renewed = await stored();
    expect(renewed.refreshToken).not.toBe(atConnect.refreshToken);
    expect(fake.auth.spent.has(atConnect.refreshToken)).toBe(true);
    fake.auth.expireAccessTokens();
    expect((await syncConnection(env, connectionId)).errors).toEqual([]);
    expect(fake.auth.refreshTokens.has((await stored()).refreshToken)).toBe(true);
  });

  it('keeps a renewed token when the sync fails right after renewing (the page never commits)', async () => {
    const { fake, env, connectionId, stored } = await setUp();
    fake.addDeal({ TITLE: 'Harbour Foods' });
    const before = await stored();
    fake.auth.expireAccessTokens();
    fake.failListingAfter = 0;
    const failed = await syncConnection(env, connectionId, { full: true });
    expect(failed.errors.length).toBeGreaterThan(0);
    const after = await stored();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(fake.auth.spent.has(before.refreshToken)).toBe(true);
    fake.failListingAfter = null;
    expect(await syncConnection(env, connectionId)).toMatchObject({ errors: [], fetched: 1 });
  });

  it('lets a process whose token another process spent take the newer stored one, and never stores an older one', async () => {
    const { fake, env, connectionId, stored, another } = await setUp();
    const connection = (await connectionById(env.store.db, connectionId))!;
    // Two processes opened the connection with the same secret; the first renews and stores, then the second is refused.
    const first = openConnector(env, connection).connector;
    const second = openConnector(another(), connection).connector;
    fake.auth.expireAccessTokens();
    await first.listUsers();
    const afterFirst = await stored();
    expect((await second.listUsers()).length).toBeGreaterThan(0);
    expect(await stored()).toEqual(afterFirst);
    expect(fake.log.filter((entry) => entry.method === 'oauth.token' && entry.status !== 200)).toHaveLength(1);
    // The second renews from the token it took over; its successor replaces it in the store.
    fake.auth.expireAccessTokens();
    await second.listUsers();
    const afterSecond = await stored();
    expect(afterSecond.refreshToken).not.toBe(afterFirst.refreshToken);
    expect(fake.auth.refreshTokens.has(afterSecond.refreshToken)).toBe(true);
    // A `crm connect` with a new authorization meanwhile wins over a rotation from the secret it replaced.
    const third = openConnector(env, (await connectionById(env.store.db, connectionId))!).connector;
    const reconnected = fake.auth.issueRefreshToken(b24Webhook.userId);
    await connectCrm(env, { origin: running!.origin, crm: 'bitrix24', api: 'oauth', clientId: fake.auth.app.clientId, secret: `${fake.auth.app.clientSecret}:${reconnected}` });
    const afterConnect = await stored();
    fake.auth.expireAccessTokens();
    await third.listUsers();
    expect(fake.auth.spent.has(afterSecond.refreshToken)).toBe(true);
    expect(await stored()).toEqual(afterConnect);
  });

  it('says plainly what to do when a renewal’s answer never reached the database (a crash in between)', async () => {
    const { fake, env, connectionId, stored } = await setUp();
    // A process renews and dies before storing: the connector without a rotation stands in for it.
    const { clientId } = fake.auth.app;
    const lost = connect(env, { origin: running!.origin, api: 'oauth', clientId, username: null, secret: `${(await stored()).clientSecret}:${(await stored()).refreshToken}` }, 'bitrix24', []);
    fake.auth.expireAccessTokens();
    await lost.connector.listUsers();
    fake.auth.expireAccessTokens();
    const report = await syncConnection(env, connectionId);
    expect(report.errors.join(' ')).toMatch(/refused the refresh token .*run crm connect/);
    const status = (await connectionById(env.store.db, connectionId))!.lastError;
    expect(status?.kind).toBe('bad_credential');
    // Connecting again with a new authorization keeps the connection, its cursor and its deals.
    const fresh = fake.auth.issueRefreshToken(b24Webhook.userId);
    await connectCrm(env, { origin: running!.origin, crm: 'bitrix24', api: 'oauth', clientId, secret: `${fake.auth.app.clientSecret}:${fresh}` });
    expect((await syncConnection(env, connectionId)).errors).toEqual([]);
  });

  it('refuses a secret that is not "client secret:refresh token", and says a failed connect spent the token', async () => {
    const { fake, env, origin } = await setUp();
    const attempt = async (secret: string) => connectCrm(env, { origin, crm: 'bitrix24', api: 'oauth', clientId: fake.auth.app.clientId, secret }).catch((error: unknown) => error);
    const malformed = await attempt('just-a-refresh-token');
    expect(malformed).toBeInstanceOf(ConnectorError);
    expect((malformed as ConnectorError).message).toMatch(/client secret>:<refresh token/);
    fake.settings.restOff = true;
    const spent = await attempt(`${fake.auth.app.clientSecret}:${fake.auth.issueRefreshToken(b24Webhook.userId)}`);
    expect((spent as ConnectorError).kind).toBe('api_off');
    expect((spent as ConnectorError).message).toMatch(/used up by this attempt/);
  });
});
