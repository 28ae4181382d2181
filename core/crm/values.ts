// Turning the text a CRM page shows into deal values. Pure: no DOM, no clock, no locale of the machine running it.
// Every parser answers undefined when the text could mean two things; the sidebar shows "unknown" rather than a guess.
import { isoCurrencyCodes } from '../format/currency-codes';

/** Upper bounds from DealFields (core/schema/deal.ts), applied before anything else touches the text. */
export const limits = { title: 500, stage: 200, ownerLabel: 300 } as const;

// C0/C1 controls other than whitespace never belong in a name; bidi marks and RTL letters do, so they stay.
const controlCharacters = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;

/** Collapses whitespace and clamps to `max` UTF-16 units without splitting a surrogate pair. */
export function cleanText(raw: string | null | undefined, max: number): string | undefined {
  if (!raw) return undefined;
  // Slice first: a 1 MB title must cost one slice, not a regex pass over a megabyte.
  const start = raw.search(/\S/);
  if (start < 0) return undefined;
  const head = raw.slice(start, start + max * 2 + 64);
  const text = head.replace(controlCharacters, '').replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

// Symbols that name exactly one currency. A bare "$", "¥" or "kr" names several (USD/CAD/AUD/MXN…, JPY/CNY,
// SEK/NOK/DKK), so they yield no currency: the amount is still read.
const currencySymbols: readonly [string, string][] = [
  // Prefixed dollars before the two-letter ones: "CA$" also contains "A$".
  ['US$', 'USD'],
  ['AU$', 'AUD'],
  ['CA$', 'CAD'],
  ['NZ$', 'NZD'],
  ['HK$', 'HKD'],
  ['MX$', 'MXN'],
  ['A$', 'AUD'],
  ['C$', 'CAD'],
  ['S$', 'SGD'],
  ['R$', 'BRL'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['₹', 'INR'],
  ['₽', 'RUB'],
  ['₴', 'UAH'],
  ['₺', 'TRY'],
  ['₩', 'KRW'],
  ['₪', 'ILS'],
  ['₫', 'VND'],
  ['₦', 'NGN'],
  ['₱', 'PHP'],
  ['zł', 'PLN'],
  ['Kč', 'CZK'],
  ['руб', 'RUB'],
];

// Names some CRMs print instead of a code (SuiteCRM 7 shows the currency's configured name, e.g. "US Dollars").
const currencyNames: readonly [RegExp, string][] = [
  [/^us dollars?$/i, 'USD'],
  [/^euros?$/i, 'EUR'],
  [/^(?:british )?pounds?(?: sterling)?$/i, 'GBP'],
  [/^swiss francs?$/i, 'CHF'],
  [/^japanese yen$/i, 'JPY'],
];

// Currencies with three minor digits: there "1,234" may really be 1.234, so a lone 3-digit group is ambiguous.
const threeDecimalCurrencies = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** The one ISO 4217 code a text names, by code, unambiguous symbol or known name; undefined if none or several. */
export function parseCurrency(raw: string | null | undefined): string | undefined {
  const text = cleanText(raw, 120);
  if (!text) return undefined;
  const found = new Set<string>();
  for (const match of text.matchAll(/(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])/g)) {
    if (isoCurrencyCodes.has(match[0])) found.add(match[0]);
  }
  if (found.size === 0) {
    for (const [symbol, code] of currencySymbols) {
      if (text.includes(symbol)) {
        found.add(code);
        break; // longest symbols come first: "US$" must not also count as "$"-something else
      }
    }
  }
  if (found.size === 0) {
    for (const [name, code] of currencyNames) if (name.test(text)) found.add(code);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

const multipliers: Record<string, number> = {
  k: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  mio: 1e6,
  b: 1e9,
  bn: 1e9,
  mrd: 1e9,
};

/**
 * Reads digits with grouping and decimal separators as people in any locale write them:
 * "1,234.50", "1.234,50", "1 234,50", "1'234.50", "12,34,567.00". undefined when the text allows two readings.
 */
function parseDigits(raw: string, threeDecimalsPossible: boolean, scaled: boolean): number | undefined {
  const text = raw.replace(/[\s\u00a0\u202f\u2009]/g, ' ').replace(/[’']/g, "'");
  const separators = text.match(/[^\d]/g) ?? [];
  if (separators.length === 0) return Number(text);
  const groups = text.split(/[^\d]/);
  if (groups.some((group) => group === '')) return undefined;
  const last = separators[separators.length - 1]!;
  const lastGroup = groups[groups.length - 1]!;
  let decimal: string | undefined;
  if (last === '.' || last === ',') {
    const before = separators.slice(0, -1);
    if (before.includes(last)) decimal = undefined;
    else if (before.length > 0) decimal = last;
    else if (lastGroup.length !== 3 || groups[0] === '0') decimal = last;
    // One separator before exactly three digits: "1,234" is 1234 unless the currency has three minor digits
    // or a scale suffix follows ("1.250K" could be 1250K or 1.25K).
    else if (threeDecimalsPossible || scaled) return undefined;
  }
  const integerGroups = decimal ? groups.slice(0, -1) : groups;
  const integerSeparators = decimal ? separators.slice(0, -1) : separators;
  if (new Set(integerSeparators).size > 1) return undefined;
  const [first, ...rest] = integerGroups;
  if (!first) return undefined;
  if (rest.length > 0) {
    const western = first.length <= 3 && rest.every((group) => group.length === 3);
    // Indian grouping: lakh and crore, "12,34,567"
    const indian =
      integerSeparators[0] === ',' &&
      first.length <= 2 &&
      rest.slice(0, -1).every((group) => group.length === 2) &&
      rest[rest.length - 1]!.length === 3;
    if (!western && !indian) return undefined;
  }
  const integer = integerGroups.join('');
  return Number(decimal ? `${integer}.${lastGroup}` : integer);
}

/** Amount and currency from a money text such as "€1,234.50", "1.234,50 €", "USD 12,000.00", "$12K". */
export function parseMoney(
  raw: string | null | undefined,
  knownCurrency?: string,
): { amount?: number; currency?: string } {
  let text = cleanText(raw, 200);
  if (!text) return {};
  // Salesforce multi-currency shows "EUR 900.00 (USD 1,000.00)": the part in brackets is a conversion.
  const bracket = text.indexOf('(');
  if (bracket > 0) text = text.slice(0, bracket).trim();
  const currency = parseCurrency(text) ?? knownCurrency;
  let rest = text.replace(/(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])/g, ' ');
  for (const [symbol] of currencySymbols) rest = rest.split(symbol).join(' ');
  rest = rest.replace(/[$¥]|\bkr\b/g, ' ').trim();
  if (/^[-−–]|^\(/.test(rest)) return currency ? { currency } : {}; // Money is never negative: a refund is no amount
  const match = /^(\d[\d.,'’\s\u00a0\u202f\u2009]*?)\s*(k|mm|mn|mio|m|bn|b|mrd)?\.?$/i.exec(rest);
  if (!match) return currency ? { currency } : {};
  const suffix = match[2]?.toLowerCase();
  const value = parseDigits(match[1]!.trim(), currency ? threeDecimalCurrencies.has(currency) : false, !!suffix);
  if (value === undefined || !Number.isFinite(value)) return currency ? { currency } : {};
  const amount = Math.round(value * (suffix ? multipliers[suffix]! : 1) * 100) / 100;
  if (amount > 1e13) return currency ? { currency } : {};
  return currency ? { amount, currency } : { amount };
}

/** A probability in percent from "75%", "75 %" or "75"; undefined outside 0–100. */
export function parseProbability(raw: string | null | undefined): number | undefined {
  const text = cleanText(raw, 40);
  if (!text) return undefined;
  const match = /^(\d{1,3}(?:[.,]\d+)?)\s*%?$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]!.replace(',', '.'));
  return value >= 0 && value <= 100 ? value : undefined;
}

const monthNames: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * An ISO date (YYYY-MM-DD) from a date as a CRM shows it, only when the text fixes day and month:
 * ISO, year-first, day.month.year (the dotted form is day-first wherever it is used), English month names,
 * or a slashed date whose day is above 12. "04/05/2025" stays undefined.
 */
export function parseDate(raw: string | null | undefined): string | undefined {
  const text = cleanText(raw, 60);
  if (!text) return undefined;
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{4})[./](\d{1,2})[./](\d{1,2})\.?$/.exec(text);
  if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$/.exec(text);
  if (match) return isoDate(Number(match[3]), Number(match[2]), Number(match[1]));
  match = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(text);
  if (match) {
    const first = Number(match[1]);
    const second = Number(match[2]);
    const year = Number(match[3]);
    if (first > 12 && second <= 12) return isoDate(year, second, first);
    if (second > 12 && first <= 12) return isoDate(year, first, second);
    return undefined;
  }
  // "Mar 15, 2025", "March 15 2025"
  match = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/.exec(text);
  if (match) {
    const month = monthNames[match[1]!.toLowerCase()];
    return month ? isoDate(Number(match[3]), month, Number(match[2])) : undefined;
  }
  // "15 Mar 2025", "15 March, 2025", "15-Mar-2025"
  match = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?,?[ -](\d{4})$/.exec(text);
  if (match) {
    const month = monthNames[match[2]!.toLowerCase()];
    return month ? isoDate(Number(match[3]), month, Number(match[1])) : undefined;
  }
  return undefined;
}
