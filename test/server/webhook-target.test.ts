import { describe, expect, it } from 'vitest';
import { ApiError, EscalationCreateResponse } from '../../core/schema';
import { deliverDue } from '../../server/escalation/deliver';
import { internalAddressProblem } from '../../server/escalation/webhook-target';
import { loadServerConfig } from '../../server/config';
import { TestClock, testApp } from './helpers';
import { escalationBody, escalationClockStart, json, seedEscalationWorld, send } from './escalation-fixtures';
import { webhookReceiver } from './notify-sinks';
import { describeEachStore } from './stores';

const secret = 'a-webhook-secret-of-some-length';

/** Issue 13 §5: a webhook cannot be aimed at the server's own network. */
describeEachStore('webhook targets', ({ store }) => {
  const clock = new TestClock(escalationClockStart);

  it('refuses internal webhook URLs on save, however they are spelled, unless the admin allows the network', async () => {
    const app = testApp(store(), clock);
    const w = await seedEscalationWorld(app, store(), clock);
    const put = (webhookUrl: string, target = app) =>
      target.request('/api/escalation-settings', send('PUT', { delivery: { webhookUrl, webhookSecret: secret } }, w.admin.auth));
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://0x7f000001/', 'http://2130706433:8080/', 'http://[::1]:22/', 'http://127.0.0.1:8787/api', 'http://localhost/', 'http://10.1.2.3/', 'http://[::ffff:192.168.1.1]/', 'http://[fd00:ec2::254]/', 'http://224.0.0.1/']) {
      const response = await put(url);
      expect(response.status, url).toBe(400);
      expect(ApiError.parse(await response.json()).message, url).toMatch(/internal address/);
    }
    // Worded for the admin who sent it: a Russian reader reads why in Russian.
    const russian = await app.request('/api/escalation-settings', send('PUT', { delivery: { webhookUrl: 'http://10.1.2.3/', webhookSecret: secret } }, { ...w.admin.auth, 'Accept-Language': 'ru' }));
    expect(ApiError.parse(await russian.json())).toMatchObject({ error: 'invalid_settings', message: expect.stringContaining('10.1.2.3 — внутренний адрес') });
    expect((await put('https://hooks.example.test/headway')).status).toBe(200);
    const allowing = testApp(store(), clock, { webhookAllowNetworks: ['10.0.0.0/8'] });
    expect((await put('http://10.1.2.3/hooks', allowing)).status).toBe(200);
    expect((await put('http://127.0.0.1/hooks', allowing)).status).toBe(400);
  });

  it('checks the resolved address at delivery time: a name that now points at loopback is not delivered to', async () => {
    const app = testApp(store(), clock);
    const w = await seedEscalationWorld(app, store(), clock);
    const receiver = await webhookReceiver();
    try {
      const port = new URL(receiver.url).port;
      // The name looks public when saved; at delivery it resolves to this host (DNS rebinding).
      await json(await app.request('/api/escalation-settings', send('PUT', { delivery: { webhookUrl: `http://hooks.example.test:${port}/hooks/headway`, webhookSecret: secret, smtp: null } }, w.admin.auth)), 200);
      const escalation = EscalationCreateResponse.parse(await json(await app.request('/api/escalations', send('POST', escalationBody({ title: 'Rebound' }), w.ana.auth)), 201)).escalation;
      const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
      const refused = await deliverDue(store(), clock, { resolve, random: () => 0 });
      const row = await store().db.selectFrom('deliveries').selectAll().where('escalation_id', '=', escalation.id).where('channel', '=', 'webhook').executeTakeFirstOrThrow();
      expect(refused.retrying).toContain(row.id);
      expect(row.last_error).toMatch(/127\.0\.0\.1 is an internal address/);
      expect(receiver.received).toHaveLength(0);
      // Allowed by the admin, the same delivery goes through on its next attempt.
      clock.advance(3_600_000);
      const allowed = await deliverDue(store(), clock, { resolve, random: () => 0, allowNetworks: ['127.0.0.1/32'] });
      expect(allowed.delivered).toContain(row.id);
      expect(receiver.received.some((r) => r.body.includes(escalation.id))).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});

describe('internal addresses', () => {
  it('covers loopback, private, link-local, metadata, multicast and mapped forms; public ones pass', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', 'fd00:ec2::254', 'fe80::1', '100.64.0.1', '0.0.0.0', '224.0.0.251', 'ff02::1', '[::1]']) {
      expect(internalAddressProblem(address, []), address).not.toBeNull();
    }
    for (const address of ['8.8.8.8', '2001:4860:4860::8888', '203.0.113.10']) expect(internalAddressProblem(address, []), address).toBeNull();
    expect(internalAddressProblem('192.168.0.5', ['192.168.0.0/24'])).toBeNull();
  });
  it('reads HEADWAY_WEBHOOK_ALLOW_NETWORKS and refuses what is not a network', () => {
    expect(loadServerConfig({ HEADWAY_WEBHOOK_ALLOW_NETWORKS: '10.0.0.0/8, fd00::/8' }).app.webhookAllowNetworks).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(() => loadServerConfig({ HEADWAY_WEBHOOK_ALLOW_NETWORKS: 'chat.internal' })).toThrow();
  });
});
