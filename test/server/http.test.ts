import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ConfigResponse, PairResponse, User } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { disableAdapter, upsertInstance, writeSettings } from '../../server/store/workspace';
import { describeEachStore } from './stores';
import { TestClock, addUser, nodeEnvFor, pairDevice, post, rowCount, signedIn, testApp } from './helpers';

describeEachStore('HTTP basics', ({ store }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  beforeAll(() => {
    app = testApp(store(), clock, { bodyLimitBytes: 4096 });
  });

  it('answers /healthz without auth', async () => {
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('serves an OpenAPI description generated from the core schemas', async () => {
    const response = await app.request('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, any>> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/pair', '/api/me', '/api/config', '/api/sync/push', '/api/sync/pull']));
    const pairBody = document.paths['/api/pair']?.post?.requestBody?.content?.['application/json']?.schema;
    expect(pairBody.required).toEqual(expect.arrayContaining(['code', 'deviceName']));
    expect(Object.keys(document.paths['/api/sync/push']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['200', '409']));
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await app.request('/api/nope');
    expect(response.status).toBe(404);
    expect(ApiError.parse(await response.json()).error).toBe('not_found');
  });

  describe('pairing', () => {
    it('trades a good code for a token and the user', async () => {
      const { user, code } = await addUser(store(), clock, { role: 'manager', name: 'Mia Manager' });
      const response = await app.request('/api/pair', post({ code: code.toLowerCase().replace('-', ''), deviceName: 'Mia laptop' }), nodeEnvFor());
      expect(response.status).toBe(200);
      const body = PairResponse.parse(await response.json());
      expect(body.user).toEqual(user);
      expect(body.token).toMatch(/^hw_/);
      // Only the hash is stored.
      const stored = await store().db.selectFrom('device_tokens').selectAll().where('user_id', '=', user.id).execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]?.token_hash).not.toContain(body.token);
      expect(stored[0]?.device_name).toBe('Mia laptop');
    });

    it('refuses a wrong code with invalid_code', async () => {
      const before = await rowCount(store(), 'device_tokens');
      const response = await app.request('/api/pair', post({ code: 'ZZZZ-ZZZZ', deviceName: 'x' }), nodeEnvFor());
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: 'invalid_code',
        message: 'This pairing code is wrong or has expired. Ask your admin for a new one.',
      });
      expect(await rowCount(store(), 'device_tokens')).toBe(before);
    });

    it('refuses a code used once already', async () => {
      const { code } = await addUser(store(), clock, { role: 'manager' });
      await pairDevice(app, code);
      const again = await app.request('/api/pair', post({ code, deviceName: 'second' }), nodeEnvFor());
      expect(again.status).toBe(401);
    });

    it('refuses a code older than ten minutes', async () => {
      const { code } = await addUser(store(), clock, { role: 'manager' });
      clock.advance(10 * 60 * 1000 + 1);
      const response = await app.request('/api/pair', post({ code, deviceName: 'late' }), nodeEnvFor());
      expect(response.status).toBe(401);
      expect(ApiError.parse(await response.json()).error).toBe('invalid_code');
    });

    it('lets exactly one of two racing devices use a code', async () => {
      const { code } = await addUser(store(), clock, { role: 'manager' });
      const answers = await Promise.all(
        [1, 2, 3].map((n) => app.request('/api/pair', post({ code, deviceName: `racer ${n}` }), nodeEnvFor())),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
    });

    it('rate-limits attempts per IP and lets them through again after the window', async () => {
      const env = nodeEnvFor('192.0.2.77');
      const { code } = await addUser(store(), clock, { role: 'manager' });
      for (let i = 0; i < 10; i++) {
        const response = await app.request('/api/pair', post({ code: 'AAAA-AAAA', deviceName: 'guess' }), env);
        expect(response.status).toBe(401);
      }
      const limited = await app.request('/api/pair', post({ code, deviceName: 'guess' }), env);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
      expect(ApiError.parse(await limited.json()).error).toBe('rate_limited');
      // Another address is not affected.
      expect((await app.request('/api/pair', post({ code: 'AAAA-AAAA', deviceName: 'x' }), nodeEnvFor('192.0.2.78'))).status).toBe(401);
      clock.advance(10 * 60 * 1000);
      const { code: fresh } = await addUser(store(), clock, { role: 'manager' });
      expect((await app.request('/api/pair', post({ code: fresh, deviceName: 'later' }), env)).status).toBe(200);
      // The other address's finished window was cleared on the way.
      const buckets = await store().db.selectFrom('rate_limit_buckets').select('key').execute();
      expect(buckets.map((b) => b.key)).not.toContain('pair:192.0.2.78');
      expect(buckets.map((b) => b.key)).toContain('pair:192.0.2.77');
    });

    it('answers a bad body with 400 and the zod issues', async () => {
      const response = await app.request('/api/pair', post({ code: 'nope', deviceName: '' }), nodeEnvFor());
      expect(response.status).toBe(400);
      const body = ApiError.parse(await response.json());
      expect(body.error).toBe('invalid_body');
      expect(body.issues?.length).toBeGreaterThanOrEqual(2);
    });

    it('answers malformed JSON with 400', async () => {
      const response = await app.request(
        '/api/pair',
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"code": ' },
        nodeEnvFor(),
      );
      expect(response.status).toBe(400);
      expect(ApiError.parse(await response.json()).error).toBe('malformed_json');
    });

    it('answers a body without a JSON content type with 400', async () => {
      const response = await app.request('/api/pair', { method: 'POST', body: 'code=ABCD-2345' }, nodeEnvFor());
      expect(response.status).toBe(400);
      expect(ApiError.parse(await response.json()).error).toBe('invalid_body');
    });

    it('answers an oversized body with a JSON 413', async () => {
      const response = await app.request('/api/pair', post({ code: 'ABCD-2345', deviceName: 'x'.repeat(5000) }), nodeEnvFor());
      expect(response.status).toBe(413);
      expect(ApiError.parse(await response.json()).error).toBe('payload_too_large');
    });
  });

  describe('me and session', () => {
    it('returns the user for a valid token', async () => {
      const { user, auth } = await signedIn(app, store(), clock, { role: 'head', name: 'Hana Head' });
      const response = await app.request('/api/me', { headers: auth });
      expect(response.status).toBe(200);
      expect(User.parse(await response.json())).toEqual(user);
    });

    it('answers 401 without a token or with a made-up one', async () => {
      for (const headers of [{} as Record<string, string>, { Authorization: 'Bearer hw_madeupmadeupmadeup' }, { Authorization: 'Basic abc' }]) {
        const response = await app.request('/api/me', { headers });
        expect(response.status).toBe(401);
        expect(ApiError.parse(await response.json()).error).toBe('unauthorized');
      }
    });

    it('DELETE /api/session revokes only the calling token', async () => {
      const { user, code } = await addUser(store(), clock, { role: 'manager' });
      const laptop = await pairDevice(app, code);
      const { issuePairingCode } = await import('../../server/auth/pairing');
      const second = await issuePairingCode(store().db, user.id, clock);
      const phone = await pairDevice(app, second.code);
      const response = await app.request('/api/session', { method: 'DELETE', headers: { Authorization: `Bearer ${laptop}` } });
      expect(response.status).toBe(204);
      expect((await app.request('/api/me', { headers: { Authorization: `Bearer ${laptop}` } })).status).toBe(401);
      expect((await app.request('/api/me', { headers: { Authorization: `Bearer ${phone}` } })).status).toBe(200);
    });
  });

  describe('config and roles', () => {
    it('returns instances, disabled adapters and settings', async () => {
      const now = clock.now().toISOString();
      await writeSettings(store().db, { name: 'Acme Sales', reportingCurrency: 'USD', fiscalYearStartMonth: 4 });
      await upsertInstance(store().db, { instance: 'https://crm.acme.test', crm: 'suitecrm' }, now);
      await disableAdapter(store().db, 'zoho', 'Zoho changed its markup', now);
      const { auth } = await signedIn(app, store(), clock, { role: 'manager' });
      const response = await app.request('/api/config', { headers: auth });
      expect(response.status).toBe(200);
      const config = ConfigResponse.parse(await response.json());
      expect(config.settings).toEqual({ name: 'Acme Sales', reportingCurrency: 'USD', fiscalYearStartMonth: 4 });
      expect(config.instances).toContainEqual({ instance: 'https://crm.acme.test', crm: 'suitecrm' });
      expect(config.disabledAdapters).toContainEqual({ crm: 'zoho', reason: 'Zoho changed its markup' });
    });

    it('lets head and admin list users and answers 403 to a manager or exec', async () => {
      const head = await signedIn(app, store(), clock, { role: 'head' });
      const listed = await app.request('/api/users', { headers: head.auth });
      expect(listed.status).toBe(200);
      const body = (await listed.json()) as { users: unknown[] };
      expect(body.users.map((u) => User.parse(u).id)).toContain(head.user.id);
      for (const role of ['manager', 'exec'] as const) {
        const other = await signedIn(app, store(), clock, { role });
        const response = await app.request('/api/users', { headers: other.auth });
        expect(response.status).toBe(403);
        expect(ApiError.parse(await response.json()).error).toBe('forbidden');
      }
    });
  });

  describe('CORS', () => {
    it('answers the extension and configured instances, and nobody else', async () => {
      await upsertInstance(store().db, { instance: 'https://suite.example.test', crm: 'suitecrm' }, clock.now().toISOString());
      const preflight = (origin: string) =>
        app.request('/api/me', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });
      for (const origin of ['chrome-extension://abcdefghijklmnop', 'moz-extension://1234-abcd', 'https://suite.example.test']) {
        const response = await preflight(origin);
        expect(response.status).toBe(204);
        expect(response.headers.get('Access-Control-Allow-Origin')).toBe(origin);
        expect(response.headers.get('Access-Control-Allow-Methods')).toMatch(/PUT/);
      }
      const allowed = await app.request('/api/me', { headers: { Origin: 'chrome-extension://abcdefghijklmnop' } });
      expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('chrome-extension://abcdefghijklmnop');
      expect(allowed.headers.get('Access-Control-Expose-Headers')).toBe('Retry-After');
      const evil = await preflight('https://evil.example.test');
      expect(evil.status).toBe(403);
      expect(evil.headers.get('Access-Control-Allow-Origin')).toBeNull();
      const simple = await app.request('/api/me', { headers: { Origin: 'https://evil.example.test' } });
      expect(simple.headers.get('Access-Control-Allow-Origin')).toBeNull();
    });
  });
});
