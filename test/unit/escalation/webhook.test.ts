import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookPayload } from '../../../core/schema';
import { retrySchedule, signWebhook, verifyWebhook, webhookPayload } from '../../../core/escalation';
import { escalation } from './fixtures';

const secret = 'whsec_7f3a9c';
const t = 1_795_000_000;

describe('webhookPayload', () => {
  it('carries the event, a summary and a link, and never the body', () => {
    const body = webhookPayload({ type: 'escalation.created', escalation: escalation({ id: 'esc/1 ?' }), at: '2026-11-27T09:00:00.000Z', baseUrl: 'https://headway.example.com/' });
    const payload = WebhookPayload.parse(JSON.parse(body));
    expect(payload).toMatchObject({
      type: 'escalation.created',
      text: '[NORMAL] Approval needed: 20 % discount on Acme renewal — approval, open, to head',
      escalation: { id: 'esc/1 ?', category: 'approval', status: 'open', to: { role: 'head' } },
      link: 'https://headway.example.com/escalations/esc%2F1%20%3F',
    });
    expect(body).not.toContain('Buyer insists');
  });

  it('makes a title inert in the chat text: no mention, no disguised link (issue 13 §5)', () => {
    const title = '<!channel> <https://evil.example|Open in Headway> @everyone [click](https://evil.example) & <@U123>';
    const payload = WebhookPayload.parse(JSON.parse(webhookPayload({ type: 'escalation.created', escalation: escalation({ title }), at: '2026-11-27T09:00:00.000Z', baseUrl: 'https://headway.example.com' })));
    expect(payload.text).toBe(
      '[NORMAL] &lt;!channel&gt; &lt;https://evil.example|Open in Headway&gt; @\u200beveryone \\[click\\](https://evil.example) &amp; &lt;@U123&gt; — approval, open, to head',
    );
    expect(payload.text).not.toMatch(/<|>|@everyone|\[click\]/);
    // The structured field keeps the title as data, for receivers that render it themselves.
    expect(payload.escalation.title).toBe(title);
  });
});

describe('signWebhook and verifyWebhook', () => {
  it('matches an HMAC-SHA256 computed independently by node:crypto', async () => {
    const body = '{"type":"escalation.created","title":"Ünïcode ✓"}';
    const expected = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
    expect(await signWebhook(body, secret, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts its own signature within the tolerance, and refuses tampering, old timestamps and junk', async () => {
    const body = '{"a":1}';
    const header = await signWebhook(body, secret, t);
    expect(await verifyWebhook(header, body, secret, t + 299)).toEqual({ ok: true, timestamp: t });
    expect(await verifyWebhook(header, body, secret, t + 301)).toEqual({ ok: false, reason: 'too-old' });
    expect(await verifyWebhook(header, '{"a":2}', secret, t)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await verifyWebhook(header, body, 'other-secret', t)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await verifyWebhook(header.replace(`t=${t}`, `t=${t + 1}`), body, secret, t)).toEqual({ ok: false, reason: 'bad-signature' });
    for (const junk of ['', 'v1=abc', `t=${t}`, 't=x,v1=00', 'garbage']) {
      expect(await verifyWebhook(junk, body, secret, t)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts any of several v1 signatures, so a secret can be rotated', async () => {
    const body = 'payload';
    const fresh = (await signWebhook(body, 'new-secret', t)).split(',')[1];
    const header = `t=${t},v1=${'0'.repeat(64)},${fresh}`;
    expect((await verifyWebhook(header, body, 'new-secret', t)).ok).toBe(true);
  });
});

describe('retrySchedule', () => {
  it('backs off exponentially with half the delay fixed, and gives up after the last attempt', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 5 };
    expect([1, 2, 3, 4].map((a) => retrySchedule(a, () => 0, policy))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => retrySchedule(a, () => 0.999999, policy))).toEqual([999, 1999, 3999, 7999]);
    expect(retrySchedule(5, () => 0.5, policy)).toBeNull();
    expect(() => retrySchedule(0, () => 0.5, policy)).toThrow(RangeError);
  });

  it('always waits between half and all of the capped exponential delay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 49 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const policy = { baseDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 50 };
        const ceiling = Math.min(3_600_000, 30_000 * 2 ** (attempt - 1));
        const delay = retrySchedule(attempt, () => r, policy);
        expect(delay).not.toBeNull();
        expect(delay!).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay!).toBeLessThanOrEqual(ceiling);
      }),
    );
  });
});
