import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/schema';
import { createApp } from '../../../server/app';
import { accessPolicy, type AccessRule } from '../../../server/http/access-policy';
import type { Store } from '../../../server/store/store';
import { describeEachStore } from '../stores';
import { TestClock, testApp } from '../helpers';
import { fingerprintDiff, fingerprinter, type Fingerprint } from './fingerprint';
import { appRoutes, fillPath } from './routes';
import { samples } from './samples';
import { isJson, jsonOf, sampleBody, send, sendSample } from './send';
import { callers, seedWorld, type Caller, type World } from './world';

// Routes are read from an app that never touches its store, so every route gets its own test below.
const routes = appRoutes(createApp({ store: {} as Store, clock: new TestClock() }));
const policy = accessPolicy as Record<string, AccessRule>;

function allowed(rule: AccessRule, caller: Caller): boolean {
  if (rule.anonymous) return true;
  if (caller === 'service') return rule.service === true;
  return caller !== 'anonymous' && rule.roles.includes(caller);
}

/** A caller without a device token is not signed in (401); a signed-in role without the right is forbidden (403). */
function refusal(caller: Caller): 401 | 403 {
  return caller === 'anonymous' || caller === 'service' ? 401 : 403;
}

describe('access policy covers the app', () => {
  it('declares a rule and a sample request for every route', () => {
    const missing = routes.flatMap((route) => [
      ...(policy[route.key] ? [] : [`describe ${route.key} in core/api/routes.ts`]),
      ...(samples[route.key] ? [] : [`add a sample request for ${route.key} to test/server/security/samples.ts`]),
    ]);
    expect(missing).toEqual([]);
  });

  it('declares no rule or sample for a route the app does not have', () => {
    const keys = new Set(routes.map((route) => route.key));
    const stale = [
      ...Object.keys(policy).filter((key) => !keys.has(key)).map((key) => `core/api/routes.ts has ${key}, which no route answers`),
      ...Object.keys(samples).filter((key) => !keys.has(key)).map((key) => `test/server/security/samples.ts has ${key}, which no route answers`),
    ];
    expect(stale).toEqual([]);
  });

  it('gives every authenticated rule at least one role and anonymous rules every role', () => {
    for (const [key, rule] of Object.entries(policy)) {
      expect(rule.roles.length > 0 || rule.service === true, key).toBe(true);
      if (rule.anonymous) expect([...rule.roles].sort(), key).toEqual(['admin', 'exec', 'head', 'manager']);
    }
  });
});

describeEachStore('access matrix', ({ store }) => {
  const clock = new TestClock();
  let world: World;
  let fingerprint: () => Promise<Fingerprint>;
  beforeAll(async () => {
    world = await seedWorld(store(), testApp(store(), clock), clock);
    fingerprint = await fingerprinter(store());
  });

  for (const route of routes) {
    const rule = policy[route.key];
    const sample = samples[route.key];
    if (!rule || !sample) continue; // reported by "declares a rule and a sample request for every route"

    it(`${route.key}: ${rule.anonymous ? 'anyone' : [...rule.roles, ...(rule.service ? ['service'] : [])].join(', ')}`, async () => {
      const problems: string[] = [];
      const answeredOk: string[] = [];
      for (const caller of callers) {
        const token = caller === 'anonymous' ? null : caller === 'service' ? world.serviceToken : await world.tokenFor(caller);
        const request = await sample.request(world, caller);
        // A write stamps the clock's time: moving it on makes any write visible in the fingerprint.
        clock.advance(1000);
        const before = await fingerprint();
        const response = await sendSample(world.app, route, request, token);
        const body = await jsonOf(response.clone());
        const after = await fingerprint();
        const seen = `${caller} got ${response.status} ${JSON.stringify(body)?.slice(0, 300) ?? ''}`;

        if (allowed(rule, caller)) {
          if (response.ok || (sample.html && response.status < 400)) answeredOk.push(caller);
          if (response.status === 401 || response.status === 403 || response.status >= 500) problems.push(`${caller} is allowed, but ${seen}`);
          if (response.ok && sample.response && isJson(response)) {
            const parsed = sample.response.safeParse(body);
            if (!parsed.success) problems.push(`${caller}: the ${response.status} answer does not match the route's schema: ${parsed.error.message.slice(0, 300)}`);
          }
          if (!sample.html && !(sample.documentAnswer && response.ok) && response.status !== 204 && !isJson(response)) problems.push(`${caller}: the answer is not JSON (${response.headers.get('Content-Type')})`);
        } else {
          const expected = refusal(caller);
          if (response.status !== expected) problems.push(`${caller} should get ${expected}, but ${seen}`);
          else if (!ApiError.safeParse(body).success) problems.push(`${caller}: the ${expected} is not an ApiError: ${seen}`);
          const changed = fingerprintDiff(before, after);
          if (Object.keys(changed).length > 0) problems.push(`${caller} was refused but the database changed: ${JSON.stringify(changed)}`);
        }
      }
      if (!rule.anonymous) {
        // Tokens that must open nothing: revoked, unknown, truncated, a bogus service token, another scheme.
        const revoked = await world.tokenFor('head');
        expect((await world.app.request('/api/session', { method: 'DELETE', headers: { Authorization: `Bearer ${revoked}` } })).status).toBe(204);
        const valid = await world.tokenFor('head');
        const headers = [
          `Bearer ${revoked}`, `Bearer hw_${'A'.repeat(43)}`, `Bearer ${valid.slice(0, -1)}`, `Bearer hws_${'A'.repeat(43)}`,
          `Basic ${Buffer.from(`${world.users.head.email}:x`).toString('base64')}`, `${valid}`, 'Bearer', `Bearer  ${valid} extra`,
        ];
        for (const authorization of headers) {
          const request = await sample.request(world, 'head');
          clock.advance(1000);
          const before = await fingerprint();
          const response = await send(world.app, route.method, {
            path: fillPath(route.path, request.params),
            query: request.query,
            headers: { Authorization: authorization },
            ...sampleBody(request),
          });
          const changed = fingerprintDiff(before, await fingerprint());
          const shown = authorization.replace(/[A-Za-z0-9_-]{12,}/g, (token) => `${token.slice(0, 6)}…`);
          if (response.status !== 401) problems.push(`Authorization "${shown}" should get 401, but got ${response.status}`);
          if (Object.keys(changed).length > 0) problems.push(`Authorization "${shown}" was refused but the database changed: ${JSON.stringify(changed)}`);
        }
      }
      // A sample that every allowed caller gets a 400 or 404 for would prove nothing about who may do what.
      if (answeredOk.length === 0) problems.push('no allowed caller got a 2xx: fix the sample request in test/server/security/samples.ts');
      expect(problems).toEqual([]);
    });
  }
});
