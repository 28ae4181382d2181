import { WebhookRetryPolicy, type Escalation, type EscalationAuditEntry, type WebhookEventType, type WebhookPayload } from '../schema';
import type { Locale } from '../i18n';
import { escalationWords } from './i18n';

/*
 * Outgoing webhooks are signed the way Stripe signs them: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 * Signing the timestamp with the body lets a receiver refuse replays older than a tolerance. Web Crypto keeps this
 * file runnable in the browser and on the server alike.
 */

export interface WebhookEvent {
  type: WebhookEventType;
  escalation: Escalation;
  at: string;
  /** Where people open escalations, e.g. https://headway.example.com; the escalation's page hangs below it. */
  baseUrl: string;
}

const EVENT_BY_ACTION: Record<EscalationAuditEntry['action'], WebhookEventType> = {
  open: 'escalation.created',
  acknowledge: 'escalation.acknowledged',
  comment: 'escalation.commented',
  'request-info': 'escalation.info-requested',
  resolve: 'escalation.resolved',
  handover: 'escalation.handed-over',
  withdraw: 'escalation.withdrawn',
  edit: 'escalation.edited',
  'escalate-up': 'escalation.escalated-up',
  join: 'escalation.joined',
};

/** The webhook event an accepted transition announces; `escalation.overdue` is sent by the SLA clock itself. */
export function webhookEventType(action: EscalationAuditEntry['action']): WebhookEventType {
  return EVENT_BY_ACTION[action];
}

/**
 * Text a chat tool shows as written, not as markup: Slack (and Mattermost, Rocket.Chat) read `<!channel>`,
 * `<@U123>` and `<https://…|label>` as a mention or a disguised link, and `&`, `<`, `>` must be escaped as entities
 * there; Discord, Teams and Mattermost ping on `@everyone`/`@here`/`@channel`/`@all` and link `[label](url)`.
 * A title is the sender's free text, so it is made inert before it reaches the `text` line chat tools render.
 */
export function chatText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=(everyone|here|channel|all)\b)/gi, '@\u200b')
    .replace(/[[\]]/g, (bracket) => `\\${bracket}`);
}

/** The JSON body of a webhook: the event, a one-line text for chat tools, a summary and a link — never the body text. */
export function webhookPayload(event: WebhookEvent, locale: Locale = 'en'): string {
  const e = event.escalation;
  const words = escalationWords(locale);
  const to = 'role' in e.to ? words.role(e.to.role) : e.to.userId;
  const payload: WebhookPayload = {
    type: event.type,
    at: event.at,
    // The line a chat channel shows, in the workspace's language; the structured fields stay codes.
    text: words.t('chatLine', { severity: words.severity(e.severity).toUpperCase(), title: chatText(e.title), category: words.category(e.category), status: words.status(e.status), to }),
    escalation: {
      id: e.id,
      category: e.category,
      severity: e.severity,
      title: e.title,
      status: e.status,
      fromId: e.fromId,
      to: e.to,
      slaDue: e.slaDue,
      record: e.record,
      version: e.version,
    },
    link: `${event.baseUrl.replace(/\/+$/, '')}/escalations/${encodeURIComponent(e.id)}`,
  };
  return JSON.stringify(payload);
}

function subtleOf(subtle?: SubtleCrypto): SubtleCrypto {
  const found = subtle ?? globalThis.crypto?.subtle;
  if (!found) throw new Error('Web Crypto (crypto.subtle) is not available here');
  return found;
}

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function hmacHex(secret: string, message: string, subtle: SubtleCrypto): Promise<string> {
  const encoder = new TextEncoder();
  const key = await subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await subtle.sign('HMAC', key, encoder.encode(message)));
}

/** The signature header value for a body sent at `timestamp` (unix seconds). */
export async function signWebhook(body: string, secret: string, timestamp: number, subtle?: SubtleCrypto): Promise<string> {
  if (!Number.isInteger(timestamp) || timestamp < 0) throw new RangeError('the timestamp is whole unix seconds');
  return `t=${timestamp},v1=${await hmacHex(secret, `${timestamp}.${body}`, subtleOf(subtle))}`;
}

/** Compares without stopping at the first difference, so timing does not reveal how much of a guess was right. */
function equalInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export type WebhookVerification = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'too-old' | 'bad-signature' };

/**
 * Checks a signature header as a receiver would. Several v1 values are accepted so a secret can be rotated
 * (the sender signs with old and new for a while). `now` is unix seconds; the timestamp may differ by `toleranceSeconds`.
 */
export async function verifyWebhook(
  header: string,
  body: string,
  secret: string,
  now: number,
  toleranceSeconds = 300,
  subtle?: SubtleCrypto,
): Promise<WebhookVerification> {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return { ok: false, reason: 'malformed' };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now - timestamp) > toleranceSeconds) return { ok: false, reason: 'too-old' };
  const expected = await hmacHex(secret, `${timestamp}.${body}`, subtleOf(subtle));
  // Every candidate is compared, matching or not, so the number of comparisons does not depend on the secret.
  let match = false;
  for (const signature of signatures) match = equalInConstantTime(signature, expected) || match;
  return match ? { ok: true, timestamp } : { ok: false, reason: 'bad-signature' };
}

/**
 * How long to wait before retry number `attempt` (1 = the first retry after the first failed delivery), or null
 * when the attempts are used up. Exponential backoff capped at maxDelayMs, with "equal jitter": half the delay is
 * fixed, half random, so receivers coming back up are not hit by every sender at the same instant, yet a retry never
 * comes immediately. `random` returns [0, 1) like Math.random; pass a seeded one in tests.
 */
export function retrySchedule(attempt: number, random: () => number, policy: Partial<WebhookRetryPolicy> = {}): number | null {
  const { baseDelayMs, maxDelayMs, maxAttempts } = WebhookRetryPolicy.parse(policy);
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('retry attempts count from 1');
  if (attempt >= maxAttempts) return null;
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(ceiling / 2 + (ceiling / 2) * r);
}
