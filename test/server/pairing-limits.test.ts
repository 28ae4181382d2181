import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../server/config';
import { addUser, nodeEnvFor, post, TestClock, testApp } from './helpers';
import { describeEachStore } from './stores';

const guess = (headers: Record<string, string> = {}) => post({ code: 'AAAA-AAAA', deviceName: 'guess' }, headers);

/** Issue 13 §4: the pairing limit keys on an address no client can choose, and only real guesses count. */
describeEachStore('pairing rate limit', ({ store }) => {
  const clock = new TestClock();

  it('behind one trusted proxy, a new left-hand X-Forwarded-For hop per request does not dodge the limit', async () => {
    const app = testApp(store(), clock, { trustProxy: { hops: 1 } });
    const proxy = nodeEnvFor('10.9.0.1');
    const statuses = [];
    for (let i = 0; i < 12; i++) {
      const response = await app.request('/api/pair', guess({ 'X-Forwarded-For': `198.51.100.${i}, 203.0.113.66` }), proxy);
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('ten bad tries that name a victim on the left do not lock the victim out', async () => {
    const app = testApp(store(), clock, { trustProxy: { hops: 1 } });
    const proxy = nodeEnvFor('10.9.0.2');
    for (let i = 0; i < 11; i++) await app.request('/api/pair', guess({ 'X-Forwarded-For': '203.0.113.10, 203.0.113.99' }), proxy);
    const { code } = await addUser(store(), clock, { role: 'manager' });
    const victim = await app.request('/api/pair', post({ code, deviceName: 'victim' }, { 'X-Forwarded-For': '203.0.113.10' }), proxy);
    expect(victim.status).toBe(200);
  });

  it('with trusted proxy networks, the first address from the right outside them is the client', async () => {
    const app = testApp(store(), clock, { trustProxy: { networks: ['10.9.0.0/16', 'fd00::/8'] } });
    const proxy = nodeEnvFor('::ffff:10.9.0.3');
    for (let i = 0; i < 10; i++) {
      const hops = `198.51.100.${i}, 203.0.113.77, fd00::1, 10.9.1.1`;
      expect((await app.request('/api/pair', guess({ 'X-Forwarded-For': hops }), proxy)).status).toBe(401);
    }
    expect((await app.request('/api/pair', guess({ 'X-Forwarded-For': '1.2.3.4, 203.0.113.77, 10.9.1.1' }), proxy)).status).toBe(429);
    // A client reaching the server directly is not a proxy: its own address is the key, whatever it claims.
    const direct = nodeEnvFor('203.0.113.78');
    for (let i = 0; i < 10; i++) await app.request('/api/pair', guess({ 'X-Forwarded-For': `198.51.100.${i}` }), direct);
    expect((await app.request('/api/pair', guess({ 'X-Forwarded-For': '9.9.9.9' }), direct)).status).toBe(429);
  });

  it('without HEADWAY_TRUST_PROXY the header is ignored', async () => {
    const app = testApp(store(), clock);
    const env = nodeEnvFor('192.0.2.90');
    for (let i = 0; i < 10; i++) await app.request('/api/pair', guess({ 'X-Forwarded-For': `198.51.100.${i}` }), env);
    expect((await app.request('/api/pair', guess({ 'X-Forwarded-For': '198.51.100.200' }), env)).status).toBe(429);
  });

  it('a text/plain or malformed POST (what any web page can send without a preflight) is refused and not counted', async () => {
    const app = testApp(store(), clock);
    const office = nodeEnvFor('192.0.2.91');
    for (let i = 0; i < 25; i++) {
      const jam = await app.request('/api/pair', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"code":"AAAA-AAAA","deviceName":"x"}' }, office);
      expect(jam.status).toBe(400);
      expect((await app.request('/api/pair', post({ code: 'nope', deviceName: '' }), office)).status).toBe(400);
    }
    const { code } = await addUser(store(), clock, { role: 'manager' });
    expect((await app.request('/api/pair', post({ code, deviceName: 'colleague' }), office)).status).toBe(200);
  });
});

describe('HEADWAY_TRUST_PROXY', () => {
  const trust = (value: string) => loadServerConfig({ HEADWAY_TRUST_PROXY: value }).app.trustProxy;
  it('reads off, a number of proxies, or their networks', () => {
    expect(trust('0')).toEqual({ hops: 0 });
    expect(trust('false')).toEqual({ hops: 0 });
    expect(trust('1')).toEqual({ hops: 1 });
    expect(trust('yes')).toEqual({ hops: 1 });
    expect(trust('2')).toEqual({ hops: 2 });
    expect(trust('10.0.0.0/8, 192.0.2.7,fd00::/8')).toEqual({ networks: ['10.0.0.0/8', '192.0.2.7', 'fd00::/8'] });
    expect(loadServerConfig({}).app.trustProxy).toEqual({ hops: 0 });
  });
  it('refuses what is neither, at start-up', () => {
    for (const wrong of ['10.0.0.0/33', 'proxy.internal', '11', '10.0.0.1/8/1']) expect(() => trust(wrong), wrong).toThrow();
  });
});
