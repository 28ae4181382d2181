import type { Locale } from '../i18n/locale';

/**
 * A day as the reader types and reads it in a text field, where the browser's own date field would speak another
 * language (components/DateField.tsx): Russian writes 31.12.2026; English, whose British and American orders
 * disagree, gets the order nobody misreads, 2026-12-31.
 */
const shapes: Record<Locale, { read: RegExp; order: readonly ['y' | 'm' | 'd', 'y' | 'm' | 'd', 'y' | 'm' | 'd'] }> = {
  ru: { read: /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/, order: ['d', 'm', 'y'] },
  en: { read: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: ['y', 'm', 'd'] },
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The ISO day (YYYY-MM-DD) a typed text means, '' for an empty one, null for one that is no day of the calendar. */
export function readTypedDay(text: string, locale: Locale): string | null {
  const typed = text.trim();
  if (!typed) return '';
  const match = shapes[locale].read.exec(typed);
  if (!match) return null;
  const parts = Object.fromEntries(shapes[locale].order.map((part, index) => [part, Number(match[index + 1])])) as Record<'y' | 'm' | 'd', number>;
  const day = new Date(Date.UTC(parts.y, parts.m - 1, parts.d));
  if (day.getUTCFullYear() !== parts.y || day.getUTCMonth() !== parts.m - 1 || day.getUTCDate() !== parts.d) return null;
  return `${parts.y}-${pad(parts.m)}-${pad(parts.d)}`;
}

/** An ISO day as the reader types it ('' stays ''). */
export function writeTypedDay(iso: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  return locale === 'ru' ? `${match[3]}.${match[2]}.${match[1]}` : iso;
}
