import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../core/escalation';
import { EscalationCreateResponse, WebhookPayload } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { deliverDue, SIGNATURE_HEADER } from '../../server/escalation/deliver';
import { sendMail } from '../../server/escalation/smtp';
import { TestClock, testApp } from './helpers';
import { counts, escalationBody, escalationClockStart, json, seedEscalationWorld, send, type EscalationWorld } from './escalation-fixtures';
import { selfSignedCertificate, smtpSink, webhookReceiver } from './notify-sinks';
import { describeEachStore } from './stores';

const secret = 'whsec-test-0123456789abcdef';
/** With no jitter the n-th retry waits half of base × 2^(n-1). */
const noJitter = () => 0;
const policy = { baseDelayMs: 30_000, maxAttempts: 5 };

describeEachStore('escalation deliveries: webhook and e-mail', ({ store }) => {
  const clock = new TestClock(escalationClockStart);
  let app: HeadwayApp;
  let w: EscalationWorld;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let sink: Awaited<ReturnType<typeof smtpSink>>;
  beforeAll(async () => {
    // The receiver and the SMTP sink listen on loopback, which a webhook may reach only when the admin allows it.
    app = testApp(store(), clock, { webhookAllowNetworks: ['127.0.0.1/32'] });
    w = await seedEscalationWorld(app, store(), clock);
    receiver = await webhookReceiver();
    sink = await smtpSink();
    const settings = {
      delivery: {
        baseUrl: 'https://headway.example.test',
        webhookUrl: receiver.url,
        webhookSecret: secret,
        smtp: { host: '127.0.0.1', port: sink.port, from: 'headway@example.test', username: null },
      },
    };
    await json(await app.request('/api/escalation-settings', send('PUT', settings, w.admin.auth)), 200);
  });
  afterAll(async () => {
    await receiver?.close();
    await sink?.close();
  });

  const deliver = (options = {}) => deliverDue(store(), clock, { random: noJitter, policy, allowNetworks: ['127.0.0.1/32'], ...options });
  const create = async (title: string) =>
    EscalationCreateResponse.parse(await json(await app.request('/api/escalations', send('POST', escalationBody({ title }), w.ana.auth)), 201)).escalation;
  const deliveryRows = (escalationId: string) => store().db.selectFrom('deliveries').selectAll().where('escalation_id', '=', escalationId).orderBy('channel').execute();

  it('writes the deliveries with the event, and sends a signed webhook and an e-mail to the recipients', async () => {
    const escalation = await create('Approve 18 % for Acme <script>');
    const rows = await deliveryRows(escalation.id);
    expect(rows.map((r) => [r.channel, r.event_type, r.status])).toEqual([
      ['email', 'escalation.created', 'pending'],
      ['webhook', 'escalation.created', 'pending'],
    ]);
    const result = await deliver();
    expect(result.delivered).toEqual(expect.arrayContaining(rows.map((r) => r.id)));

    const hook = receiver.received.find((r) => r.body.includes(escalation.id))!;
    expect(hook.headers['content-type']).toBe('application/json');
    const verified = await verifyWebhook(String(hook.headers[SIGNATURE_HEADER.toLowerCase()]), hook.body, secret, Math.floor(clock.now().getTime() / 1000));
    expect(verified.ok).toBe(true);
    expect((await verifyWebhook(String(hook.headers[SIGNATURE_HEADER.toLowerCase()]), hook.body, 'another-secret-0123456789', Math.floor(clock.now().getTime() / 1000))).ok).toBe(false);
    const payload = WebhookPayload.parse(JSON.parse(hook.body));
    expect(payload).toMatchObject({ type: 'escalation.created', escalation: { id: escalation.id, to: { role: 'head' } }, link: `https://headway.example.test/escalations/${escalation.id}` });
    expect(hook.body).not.toContain('They ask for 20 %'); // never the body text

    const mail = sink.messages.find((m) => m.data.includes(escalation.id))!;
    expect(mail.to).toEqual([w.head.user.email]);
    expect(mail.from).toBe('headway@example.test');
    expect(mail.headers.to).toBe(w.head.user.email);
    expect(mail.headers.subject).toBe('[Headway] New escalation: Approve 18 % for Acme <script>');
    expect(mail.body).toContain(`Open it: https://headway.example.test/escalations/${escalation.id}`);
    expect((await deliveryRows(escalation.id)).every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
    // Nothing is sent twice.
    const before = receiver.received.length;
    await deliver();
    expect(receiver.received.length).toBe(before);
  });

  it('retries a failing receiver on the backoff schedule and delivers on the third try', async () => {
    const escalation = await create('Retry me');
    await deliver(); // the created event
    receiver.failNext(2);
    await json(await app.request(`/api/escalations/${escalation.id}/actions`, send('POST', { type: 'acknowledge' }, w.head.auth)), 200);
    const ackRow = (await deliveryRows(escalation.id)).find((r) => r.event_type === 'escalation.acknowledged')!;
    const tries = () => receiver.received.filter((r) => r.headers['x-headway-delivery'] === ackRow.id);

    expect((await deliver()).retrying).toContain(ackRow.id);
    expect(tries().map((t) => t.answeredWith)).toEqual([503]);
    clock.advance(14_000);
    await deliver(); // not due yet: the first retry waits 15 s
    expect(tries()).toHaveLength(1);
    clock.advance(1_000);
    expect((await deliver()).retrying).toContain(ackRow.id);
    clock.advance(30_000); // the second retry waits 30 s
    expect((await deliver()).delivered).toContain(ackRow.id);
    expect(tries().map((t) => t.answeredWith)).toEqual([503, 503, 204]);
    const row = (await deliveryRows(escalation.id)).find((r) => r.id === ackRow.id)!;
    expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
    const last = tries().at(-1)!;
    expect((await verifyWebhook(String(last.headers['x-headway-signature']), last.body, secret, Math.floor(clock.now().getTime() / 1000))).ok).toBe(true);
  });

  it('gives up after the last attempt and records why', async () => {
    const escalation = await create('Never arrives');
    const hookRow = (await deliveryRows(escalation.id)).find((r) => r.channel === 'webhook')!;
    receiver.failNext(100);
    const tight = { baseDelayMs: 1_000, maxAttempts: 3 };
    for (let i = 0; i < 3; i++) {
      await deliver({ policy: tight });
      clock.advance(10_000);
    }
    receiver.failNext(0);
    const row = (await deliveryRows(escalation.id)).find((r) => r.id === hookRow.id)!;
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row.last_error).toMatch(/503/);
    await deliver({ policy: tight });
    expect(receiver.received.filter((r) => r.headers['x-headway-delivery'] === hookRow.id)).toHaveLength(3);
    // Finished rows leave the outbox after the retention period; pending ones stay.
    clock.advance(31 * 86_400_000);
    await deliver();
    expect(await deliveryRows(escalation.id)).toEqual([]);
  });

  it('e-mails the requester when the escalation is resolved, and writes nothing for a refused action', async () => {
    const escalation = await create('Please decide');
    await deliver();
    const before = await counts(store());
    expect((await app.request(`/api/escalations/${escalation.id}/actions`, send('POST', { type: 'resolve', decision: 'Self-approved' }, w.ana.auth))).status).toBe(403);
    expect(await counts(store())).toEqual(before);
    await json(await app.request(`/api/escalations/${escalation.id}/actions`, send('POST', { type: 'resolve', decision: 'Go ahead at 15 %.' }, w.head.auth)), 200);
    await deliver();
    const mail = sink.messages.find((m) => m.headers.subject === '[Headway] Resolved: Please decide')!;
    expect(mail.to).toEqual([w.ana.user.email]);
    expect(mail.body).toContain('Decision: Go ahead at 15 %.');
  });

  it('keeps an e-mail whose login the server refuses, says why, and sends it once the password is right (over STARTTLS)', async () => {
    const tls = selfSignedCertificate();
    const guarded = await smtpSink({ starttls: tls, login: { user: 'headway', password: 'right-password' } });
    const smtp = { host: '127.0.0.1', port: guarded.port, tls: 'starttls', from: 'headway@example.test', username: 'headway' };
    const configure = async (smtpPassword: string) => json(await app.request('/api/escalation-settings', send('PUT', { delivery: { smtp, smtpPassword } }, w.admin.auth)), 200);
    try {
      await configure('wrong-password');
      const escalation = await create('Behind a login');
      const mailRow = (await deliveryRows(escalation.id)).find((r) => r.channel === 'email')!;
      await deliver({ smtpCa: tls.cert });
      const refused = (await deliveryRows(escalation.id)).find((r) => r.id === mailRow.id)!;
      expect(refused).toMatchObject({ status: 'pending', attempts: 1 });
      expect(refused.last_error).toMatch(/^The SMTP server 127\.0\.0\.1:\d+ refused the login of headway: 535/);
      expect(guarded.messages).toEqual([]);
      await configure('right-password');
      clock.advance(60_000);
      await deliver({ smtpCa: tls.cert });
      expect((await deliveryRows(escalation.id)).find((r) => r.id === mailRow.id)).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
      expect(guarded.messages).toHaveLength(1);
      expect(guarded.messages[0]).toMatchObject({ secure: true, user: 'headway', to: [w.head.user.email] });
    } finally {
      await json(await app.request('/api/escalation-settings', send('PUT', { delivery: { smtp: { host: '127.0.0.1', port: sink.port, from: 'headway@example.test', username: null }, smtpPassword: null } }, w.admin.auth)), 200);
      await guarded.close();
    }
  });
});

describe('SMTP client', () => {
  const message = {
    from: 'headway@example.test',
    to: ['a@example.test', 'b@example.test'],
    subject: 'Line one\r\nBcc: victim@example.test',
    text: 'First\n.hidden dot line\nLast',
    date: new Date('2026-03-16T09:00:00Z'),
    messageId: 'abc@headway',
  };

  it('keeps a subject on one header line, encodes one not in ASCII, and refuses what is not an address', async () => {
    const sink = await smtpSink();
    try {
      await sendMail({ host: '127.0.0.1', port: sink.port }, message);
      const [mail] = sink.messages;
      expect(mail!.headers.bcc).toBeUndefined();
      expect(mail!.headers.subject).toBe('Line one Bcc: victim@example.test');
      expect(mail!.headers['message-id']).toBe('<abc@headway>');
      await sendMail({ host: '127.0.0.1', port: sink.port }, { ...message, subject: 'Überprüfung: сделка «Акме»' });
      expect(sink.messages[1]!.data).not.toContain('Überprüfung');
      expect(sink.messages[1]!.headers.subject).toBe('Überprüfung: сделка «Акме»');
      await expect(sendMail({ host: '127.0.0.1', port: sink.port }, { ...message, to: ['not an address'] })).rejects.toThrow(/Not an e-mail address/);
      expect(sink.messages).toHaveLength(2);
    } finally {
      await sink.close();
    }
  });

  it('delivers to every recipient through the sink, the body intact', async () => {
    const sink = await smtpSink();
    try {
      await sendMail({ host: '127.0.0.1', port: sink.port }, message);
      expect(sink.messages).toHaveLength(1);
      expect(sink.messages[0]).toMatchObject({ from: 'headway@example.test', to: ['a@example.test', 'b@example.test'] });
      expect(sink.messages[0]!.body).toBe('First\r\n.hidden dot line\r\nLast');
    } finally {
      await sink.close();
    }
  });

  it('fails with the server\'s answer when a command is refused', async () => {
    const sink = await smtpSink({ login: { user: 'u', password: 'right' } });
    try {
      await expect(sendMail({ host: '127.0.0.1', port: sink.port, username: 'u', password: 'p' }, message)).rejects.toThrow(/refused the login of u: 535 5\.7\.8/);
      expect(sink.logins).toEqual([{ user: 'u', accepted: false }]);
      expect(sink.messages).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it('upgrades with STARTTLS, verifying the certificate, and refuses to send in the clear when STARTTLS is required', async () => {
    const tls = selfSignedCertificate();
    const offering = await smtpSink({ starttls: tls });
    const plainOnly = await smtpSink();
    try {
      await sendMail({ host: '127.0.0.1', port: offering.port, tls: 'starttls', ca: tls.cert }, message);
      await sendMail({ host: '127.0.0.1', port: offering.port, tls: 'opportunistic', ca: tls.cert }, message);
      expect(offering.messages.map((mail) => mail.secure)).toEqual([true, true]);
      expect(offering.messages[0]!.body).toBe('First\r\n.hidden dot line\r\nLast');
      // A certificate nobody vouches for is not trusted.
      await expect(sendMail({ host: '127.0.0.1', port: offering.port, tls: 'starttls' }, message)).rejects.toThrow(/^Could not start TLS with the SMTP server 127\.0\.0\.1:\d+: .*certificate/);
      await expect(sendMail({ host: '127.0.0.1', port: plainOnly.port, tls: 'starttls' }, message)).rejects.toThrow(/^Could not start TLS with the SMTP server/);
      expect(plainOnly.messages).toEqual([]);
      await sendMail({ host: '127.0.0.1', port: plainOnly.port, tls: 'opportunistic' }, message);
      expect(plainOnly.messages.map((mail) => mail.secure)).toEqual([false]);
      expect(offering.messages).toHaveLength(2);
    } finally {
      await offering.close();
      await plainOnly.close();
    }
  });

  it('speaks TLS from the first byte when the server wants implicit TLS', async () => {
    const tls = selfSignedCertificate();
    const implicit = await smtpSink({ implicitTls: tls });
    try {
      await sendMail({ host: '127.0.0.1', port: implicit.port, tls: 'implicit', ca: tls.cert }, message);
      expect(implicit.messages).toHaveLength(1);
      expect(implicit.messages[0]!.body).toBe('First\r\n.hidden dot line\r\nLast');
    } finally {
      await implicit.close();
    }
  });
});
