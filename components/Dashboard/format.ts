import type { PeriodUnit } from '../../core/schema';

/**
 * Number formatting for the dashboard and popup. Every amount is shown in the currency the server reported it in,
 * with the reader's locale; tests call the same functions with the page's locale to compare figures.
 */
export interface Formats {
  money(amount: number): string;
  /** Short form for chart axes: €1.2M. */
  moneyCompact(amount: number): string;
  percent(value: number | null): string;
  date(iso: string): string;
}

/** "27 Nov 2026" for an ISO date or date-time, read as a calendar day (UTC), as the server counts days. */
export function formatDate(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}

export function formatsFor(currency: string, locale?: string): Formats {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 });
  const compact = new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return {
    money: (amount) => money.format(amount),
    moneyCompact: (amount) => compact.format(amount),
    percent: (value) => (value === null ? '—' : `${percent.format(value)} %`),
    date: (iso) => formatDate(iso, locale),
  };
}

/** "€12,300 ahead of pace" / "€4,100 behind pace" / "on pace": words, so pace never relies on colour alone. */
export function paceWords(aheadBy: number, format: Formats): { text: string; tone: 'ahead' | 'behind' | 'even' } {
  const rounded = Math.round(aheadBy);
  if (rounded > 0) return { text: `${format.money(rounded)} ahead`, tone: 'ahead' };
  if (rounded < 0) return { text: `${format.money(-rounded)} behind`, tone: 'behind' };
  return { text: 'on pace', tone: 'even' };
}

export const periodLabels: Record<PeriodUnit, string> = { month: 'Month', quarter: 'Quarter', year: 'Year' };

/** "November 2026", "Q4 2026 (Oct – Dec)", "2026" — from the period's first and last day. */
export function periodName(unit: PeriodUnit, period: { start: string; end: string }, locale?: string): string {
  const start = new Date(`${period.start}T00:00:00Z`);
  const end = new Date(`${period.end}T00:00:00Z`);
  const month = (d: Date, style: 'long' | 'short') => new Intl.DateTimeFormat(locale, { month: style, timeZone: 'UTC' }).format(d);
  if (unit === 'month') return `${month(start, 'long')} ${start.getUTCFullYear()}`;
  if (unit === 'quarter') return `${month(start, 'short')} – ${month(end, 'short')} ${end.getUTCFullYear()}`;
  return start.getUTCMonth() === 0 ? `${start.getUTCFullYear()}` : `FY ${start.getUTCFullYear()}/${String(end.getUTCFullYear()).slice(2)}`;
}
