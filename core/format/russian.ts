import { compactAmount, groupDigits, type DigitStyle } from './money';

/*
 * Numbers, amounts and dates as ru-RU's Intl writes them ("1 234 567,89 ₽", "141 200 €", "7 дек. 2026"), without
 * Intl for the same reason as money.ts. test/unit/format/russian.test.ts holds every ISO currency and month to
 * Intl's own output. Dates leave out Intl's trailing "г.", as Russian business writing mostly does.
 */

export const russianDigits: DigitStyle = { group: '\u00a0', decimal: ',' };

/** ru-RU's symbols; every other ISO code is written as the code itself ("38 500 CHF"). */
const symbols: Readonly<Record<string, string>> = {
  AUD: 'A$', BRL: 'R$', CAD: 'CA$', CNY: 'CN¥', EUR: '€', GBP: '£', HKD: 'HK$', ILS: '₪', INR: '₹', JPY: '¥',
  KRW: '₩', MXN: 'MX$', NZD: 'NZ$', RUB: '₽', THB: '฿', TMT: 'ТМТ', TWD: 'NT$', UAH: '₴', USD: '$', VND: '₫',
  XAF: 'FCFA', XCD: 'EC$', XCG: 'Cg', XOF: 'F\u202fCFA', XPF: 'CFPF',
};

/** "1 234 567,5" with no-break spaces. */
export function groupDigitsRu(value: number, maxFractionDigits = 0): string {
  return groupDigits(value, maxFractionDigits, russianDigits);
}

/** "141 200 €", "1 234 567,89 ₽", "-5 000 $", "38 500 CHF"; a malformed code follows the figure too. */
export function formatMoneyRu(amount: number, currency?: string, maxFractionDigits = 0): string {
  const digits = groupDigitsRu(amount, maxFractionDigits);
  if (!currency) return digits;
  if (!/^[A-Z]{3}$/.test(currency)) return `${digits} ${currency}`;
  return `${digits}\u00a0${symbols[currency] ?? currency}`;
}

/** Short month names in the genitive, as a date writes them ("7 мая"). */
const months = ['янв.', 'февр.', 'мар.', 'апр.', 'мая', 'июн.', 'июл.', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'];

function calendarDay(iso: string): Date | null {
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(day.getTime()) ? null : day;
}

/** "7 дек. 2026" for an ISO date, as the server counts days (UTC); text that is no date is returned as it came. */
export function formatDayRu(iso: string): string {
  const day = calendarDay(iso);
  return day ? `${day.getUTCDate()} ${months[day.getUTCMonth()]} ${day.getUTCFullYear()}` : iso;
}

/** "7 дек.": a day this year or near it. */
export function formatDayMonthRu(iso: string): string {
  const day = calendarDay(iso);
  return day ? `${day.getUTCDate()} ${months[day.getUTCMonth()]}` : iso;
}

/** "7 дек. 2026, 09:05" in the reader's time zone. */
export function formatDateTimeRu(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getDate()} ${months[date.getMonth()]} ${date.getFullYear()}, ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** Month names standing alone, as a period is named ("ноябрь 2026", "окт. – дек. 2026"): nominative, not genitive. */
const standaloneLong = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const standaloneShort = ['янв.', 'февр.', 'март', 'апр.', 'май', 'июнь', 'июль', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'];

export function monthNameRu(index: number, style: 'long' | 'short'): string {
  return (style === 'long' ? standaloneLong : standaloneShort)[index] ?? '';
}

const compactStepsRu = [
  { size: 1e12, suffix: 'трлн' },
  { size: 1e9, suffix: 'млрд' },
  { size: 1e6, suffix: 'млн' },
  { size: 1e3, suffix: 'тыс.' },
] as const;

/** "1,4 млн €", "950 тыс. €", "740 €": chart axes, as Russian writes short amounts (the step before the currency). */
export function formatMoneyCompactRu(amount: number, currency?: string): string {
  return compactAmount(amount, compactStepsRu, (figure, suffix) => {
    if (suffix === null) return formatMoneyRu(figure, currency);
    const unit = formatMoneyRu(0, currency).slice(1);
    return `${groupDigitsRu(figure, 1)}\u00a0${suffix}${unit}`;
  });
}
