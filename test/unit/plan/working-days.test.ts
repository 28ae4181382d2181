import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  elapsedWorkingDays,
  isoDate,
  monthsOf,
  periodContaining,
  remainingWorkingDays,
  weekday,
  workCalendar,
  workingDaysBetween,
} from '../../../core/plan';
import type { PeriodUnit } from '../../../core/schema';

const base = dayNumber('2024-01-01');
const holidays = fc.uniqueArray(fc.integer({ min: base, max: base + 1200 }), { maxLength: 40 }).map((d) => d.map(isoDate));
const weekend = fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 3 });

/** The obvious day-by-day count, as the oracle for the arithmetic one. */
function naiveCount(from: number, to: number, hol: string[], wk: number[]): number {
  let n = 0;
  for (let d = from; d <= to; d++) if (!wk.includes(weekday(d)) && !hol.includes(isoDate(d))) n++;
  return n;
}

describe('working days', () => {
  it('counts weekdays minus holidays in March 2026', () => {
    const cal = workCalendar(['2026-03-17', '2026-03-21' /* a Saturday: not subtracted twice */]);
    expect(workingDaysBetween('2026-03-01', '2026-03-31', cal)).toBe(21);
    expect(workingDaysBetween('2026-03-31', '2026-03-01', cal)).toBe(0);
  });

  it('supports a Friday–Saturday weekend', () => {
    expect(workingDaysBetween('2026-03-01', '2026-03-07', workCalendar([], [5, 6]))).toBe(5);
  });

  it('agrees with a day-by-day count for any range, holidays and weekend', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: base - 30, max: base + 1200 }),
        fc.integer({ min: -5, max: 400 }),
        holidays,
        weekend,
        (from, length, hol, wk) => {
          const cal = workCalendar(hol, wk);
          expect(workingDaysBetween(isoDate(from), isoDate(from + length), cal)).toBe(
            naiveCount(from, from + length, hol, wk),
          );
        },
      ),
    );
  });

  it('counts elapsed working days including today, clamped to the period', () => {
    const cal = workCalendar();
    const march = { start: '2026-03-01', end: '2026-03-31' };
    expect(elapsedWorkingDays(march, '2026-02-27', cal)).toBe(0);
    expect(elapsedWorkingDays(march, '2026-03-02', cal)).toBe(1); // Monday 2 March
    expect(elapsedWorkingDays(march, '2026-03-08', cal)).toBe(5);
    expect(elapsedWorkingDays(march, '2026-04-15', cal)).toBe(22);
    expect(remainingWorkingDays(march, '2026-03-31', cal)).toBe(1);
    expect(remainingWorkingDays(march, '2026-04-01', cal)).toBe(0);
    expect(remainingWorkingDays(march, '2026-01-01', cal)).toBe(22);
  });

  it('counts the working days of a quarter or year as the sum over its months', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: base, max: base + 1000 }),
        fc.constantFrom<PeriodUnit>('quarter', 'year'),
        fc.integer({ min: 1, max: 12 }),
        holidays,
        weekend,
        (day, unit, fy, hol, wk) => {
          const cal = workCalendar(hol, wk);
          const period = periodContaining(isoDate(day), unit, fy);
          const sum = monthsOf(period).reduce((n, m) => n + workingDaysBetween(m.start, m.end, cal), 0);
          expect(workingDaysBetween(period.start, period.end, cal)).toBe(sum);
        },
      ),
    );
  });

  it('has elapsed monotone in today and elapsed + days after today = total', () => {
    fc.assert(
      fc.property(fc.integer({ min: base, max: base + 700 }), fc.integer({ min: -60, max: 160 }), holidays, (day, offset, hol) => {
        const cal = workCalendar(hol);
        const period = periodContaining(isoDate(day), 'quarter', 1);
        const today = dayNumber(period.start) + offset;
        const total = workingDaysBetween(period.start, period.end, cal);
        const elapsed = elapsedWorkingDays(period, isoDate(today), cal);
        expect(elapsed).toBeLessThanOrEqual(elapsedWorkingDays(period, isoDate(today + 1), cal));
        expect(elapsed + remainingWorkingDays(period, isoDate(today + 1), cal)).toBe(total);
      }),
    );
  });
});
