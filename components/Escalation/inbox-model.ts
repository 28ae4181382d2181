import { formatsOf, translator, type Locale } from '../../core/i18n';
import type { EscalationView, Severity } from '../../core/schema';
import { inboxMessages } from '../../extension/escalation/i18n';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, normal: 2, low: 3 };
const WAITING = new Set(['open', 'acknowledged']);

/** Waiting ones first; among them overdue, then the most severe, then the newest; answered ones newest first. */
export function sortForInbox(escalations: readonly EscalationView[]): EscalationView[] {
  return [...escalations].sort((a, b) => {
    const waiting = Number(WAITING.has(b.status)) - Number(WAITING.has(a.status));
    if (waiting !== 0) return waiting;
    if (WAITING.has(a.status)) {
      const overdue = Number(b.overdue) - Number(a.overdue);
      if (overdue !== 0) return overdue;
      const severity = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
      if (severity !== 0) return severity;
    }
    return b.createdAt.localeCompare(a.createdAt);
  });
}

export const statusLabel = (status: EscalationView['status'], locale: Locale = 'en'): string => translator(inboxMessages, locale)(`status.${status}`);

/** "in 3 h", "2 d ago": the SLA due time relative to now. */
export function relativeTime(iso: string, now: Date, locale: Locale = 'en'): string {
  const t = translator(inboxMessages, locale);
  const minutes = Math.round((Date.parse(iso) - now.getTime()) / 60_000);
  const size = Math.abs(minutes);
  const ahead = minutes >= 0;
  if (size < 60) return t(ahead ? 'inMinutes' : 'minutesAgo', { count: size });
  if (size < 48 * 60) return t(ahead ? 'inHours' : 'hoursAgo', { count: Math.round(size / 60) });
  return t(ahead ? 'inDays' : 'daysAgo', { count: Math.round(size / 1440) });
}

/** The context snapshot's few fields, as label/value pairs; unknown shapes show nothing rather than guess. */
export function contextFacts(context: Record<string, unknown>, locale: Locale = 'en'): { label: string; value: string }[] {
  const t = translator(inboxMessages, locale);
  const format = formatsOf(locale);
  const facts: { label: string; value: string }[] = [];
  const str = (key: string) => (typeof context[key] === 'string' && context[key] !== '' ? (context[key] as string) : null);
  if (str('title')) facts.push({ label: t('fact.title'), value: str('title')! });
  if (typeof context.amount === 'number') {
    facts.push({ label: t('fact.amount'), value: format.money(context.amount, str('currency') ?? undefined, 2) });
  }
  if (str('stage')) facts.push({ label: t('fact.stage'), value: str('stage')! });
  if (str('owner')) facts.push({ label: t('fact.owner'), value: str('owner')! });
  if (str('expectedClose')) facts.push({ label: t('fact.expectedClose'), value: format.day(str('expectedClose')!) });
  return facts;
}
