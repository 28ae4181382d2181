import { escalationMessages } from './i18n';
import { dealFacts } from '../../core/escalation/preset';
import { escalationMessages as escalationWordsCatalogue } from '../../core/escalation/i18n';
import { capitalFirst, translator, type Locale } from '../../core/i18n';
import {
  EscalationRules,
  type EscalationCategory,
  type EscalationContextSnapshot,
  type EscalationInput,
  type EscalationPresetResponse,
  type Recipient,
  type RecordRef,
  type Role,
  type Severity,
} from '../../core/schema';

/**
 * Pure pieces of the one-click escalation: what it is about, whom it goes to, what the sidebar says about it.
 * The background (extension/background/escalation/requests.ts) wires them to the outbox, storage and the server.
 */

const words = (locale: Locale) => translator(escalationMessages, locale);

// The category and severity words are core's, shared with the weekly report, e-mails and webhooks; a label capitalises.
const coreWords = (locale: Locale) => translator(escalationWordsCatalogue, locale);
export const categoryLabel = (category: EscalationCategory, locale: Locale = 'en'): string => capitalFirst(coreWords(locale)(`category.${category}`), locale);
export const severityLabel = (severity: Severity, locale: Locale = 'en'): string => capitalFirst(coreWords(locale)(`severity.${severity}`), locale);
export const roleLabel = (role: Role, locale: Locale = 'en'): string => words(locale)(`role.${role}`);

export function recipientLabel(to: Recipient, names: ReadonlyMap<string, string> = new Map(), locale: Locale = 'en'): string {
  return 'role' in to ? roleLabel(to.role, locale) : (names.get(to.userId) ?? words(locale)('onePerson'));
}

/** The sender's last refined choice, kept locally so an offline click still goes where they sent the last one. */
export interface LastChoice {
  category: EscalationCategory;
  severity: Severity;
  to: Recipient;
}

/** The workspace default when the server cannot be asked: a manager goes to the head, everyone else to management. */
export function defaultRecipient(role: Role | null): Recipient {
  return EscalationRules.parse({}).routes[role ?? 'manager'];
}

const text = (value: unknown, max: number): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null);
const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** What the page showed, as the snapshot the server keeps; the server's own reading wins where it has one. */
export function pageContext(record: RecordRef | null, fields: Record<string, unknown>, url: string | null, server: EscalationContextSnapshot | null): EscalationContextSnapshot {
  const amount = number(fields.amount);
  const fromPage: EscalationContextSnapshot = {
    title: text(fields.title, 300) ?? (record ? `${record.recordType} ${record.crmId}` : 'Department'),
    amount: amount !== null && amount >= 0 ? amount : null,
    currency: text(fields.currency, 3)?.toUpperCase() ?? null,
    stage: text(fields.stage, 200),
    owner: text(fields.ownerLabel, 200),
    expectedClose: typeof fields.expectedClose === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(fields.expectedClose) ? fields.expectedClose : null,
    record,
    link: url && /^https?:\/\//.test(url) ? url.slice(0, 2000) : null,
    notes: [],
  };
  if (!server) return fromPage;
  // The page is what the sender looked at, so its values win; the server adds what the page did not show (notes).
  return {
    ...server,
    title: text(fields.title, 300) ?? server.title,
    amount: fromPage.amount ?? server.amount,
    currency: fromPage.currency ?? server.currency,
    stage: fromPage.stage ?? server.stage,
    owner: fromPage.owner ?? server.owner,
    link: fromPage.link ?? server.link,
  };
}

export interface EscalationDraft {
  input: EscalationInput;
  reason: string | null;
}

/** The escalation one click sends: the server's preset when it answered, else the last choice, else the defaults. */
export function buildEscalation(options: {
  id: string;
  role: Role | null;
  record: RecordRef | null;
  fields: Record<string, unknown>;
  url: string | null;
  preset: EscalationPresetResponse | null;
  last: LastChoice | null;
  /** The sender's language, for a title worded here (the server words its preset's). */
  locale?: Locale;
}): EscalationDraft {
  const { id, role, record, fields, url, preset, last } = options;
  const context = pageContext(record, fields, url, preset?.context ?? null);
  const fallbackCategory: EscalationCategory = record ? 'shortcoming' : 'proposal';
  // Without a record it is a proposal for the department, whatever the last one about a deal was.
  const category = record ? (preset?.preset.category ?? last?.category ?? fallbackCategory) : fallbackCategory;
  const severity = preset?.preset.severity ?? last?.severity ?? 'normal';
  const to = preset?.preset.to ?? last?.to ?? defaultRecipient(role);
  // The server words it around the deal it knows; a deal it has not seen yet gets the page's title here.
  const presetTitle = preset?.preset.title;
  const title = (
    presetTitle && (!record || presetTitle.includes(context.title))
      ? presetTitle
      : `${presetTitle ?? categoryLabel(category, options.locale)}: ${context.title}${presetTitle || !record ? '' : dealFacts(context, options.locale)}`
  ).slice(0, 300);
  return {
    input: { id, category, severity, title, body: '', record, context: context as Record<string, unknown>, to },
    reason: preset ? preset.preset.reason : last ? 'last-choice' : 'default',
  };
}

/** An escalation as the local cache holds it (server copy or the optimistic one); only the fields the line reads. */
export interface CachedEscalation {
  id: string;
  title?: string;
  record: RecordRef | null;
  fromId: string | null;
  status: string;
  decision: string | null;
  createdAt: string;
  to?: Recipient;
  participantIds?: string[];
  comments?: { id: string; authorId: string }[];
  acknowledgedBy?: { id: string; name: string } | null;
  resolvedBy?: { id: string; name: string } | null;
}

const sameRecord = (a: RecordRef | null, b: RecordRef) => a !== null && a.crm === b.crm && a.recordType === b.recordType && a.crmId === b.crmId;

/**
 * The escalation a click of mine ended up in: the one under the id I sent, or, when the server joined it to an open
 * one, the escalation carrying my text as a comment under that id (server/escalation/service.ts joinDuplicate).
 */
export function joinedInto(escalations: readonly CachedEscalation[], sentId: string): CachedEscalation | null {
  if (escalations.some((esc) => esc.id === sentId)) return null;
  return escalations.find((esc) => esc.comments?.some((comment) => comment.id === sentId)) ?? null;
}

const named = (who: { name: string } | null | undefined) => (who && who.name.trim() !== '' ? who.name.trim() : null);

/**
 * The sidebar's one line about the newest escalation the user raised (or joined) on this record; null text when none.
 * `joined` holds the ids of escalations a click of mine joined, so the line says so.
 */
export function statusLineFor(
  escalations: readonly CachedEscalation[],
  record: RecordRef,
  userId: string | null,
  joined: ReadonlySet<string> = new Set(),
  locale: Locale = 'en',
): { text: string | null; tone: 'open' | 'ok' | 'muted' } {
  const t = words(locale);
  const mine = escalations
    .filter((esc) => sameRecord(esc.record, record))
    .filter((esc) => esc.fromId === null || esc.fromId === userId || joined.has(esc.id) || (userId !== null && esc.participantIds?.includes(userId)))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const latest = mine[0];
  if (!latest) return { text: null, tone: 'muted' };
  const lead = t(latest.fromId !== null && latest.fromId !== userId ? 'joinedOpen' : 'escalated');
  switch (latest.status) {
    case 'resolved': {
      const by = named(latest.resolvedBy);
      const decision = latest.decision ?? t('noDecision');
      return { text: by ? t('resolvedBy', { name: by, decision }) : t('resolved', { decision }), tone: 'ok' };
    }
    case 'withdrawn':
      return { text: t('withdrawn'), tone: 'muted' };
    case 'acknowledged': {
      const by = named(latest.acknowledgedBy);
      return { text: by ? t('acknowledgedBy', { lead, name: by }) : t('acknowledged', { lead }), tone: 'open' };
    }
    default:
      return { text: latest.fromId === null ? t('waitingSync', { lead }) : t('waitingFor', { lead, to: latest.to ? recipientLabel(latest.to, new Map(), locale) : t('anAnswer') }), tone: 'open' };
  }
}

/** A client-made escalation id (the server keys idempotency by it). */
export function newEscalationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `e_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
