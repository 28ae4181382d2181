import { formatDateTime, formatDay, formatDayMonth } from '../format/date-time';
import { formatMoney, formatMoneyCompact, groupDigits } from '../format/money';
import { formatDateTimeRu, formatDayMonthRu, formatDayRu, formatMoneyCompactRu, formatMoneyRu, groupDigitsRu } from '../format/russian';
import type { Locale } from './locale';

/** Every way a page writes a figure or a date, in one language: the one formatting module of issue 17 §1. */
export interface Formats {
  locale: Locale;
  digits(value: number, maxFractionDigits?: number): string;
  money(amount: number, currency?: string, maxFractionDigits?: number): string;
  /** "€1.4M" / "1,4 млн €": chart axes and tight spots. */
  moneyCompact(amount: number, currency?: string): string;
  /** "58 %": a percentage already ×100, rounded to whole points. */
  percent(value: number): string;
  day(iso: string): string;
  dayMonth(iso: string): string;
  dateTime(iso: string): string;
}

const english: Formats = {
  locale: 'en',
  digits: groupDigits,
  money: formatMoney,
  moneyCompact: formatMoneyCompact,
  percent: (value) => `${Math.round(value)} %`,
  day: formatDay,
  dayMonth: formatDayMonth,
  dateTime: formatDateTime,
};

const russian: Formats = {
  locale: 'ru',
  digits: groupDigitsRu,
  money: formatMoneyRu,
  moneyCompact: formatMoneyCompactRu,
  percent: (value) => `${Math.round(value)}\u00a0%`,
  day: formatDayRu,
  dayMonth: formatDayMonthRu,
  dateTime: formatDateTimeRu,
};

export function formatsOf(locale: Locale): Formats {
  return locale === 'ru' ? russian : english;
}
