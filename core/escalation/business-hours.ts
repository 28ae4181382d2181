import type { BusinessCalendar, Escalation, Severity } from '../schema';

/*
 * Business time is the union of closed intervals [start, end] of local time on working days (a workday that is
 * not a holiday). A due time therefore lies inside a working day or exactly on its end: a clock that runs out at
 * 18:00 is due at 18:00 that day, not at 09:00 the next morning. All arithmetic is on whole milliseconds of
 * "local epoch" time (UTC shifted by the fixed offset), so it is exact and associative.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Ten years of days: far beyond any SLA, and a bound that stops a loop on a calendar with no working day left. */
const MAX_DAYS = 3660;

function clockMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function toLocal(iso: string, calendar: BusinessCalendar): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a date-time: ${iso}`);
  return ms + calendar.utcOffsetMinutes * MINUTE;
}

function fromLocal(local: number, calendar: BusinessCalendar): string {
  return new Date(local - calendar.utcOffsetMinutes * MINUTE).toISOString();
}

/** The business window of a local day, or null when the day is a weekend day (not worked this once) or a holiday. */
function windowOf(day: number, calendar: BusinessCalendar, holidays: ReadonlySet<string>): [number, number] | null {
  // Day 0 (1970-01-01) was a Thursday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  const date = new Date(day * DAY).toISOString().slice(0, 10);
  if (!calendar.workdays.includes(weekday) && !calendar.workingDays.includes(date)) return null;
  if (holidays.has(date)) return null;
  return [day * DAY + clockMinutes(calendar.start) * MINUTE, day * DAY + clockMinutes(calendar.end) * MINUTE];
}

/** Adds whole business minutes to an instant. Zero minutes moves an instant outside business time to the next start. */
export function addBusinessMinutes(from: string, minutes: number, calendar: BusinessCalendar): string {
  if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError('business minutes must be a whole, non-negative number');
  const holidays = new Set(calendar.holidays);
  let cursor = toLocal(from, calendar);
  let remaining = minutes * MINUTE;
  const firstDay = Math.floor(cursor / DAY);
  for (let day = firstDay; day < firstDay + MAX_DAYS; day++) {
    const window = windowOf(day, calendar, holidays);
    if (window === null) continue;
    const [start, end] = window;
    if (cursor > end) continue;
    cursor = Math.max(cursor, start);
    const available = end - cursor;
    if (remaining <= available) return fromLocal(cursor + remaining, calendar);
    remaining -= available;
  }
  throw new RangeError('the business calendar has no working time within ten years');
}

/** When an escalation of this severity created at `createdAt` must be answered. */
export function slaDue(createdAt: string, severity: Severity, calendar: BusinessCalendar): string {
  return addBusinessMinutes(createdAt, Math.round(calendar.hoursBySeverity[severity] * 60), calendar);
}

/** Business hours between two instants (0 when b is not after a); the inverse of adding business minutes. */
export function businessHoursBetween(a: string, b: string, calendar: BusinessCalendar): number {
  const from = toLocal(a, calendar);
  const to = toLocal(b, calendar);
  if (to <= from) return 0;
  const holidays = new Set(calendar.holidays);
  let total = 0;
  const lastDay = Math.floor(to / DAY);
  const firstDay = Math.floor(from / DAY);
  if (lastDay - firstDay > 50 * 366) throw new RangeError('refusing to count business hours over more than fifty years');
  for (let day = firstDay; day <= lastDay; day++) {
    const window = windowOf(day, calendar, holidays);
    if (window === null) continue;
    const overlap = Math.min(window[1], to) - Math.max(window[0], from);
    if (overlap > 0) total += overlap;
  }
  return total / (60 * MINUTE);
}

/** True while the escalation still waits for an answer and its SLA has passed. Being due exactly now is not late. */
export function isOverdue(escalation: Pick<Escalation, 'status' | 'slaDue'>, now: string): boolean {
  if (escalation.slaDue === null) return false;
  if (escalation.status !== 'open' && escalation.status !== 'acknowledged') return false;
  return Date.parse(now) > Date.parse(escalation.slaDue);
}

/** True when the instant lies in business time as defined above (end of a working day included). */
export function isBusinessTime(at: string, calendar: BusinessCalendar): boolean {
  const local = toLocal(at, calendar);
  const holidays = new Set(calendar.holidays);
  const day = Math.floor(local / DAY);
  // A day that ends at 24:00 ends on the next day's midnight, so yesterday's window is checked too.
  return [day, day - 1].some((d) => {
    const window = windowOf(d, calendar, holidays);
    return window !== null && local >= window[0] && local <= window[1];
  });
}
