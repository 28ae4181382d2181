import type { Period, PeriodUnit } from '../schema';

/*
 * Dates are ISO strings (YYYY-MM-DD) at the edges and whole day numbers (days since 1970-01-01) inside, so that
 * the maths never touches a clock or a time zone. The civil-date conversions are Howard Hinnant's algorithms.
 */

export function dayNumber(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || m < 1 || m > 12 || d < 1 || d > 31) {
    throw new RangeError(`not an ISO date: ${iso}`);
  }
  return daysFromCivil(y, m, d);
}

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isoDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

export const monthsIn: Record<PeriodUnit, number> = { month: 1, quarter: 3, year: 12 };

/** Months counted from year 0, so that adding months is plain integer arithmetic. */
function monthIndex(iso: string): number {
  return Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
}

function firstOfMonth(index: number): number {
  return daysFromCivil(Math.floor(index / 12), (index % 12) + 1, 1);
}

/**
 * The fiscal period (month, quarter or year) that contains `date`, on a fiscal year that starts on the first day
 * of `fiscalYearStartMonth` (1 = January). Quarters and years are counted from that month, so with a fiscal year
 * starting in April, Q1 is April–June and the year runs April–March.
 */
export function periodContaining(date: string, unit: PeriodUnit, fiscalYearStartMonth: number): Period {
  if (!Number.isInteger(fiscalYearStartMonth) || fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) {
    throw new RangeError(`fiscal year start month must be 1–12, got ${fiscalYearStartMonth}`);
  }
  const span = monthsIn[unit];
  const index = monthIndex(date);
  const offset = index - (fiscalYearStartMonth - 1);
  const startIndex = offset - (((offset % span) + span) % span) + (fiscalYearStartMonth - 1);
  return { start: isoDate(firstOfMonth(startIndex)), end: isoDate(firstOfMonth(startIndex + span) - 1) };
}

/** The period of `unit` length that starts on `start` — how a plan's own start date defines its period. */
export function periodStartingAt(start: string, unit: PeriodUnit): Period {
  const first = dayNumber(start);
  const { year, month, day } = civilFromDays(first);
  const span = monthsIn[unit];
  const endIndex = year * 12 + month - 1 + span;
  // A plan normally starts on the 1st; if it does not, the period still spans whole months from that day.
  const end = daysFromCivil(Math.floor(endIndex / 12), (endIndex % 12) + 1, 1) + (day - 1) - 1;
  return { start, end: isoDate(end) };
}

export function nextPeriod(period: Period, unit: PeriodUnit, fiscalYearStartMonth: number): Period {
  return periodContaining(isoDate(dayNumber(period.end) + 1), unit, fiscalYearStartMonth);
}

export function previousPeriod(period: Period, unit: PeriodUnit, fiscalYearStartMonth: number): Period {
  return periodContaining(isoDate(dayNumber(period.start) - 1), unit, fiscalYearStartMonth);
}

/** The months of a period, in order; used to check that a quarter's or year's working days add up. */
export function monthsOf(period: Period): Period[] {
  const months: Period[] = [];
  let cursor = period.start;
  while (cursor <= period.end) {
    const month = periodContaining(cursor, 'month', 1);
    months.push({ start: cursor, end: month.end < period.end ? month.end : period.end });
    cursor = isoDate(dayNumber(month.end) + 1);
  }
  return months;
}
