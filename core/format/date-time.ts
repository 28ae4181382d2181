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
