import type { Period } from '../schema';
import { dayNumber, weekday } from './calendar';

/**
 * Weekend days and holidays, pre-digested so that counting working days in any range costs O(log holidays):
 * whole weeks are counted arithmetically, and holidays are found by binary search in a sorted list.
 */
export interface WorkCalendar {
  readonly weekend: ReadonlySet<number>;
  /** Holidays that fall on working weekdays, as sorted, distinct day numbers. */
  readonly holidays: readonly number[];
  /** Weekend days that are worked (a transferred working Saturday), as sorted, distinct day numbers. */
  readonly workingWeekendDays: readonly number[];
}

export function workCalendar(holidays: readonly string[] = [], weekendDays: readonly number[] = [0, 6], workingWeekendDays: readonly string[] = []): WorkCalendar {
  const weekend = new Set(weekendDays);
  const sorted = (dates: readonly string[], onWeekend: boolean) =>
    [...new Set(dates.map(dayNumber))].filter((d) => weekend.has(weekday(d)) === onWeekend).sort((a, b) => a - b);
  // A holiday on a weekend would otherwise be subtracted twice; a "working" weekday would be added twice.
  const days = sorted(holidays, false);
  const off = new Set(holidays.map(dayNumber));
  return { weekend, holidays: days, workingWeekendDays: sorted(workingWeekendDays, true).filter((d) => !off.has(d)) };
}

/** Whether a day (day number) is worked on this calendar. */
export function isWorkingDay(day: number, calendar: WorkCalendar): boolean {
  const has = (sorted: readonly number[]) => sorted[lowerBound(sorted, day)] === day;
  return calendar.weekend.has(weekday(day)) ? has(calendar.workingWeekendDays) : !has(calendar.holidays);
}

/** Index of the first element ≥ value. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Working days in [from, to] as day numbers, both inclusive; 0 when to < from. */
export function workingDaysInDays(from: number, to: number, calendar: WorkCalendar): number {
  if (to < from) return 0;
  const length = to - from + 1;
  const weeks = Math.floor(length / 7);
  let count = weeks * (7 - calendar.weekend.size);
  for (let d = from + weeks * 7; d <= to; d++) if (!calendar.weekend.has(weekday(d))) count++;
  const within = (list: readonly number[]) => lowerBound(list, to + 1) - lowerBound(list, from);
  return count - within(calendar.holidays) + within(calendar.workingWeekendDays);
}

/** Working days in [from, to] (ISO dates, both inclusive), excluding weekends and the calendar's holidays. */
export function workingDaysBetween(from: string, to: string, calendar: WorkCalendar): number {
  return workingDaysInDays(dayNumber(from), dayNumber(to), calendar);
}

/**
 * Working days of the period that have passed by the end of `today` (today included when it is a working day):
 * 0 before the period, all of them after it.
 */
export function elapsedWorkingDays(period: Period, today: string, calendar: WorkCalendar): number {
  const end = Math.min(dayNumber(today), dayNumber(period.end));
  return workingDaysInDays(dayNumber(period.start), end, calendar);
}

/**
 * Working days still available for selling, today included: a manager reading this at 9 o'clock can still close
 * today. So on the last day of a month one day remains, and none once the period is over.
 */
export function remainingWorkingDays(period: Period, today: string, calendar: WorkCalendar): number {
  const start = Math.max(dayNumber(today), dayNumber(period.start));
  return workingDaysInDays(start, dayNumber(period.end), calendar);
}
