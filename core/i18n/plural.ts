import type { Locale } from './locale';

/** A message that depends on a count: Russian has one / few / many (1 сделка, 2 сделки, 5 сделок), English one / other. */
export interface PluralForms {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

export type PluralCategory = 'one' | 'few' | 'many' | 'other';

/** CLDR's cardinal rules for the two languages, as Intl.PluralRules answers them (held to it by a unit test). */
export function pluralCategory(locale: Locale, count: number): PluralCategory {
  const whole = Number.isInteger(count);
  if (locale === 'en') return whole && Math.abs(count) === 1 ? 'one' : 'other';
  if (!whole) return 'other';
  const n = Math.abs(count);
  const tens = n % 100;
  const units = n % 10;
  if (units === 1 && tens !== 11) return 'one';
  if (units >= 2 && units <= 4 && (tens < 12 || tens > 14)) return 'few';
  return 'many';
}

export function pluralForm(forms: PluralForms, locale: Locale, count: number): string {
  return forms[pluralCategory(locale, count)] ?? forms.other;
}
