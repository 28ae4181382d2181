import { monthName } from '../../core/format/date-time';
import { monthNameRu } from '../../core/format/russian';
import { formatsOf, pickLocale, translator, type Locale } from '../../core/i18n';
import type { PeriodUnit } from '../../core/schema';
import { dashboardMessages } from './i18n';

/**
 * Number formatting for the dashboard and popup, from core/i18n's formatsOf like every other page (sidebar, inbox,
 * reports), so one figure reads the same wherever it shows. Every amount is shown in the currency the server
 * reported it in. `locale` is the page's language ('ru', 'en'), or a browser tag ('en-GB', 'ru-RU').
 */
export interface Formats {
  locale: Locale;
  money(amount: number): string;
  /** An amount in another currency than the page's (a group of deals left out for want of a rate). */
  moneyIn(amount: number, currency: string): string;
  /** Short form for chart axes: €1.2M, 1,2 млн €. */
  moneyCompact(amount: number): string;
  percent(value: number | null): string;
  date(iso: string): string;
}

const languageOf = (locale: string | undefined): Locale => pickLocale(locale ? [locale] : []);

/** "27 Nov 2026" / "27 нояб. 2026" for an ISO date or date-time, read as a calendar day (UTC), as the server counts days. */
export function formatDate(iso: string, locale?: string): string {
  return formatsOf(languageOf(locale)).day(iso);
}

export function formatsFor(currency: string, locale?: string): Formats {
  const language = languageOf(locale);
  const core = formatsOf(language);
  return {
    locale: language,
    money: (amount) => core.money(amount, currency),
    moneyIn: (amount, other) => core.money(amount, other),
    moneyCompact: (amount) => core.moneyCompact(amount, currency),
    percent: (value) => (value === null ? '—' : `${core.digits(value)}${language === 'ru' ? '\u00a0' : ' '}%`),
    date: (iso) => core.day(iso),
  };
}

/** "€12,300 ahead" / "€4,100 behind" / "on pace": words, so pace never relies on colour alone. */
export function paceWords(aheadBy: number, format: Formats): { text: string; tone: 'ahead' | 'behind' | 'even' } {
  const t = translator(dashboardMessages, format.locale);
  const rounded = Math.round(aheadBy);
  if (rounded > 0) return { text: t('ahead', { amount: format.money(rounded) }), tone: 'ahead' };
  if (rounded < 0) return { text: t('behind', { amount: format.money(-rounded) }), tone: 'behind' };
  return { text: t('onPace'), tone: 'even' };
}

/** "Month" / "Месяц": a period's kind as a column or a button names it. */
export const periodLabel = (unit: PeriodUnit, locale: Locale = 'en'): string => translator(dashboardMessages, locale)(unit);

/** "November 2026", "Oct – Dec 2026", "2026" or "FY 2026/27" (ru: "ноябрь 2026", "окт. – дек. 2026") — from the period's first and last day. */
export function periodName(unit: PeriodUnit, period: { start: string; end: string }, locale?: string): string {
  const language = languageOf(locale);
  const t = translator(dashboardMessages, language);
  const month = language === 'ru' ? monthNameRu : monthName;
  const start = new Date(`${period.start}T00:00:00Z`);
  const end = new Date(`${period.end}T00:00:00Z`);
  if (unit === 'month') return t('monthName', { month: month(start.getUTCMonth(), 'long'), year: start.getUTCFullYear() });
  if (unit === 'quarter') return t('quarterName', { from: month(start.getUTCMonth(), 'short'), to: month(end.getUTCMonth(), 'short'), year: end.getUTCFullYear() });
  return start.getUTCMonth() === 0 ? `${start.getUTCFullYear()}` : t('fiscalYear', { start: start.getUTCFullYear(), end: String(end.getUTCFullYear()).slice(2) });
}
