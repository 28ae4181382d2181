import { formatDay } from '../../core/format/date-time';
import { formatMoney } from '../../core/format/money';
import type { EscalationView, Severity } from '../../core/schema';

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

export const STATUS_LABELS: Record<EscalationView['status'], string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  withdrawn: 'Withdrawn',
};

/** "in 3 h", "2 d ago": the SLA due time relative to now. */
export function relativeTime(iso: string, now: Date): string {
  const minutes = Math.round((Date.parse(iso) - now.getTime()) / 60_000);
  const size = Math.abs(minutes);
  const text = size < 60 ? `${size} min` : size < 48 * 60 ? `${Math.round(size / 60)} h` : `${Math.round(size / 1440)} d`;
  return minutes >= 0 ? `in ${text}` : `${text} ago`;
}

/** The context snapshot's few fields, as label/value pairs; unknown shapes show nothing rather than guess. */
export function contextFacts(context: Record<string, unknown>): { label: string; value: string }[] {
  const facts: { label: string; value: string }[] = [];
  const str = (key: string) => (typeof context[key] === 'string' && context[key] !== '' ? (context[key] as string) : null);
  if (str('title')) facts.push({ label: 'Record', value: str('title')! });
  if (typeof context.amount === 'number') {
    facts.push({ label: 'Amount', value: formatMoney(context.amount, str('currency') ?? undefined, 2) });
  }
  if (str('stage')) facts.push({ label: 'Stage', value: str('stage')! });
  if (str('owner')) facts.push({ label: 'Owner', value: str('owner')! });
  if (str('expectedClose')) facts.push({ label: 'Expected close', value: formatDay(str('expectedClose')!) });
  return facts;
}
