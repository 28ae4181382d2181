import { randomUUID } from 'node:crypto';
import { webhookEventType, webhookPayload } from '../../core/escalation';
import { escalationWords } from '../../core/escalation/i18n';
import { formatsOf, recipientLocale, translator, type Locale } from '../../core/i18n';
import type { DeliverySettings, Escalation, EscalationAuditEntry, Recipient, User, WebhookEventType } from '../../core/schema';
import { writeJson } from '../store/json-column';
import type { Tx } from '../store/transaction';
import type { ChangeEntry } from '../sync/change-log';
import { escalationEmailMessages } from './i18n';
import { auditRow } from './records';

/** Events an e-mail goes out for, and to whom: the recipients for new work, the requester for answers. */
const EMAIL_TO: Partial<Record<WebhookEventType, 'recipients' | 'requester'>> = {
  'escalation.created': 'recipients',
  'escalation.escalated-up': 'recipients',
  'escalation.handed-over': 'recipients',
  'escalation.overdue': 'recipients',
  'escalation.resolved': 'requester',
  'escalation.info-requested': 'requester',
};

function audienceOf(to: Recipient): Pick<ChangeEntry, 'audienceRole' | 'audienceUserId'> {
  return 'role' in to ? { audienceRole: to.role, audienceUserId: null } : { audienceRole: null, audienceUserId: to.userId };
}

/**
 * Change-log rows so every client concerned pulls the new version: the requester and current recipients, the
 * previous recipients when it moved away from them, and each person who joined.
 */
export function escalationChanges(after: Escalation, before: Escalation | null): ChangeEntry[] {
  const base = { entity: 'escalation' as const, entityId: after.id, version: after.version, ownerId: after.fromId };
  const entries: ChangeEntry[] = [{ ...base, ...audienceOf(after.to) }];
  const moved = before !== null && JSON.stringify(before.to) !== JSON.stringify(after.to);
  if (moved) entries.push({ ...base, ...audienceOf(before.to) });
  for (const id of new Set([...(after.participantIds ?? []), ...(before?.participantIds ?? [])])) {
    entries.push({ ...base, audienceRole: null, audienceUserId: id });
  }
  return entries;
}

export interface EventContext {
  delivery: DeliverySettings;
  users: readonly User[];
  /** The workspace's language, for whoever set none of their own and for the webhook's chat line. */
  locale?: Locale;
}

/** Who gets the e-mail, grouped by the language each reads (their own, else the workspace's). */
function recipientsOf(escalation: Escalation, who: 'recipients' | 'requester', users: readonly User[], workspace: Locale | undefined): Map<Locale, string[]> {
  const byId = new Map(users.map((u) => [u.id, u]));
  const people =
    who === 'requester'
      ? [escalation.fromId, ...(escalation.participantIds ?? [])].map((id) => byId.get(id))
      : 'role' in escalation.to
        ? // The sender holding the addressed role needs no mail about their own escalation.
          users.filter((u) => 'role' in escalation.to && u.role === escalation.to.role && u.id !== escalation.fromId)
        : [byId.get(escalation.to.userId)];
  const byLocale = new Map<Locale, Set<string>>();
  for (const person of people) {
    if (!person) continue;
    const locale = recipientLocale(person.locale, workspace);
    byLocale.set(locale, (byLocale.get(locale) ?? new Set()).add(person.email));
  }
  return new Map([...byLocale].sort(([a], [b]) => a.localeCompare(b)).map(([locale, emails]) => [locale, [...emails].sort()]));
}

/** A plain-text e-mail in one language: the summary and the link, never the notes of the deal. */
export function emailFor(type: WebhookEventType, escalation: Escalation, link: string, users: readonly User[], locale: Locale = 'en'): { subject: string; text: string } {
  const t = translator(escalationEmailMessages, locale);
  const words = escalationWords(locale);
  const f = formatsOf(locale);
  const subjectKey = `subject.${type}`;
  const known = subjectKey in escalationEmailMessages.en;
  const event = known ? t(subjectKey as keyof typeof escalationEmailMessages.en) : t('subjectOther');
  const from = users.find((u) => u.id === escalation.fromId);
  const subject = t('subjectLine', { event, title: escalation.title }).replace(/[\r\n]+/g, ' ').slice(0, 250);
  const lines = [
    t('heading', { event: known ? event : t('headingOther'), title: escalation.title }),
    '',
    t('category', { value: words.category(escalation.category) }),
    t('severity', { value: words.severity(escalation.severity) }),
    t('status', { value: words.status(escalation.status) }),
    t('from', { value: from ? `${from.name} <${from.email}>` : escalation.fromId }),
    t('slaDue', { value: escalation.slaDue ? f.dateTime(escalation.slaDue) : t('noSla') }),
    ...(escalation.record ? [t('record', { crm: escalation.record.crm, recordType: escalation.record.recordType, crmId: escalation.record.crmId })] : []),
    ...(type === 'escalation.resolved' && escalation.decision ? ['', t('decision', { value: escalation.decision })] : []),
    '',
    t('open', { link }),
  ];
  return { subject, text: lines.join('\n') };
}

/** Outbox rows for one event, in the event's own transaction: nothing is announced that did not happen. */
export async function enqueueDeliveries(tx: Tx, type: WebhookEventType, escalation: Escalation, now: string, context: EventContext): Promise<number> {
  const { delivery } = context;
  const rows = [];
  const payload = webhookPayload({ type, escalation, at: now, baseUrl: delivery.baseUrl }, recipientLocale(null, context.locale));
  const base = { escalation_id: escalation.id, event_type: type, status: 'pending', attempts: 0, next_attempt_at: now, claimed_until: null, last_error: null, created_at: now, delivered_at: null };
  if (delivery.webhookUrl !== null) rows.push({ ...base, id: randomUUID(), channel: 'webhook', target: delivery.webhookUrl, payload });
  const who = EMAIL_TO[type];
  if (delivery.smtp !== null && who !== undefined) {
    const link = (JSON.parse(payload) as { link: string }).link;
    // One e-mail per language its recipients read.
    for (const [locale, to] of recipientsOf(escalation, who, context.users, context.locale)) {
      rows.push({ ...base, id: randomUUID(), channel: 'email', target: writeJson(to), payload: writeJson(emailFor(type, escalation, link, context.users, locale)) });
    }
  }
  if (rows.length > 0) await tx.insertInto('deliveries').values(rows).execute();
  return rows.length;
}

/**
 * Everything an accepted transition leaves behind besides the row: audit entry and deliveries. Answers the
 * change-log rows; the caller appends them last in its transaction (the counter row lock is held until commit).
 */
export async function recordTransition(
  tx: Tx,
  before: Escalation | null,
  after: Escalation,
  audit: EscalationAuditEntry,
  context: EventContext,
): Promise<ChangeEntry[]> {
  await tx.insertInto('escalation_audit').values(auditRow(audit)).execute();
  await enqueueDeliveries(tx, webhookEventType(audit.action), after, audit.at, context);
  return escalationChanges(after, before);
}
