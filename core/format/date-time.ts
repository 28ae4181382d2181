/**
 * Local date and time as en-GB's Intl.DateTimeFormat writes them with `dateStyle: 'medium', timeStyle: 'short'`
 * ("27 Nov 2026, 09:05"), without Intl, for the same reason as money.ts: the sidebar shares the CRM's tab, where
 * a first Intl formatter means loading ICU's locale data.
 */
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** An ISO timestamp in the reader's time zone; text that is no date is returned as it came. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getDate()} ${months[date.getMonth()]} ${date.getFullYear()}, ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
}

const longMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar day (ISO date, or the date part of a timestamp) as the server counts days, in UTC. */
function calendarDay(iso: string): Date | null {
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(day.getTime()) ? null : day;
}

/** "7 Dec 2026" for an ISO date; text that is no date is returned as it came. */
export function formatDay(iso: string): string {
  const day = calendarDay(iso);
  return day ? `${day.getUTCDate()} ${months[day.getUTCMonth()]} ${day.getUTCFullYear()}` : iso;
}

/** "7 Dec": a day this year or near it, where the year goes without saying. */
export function formatDayMonth(iso: string): string {
  const day = calendarDay(iso);
  return day ? `${day.getUTCDate()} ${months[day.getUTCMonth()]}` : iso;
}

/** "December" / "Dec" for a month index 0–11. */
export function monthName(index: number, style: 'long' | 'short'): string {
  return (style === 'long' ? longMonths : months)[index] ?? '';
}
