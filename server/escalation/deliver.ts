import { retrySchedule, signWebhook } from '../../core/escalation';
import type { DeliverySettings, WebhookRetryPolicy } from '../../core/schema';
import { isoNow, type Clock } from '../clock';
import { readJson } from '../store/json-column';
import type { Store } from '../store/store';
import type { DeliveriesTable } from '../store/tables';
import { readDeliverySettings } from './settings';
import { sendMail, type SmtpMessage, type SmtpTarget } from './smtp';
import { postWebhook, type Resolve } from './webhook-target';

export interface DeliverOptions {
  /** Networks a webhook may reach although they are internal (HEADWAY_WEBHOOK_ALLOW_NETWORKS). */
  allowNetworks?: readonly string[];
  /** Name resolution for webhook hosts; the system's by default. */
  resolve?: Resolve;
  sendMail?: (target: SmtpTarget, message: SmtpMessage) => Promise<void>;
  /** Certificates the SMTP connection trusts besides the system's (a test's self-signed server). */
  smtpCa?: string;
  /** [0, 1) like Math.random; seeded in tests. */
  random?: () => number;
  policy?: Partial<WebhookRetryPolicy>;
  /** How long one process holds a delivery it is sending before another may try. */
  leaseMs?: number;
  timeoutMs?: number;
  batch?: number;
  /** How long delivered and failed rows stay in the outbox (default 30 days). */
  keepFinishedMs?: number;
}

export interface DeliverResult {
  delivered: string[];
  retrying: string[];
  failed: string[];
}

export const SIGNATURE_HEADER = 'X-Headway-Signature';

async function attempt(row: DeliveriesTable, settings: DeliverySettings, clock: Clock, options: DeliverOptions): Promise<void> {
  if (row.channel === 'webhook') {
    if (settings.webhookSecret === null) throw new Error('No webhook secret is configured any more.');
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    const signature = await signWebhook(row.payload, settings.webhookSecret, timestamp);
    // A redirect is not followed: it could send the signed event somewhere the admin never configured.
    const status = await postWebhook({
      url: row.target,
      headers: {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: signature,
        'X-Headway-Event': row.event_type,
        'X-Headway-Delivery': row.id,
        'User-Agent': 'Headway-Webhook/1',
      },
      body: row.payload,
      timeoutMs: options.timeoutMs ?? 10_000,
      allowed: options.allowNetworks ?? [],
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
    if (status < 200 || status >= 300) throw new Error(`The webhook receiver answered ${status}.`);
    return;
  }
  if (row.channel === 'email') {
    if (settings.smtp === null) throw new Error('No SMTP server is configured any more.');
    const mail = readJson(row.payload) as { subject: string; text: string };
    await (options.sendMail ?? sendMail)(
      { host: settings.smtp.host, port: settings.smtp.port, tls: settings.smtp.tls, username: settings.smtp.username, password: settings.smtpPassword, timeoutMs: options.timeoutMs, ca: options.smtpCa },
      { from: settings.smtp.from, to: readJson(row.target) as string[], subject: mail.subject, text: mail.text, date: clock.now(), messageId: `${row.id}@headway` },
    );
    return;
  }
  throw new Error(`Unknown delivery channel ${row.channel}.`);
}

/**
 * Sends what the outbox holds that is due: each delivery is leased by a conditional UPDATE first, so two server
 * processes never send the same one at the same time; a failure is retried on core's backoff schedule until the
 * attempts run out, and then recorded as failed with the last error.
 */
export async function deliverDue(store: Store, clock: Clock, options: DeliverOptions = {}): Promise<DeliverResult> {
  const result: DeliverResult = { delivered: [], retrying: [], failed: [] };
  const now = isoNow(clock);
  // The outbox is not an archive: finished deliveries leave after a while (the audit trail keeps the events).
  const keepSince = new Date(clock.now().getTime() - (options.keepFinishedMs ?? 30 * 86_400_000)).toISOString();
  await store.db.deleteFrom('deliveries').where('status', 'in', ['delivered', 'failed']).where('created_at', '<', keepSince).execute();
  const due = await store.db
    .selectFrom('deliveries')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .orderBy('created_at')
    .limit(options.batch ?? 50)
    .execute();
  if (due.length === 0) return result;
  const settings = await readDeliverySettings(store.db);
  const lease = new Date(clock.now().getTime() + (options.leaseMs ?? 120_000)).toISOString();
  for (const row of due) {
    const claimed = await store.db
      .updateTable('deliveries')
      .set({ claimed_until: lease })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', row.attempts)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const attempts = row.attempts + 1;
    try {
      await attempt(row, settings, clock, options);
      await store.db
        .updateTable('deliveries')
        .set({ status: 'delivered', attempts, delivered_at: isoNow(clock), claimed_until: null, last_error: null })
        .where('id', '=', row.id)
        .execute();
      result.delivered.push(row.id);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const delay = retrySchedule(attempts, options.random ?? Math.random, options.policy);
      const next = delay === null ? null : new Date(clock.now().getTime() + delay).toISOString();
      await store.db
        .updateTable('deliveries')
        .set({ status: next === null ? 'failed' : 'pending', attempts, next_attempt_at: next ?? row.next_attempt_at, claimed_until: null, last_error: message })
        .where('id', '=', row.id)
        .execute();
      (next === null ? result.failed : result.retrying).push(row.id);
    }
  }
  return result;
}
