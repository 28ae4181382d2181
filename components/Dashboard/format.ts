import { formatDay, monthName } from '../../core/format/date-time';
import { formatMoney, formatMoneyCompact, groupDigits } from '../../core/format/money';
import type { PeriodUnit } from '../../core/schema';

/**
 * Number formatting for the dashboard and popup, from core/format like every other page (sidebar, inbox, reports),
 * so one figure reads the same wherever it shows. Every amount is shown in the currency the server reported it in.
 * `locale` is taken for when core/format speaks more than en-GB; today every page writes en-GB's forms.
 */
export interface Formats {
  money(amount: number): string;
  /** Short form for chart axes: €1.2M. */
  moneyCompact(amount: number): string;
  percent(value: number | null): string;
  date(iso: string): string;
}

/** "27 Nov 2026" for an ISO date or date-time, read as a calendar day (UTC), as the server counts days. */
export function formatDate(iso: string, _locale?: string): string {
  return formatDay(iso);
}

export function formatsFor(currency: string, locale?: string): Formats {
  return {
    money: (amount) => formatMoney(amount, currency),
    moneyCompact: (amount) => formatMoneyCompact(amount, currency),
    percent: (value) => (value === null ? '—' : `${groupDigits(value)} %`),
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

/** "November 2026", "Oct – Dec 2026", "2026" or "FY 2026/27" — from the period's first and last day. */
export function periodName(unit: PeriodUnit, period: { start: string; end: string }, _locale?: string): string {
  const start = new Date(`${period.start}T00:00:00Z`);
  const end = new Date(`${period.end}T00:00:00Z`);
  if (unit === 'month') return `${monthName(start.getUTCMonth(), 'long')} ${start.getUTCFullYear()}`;
  if (unit === 'quarter') return `${monthName(start.getUTCMonth(), 'short')} – ${monthName(end.getUTCMonth(), 'short')} ${end.getUTCFullYear()}`;
  return start.getUTCMonth() === 0 ? `${start.getUTCFullYear()}` : `FY ${start.getUTCFullYear()}/${String(end.getUTCFullYear()).slice(2)}`;
}
