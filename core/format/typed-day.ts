import type { Locale } from '../i18n/locale';
import { formatDay, monthName } from './date-time';

/**
 * A day as the reader types and reads it in a text field (components/DateField.tsx), written as every other page
 * writes a day (core/i18n formats), never as the browser's own date field would: that one follows the browser's UI
 * language and system locale, so an English reader in an American browser read mm/dd/yyyy beside the sidebar's
 * "7 Dec 2026". Russian writes 31.12.2026. English writes 7 Dec 2026, which British and American readers read
 * alike, and takes the month by name in either order (7 Dec 2026, Dec 7, 2026) or ISO (2026-12-07); it refuses
 * 07/12/2026, which each of them reads as another day.
 */
const pad = (n: number) => String(n).padStart(2, '0');

/** Month number (1–12) by English name, long or short, and the three-letter short form ("sep" beside "sept"). */
const englishMonths = new Map<string, number>();
for (let i = 0; i < 12; i++) {
  for (const name of [monthName(i, 'long'), monthName(i, 'short'), monthName(i, 'long').slice(0, 3)]) englishMonths.set(name.toLowerCase(), i + 1);
}

interface Parts {
  y: number;
  m: number;
  d: number;
}

function russianParts(typed: string): Parts | null {
  const match = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(typed);
  return match ? { d: Number(match[1]), m: Number(match[2]), y: Number(match[3]) } : null;
}

function englishParts(typed: string): Parts | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(typed);
  if (iso) return { y: Number(iso[1]), m: Number(iso[2]), d: Number(iso[3]) };
  const dayFirst = /^(\d{1,2})\s+(\p{L}+)\.?,?\s+(\d{4})$/u.exec(typed);
  const monthFirst = /^(\p{L}+)\.?\s+(\d{1,2}),?\s+(\d{4})$/u.exec(typed);
  const [day, month, year] = dayFirst ? [dayFirst[1], dayFirst[2], dayFirst[3]] : monthFirst ? [monthFirst[2], monthFirst[1], monthFirst[3]] : [];
  const m = month === undefined ? undefined : englishMonths.get(month.toLowerCase());
  return m === undefined ? null : { y: Number(year), m, d: Number(day) };
}

/** The ISO day (YYYY-MM-DD) a typed text means, '' for an empty one, null for one that is no day of the calendar. */
export function readTypedDay(text: string, locale: Locale): string | null {
  const typed = text.trim();
  if (!typed) return '';
  const parts = locale === 'ru' ? russianParts(typed) : englishParts(typed);
  if (!parts) return null;
  const day = new Date(Date.UTC(parts.y, parts.m - 1, parts.d));
  if (day.getUTCFullYear() !== parts.y || day.getUTCMonth() !== parts.m - 1 || day.getUTCDate() !== parts.d) return null;
  return `${parts.y}-${pad(parts.m)}-${pad(parts.d)}`;
}

/** An ISO day as the reader types it ('' stays ''). */
export function writeTypedDay(iso: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  return locale === 'ru' ? `${match[3]}.${match[2]}.${match[1]}` : formatDay(iso);
}

