import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  isoDate,
  monthsOf,
  nextPeriod,
  periodContaining,
  periodStartingAt,
  previousPeriod,
  weekday,
} from '../../../core/plan';
import type { PeriodUnit } from '../../../core/schema';

const isoDay = fc.integer({ min: dayNumber('1990-01-01'), max: dayNumber('2090-12-31') });
const unit = fc.constantFrom<PeriodUnit>('month', 'quarter', 'year');
const fiscalStart = fc.integer({ min: 1, max: 12 });

describe('fiscal calendar', () => {
  it('converts ISO dates to day numbers and back, agreeing with the platform calendar', () => {
    fc.assert(
      fc.property(isoDay, (day) => {
        const iso = isoDate(day);
        expect(dayNumber(iso)).toBe(day);
        // Date.UTC is pure (no clock); it is the independent oracle for the hand-written conversion.
        expect(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000).toBe(day);
        expect(weekday(day)).toBe(new Date(day * 86_400_000).getUTCDay());
      }),
    );
  });

  it('finds calendar-year periods', () => {
    expect(periodContaining('2026-02-14', 'month', 1)).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(periodContaining('2028-02-14', 'month', 1)).toEqual({ start: '2028-02-01', end: '2028-02-29' });
    expect(periodContaining('2026-05-31', 'quarter', 1)).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodContaining('2026-12-31', 'year', 1)).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });

  it('finds periods on a fiscal year starting in April (UK) and October (US federal)', () => {
    expect(periodContaining('2026-02-14', 'year', 4)).toEqual({ start: '2025-04-01', end: '2026-03-31' });
    expect(periodContaining('2026-04-01', 'year', 4)).toEqual({ start: '2026-04-01', end: '2027-03-31' });
    expect(periodContaining('2026-02-14', 'quarter', 4)).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(periodContaining('2026-11-30', 'quarter', 10)).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodContaining('2026-09-30', 'quarter', 11)).toEqual({ start: '2026-08-01', end: '2026-10-31' });
  });

  it('steps to the next and previous period across year ends', () => {
    const q = periodContaining('2026-12-10', 'quarter', 2);
    expect(q).toEqual({ start: '2026-11-01', end: '2027-01-31' });
    expect(nextPeriod(q, 'quarter', 2)).toEqual({ start: '2027-02-01', end: '2027-04-30' });
    expect(previousPeriod(q, 'quarter', 2)).toEqual({ start: '2026-08-01', end: '2026-10-31' });
  });

  it('derives a plan period from its start date', () => {
    expect(periodStartingAt('2026-04-01', 'quarter')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodStartingAt('2026-07-01', 'year')).toEqual({ start: '2026-07-01', end: '2027-06-30' });
    expect(periodStartingAt('2026-02-01', 'month')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
  });

  it('rejects a fiscal start month outside 1–12', () => {
    expect(() => periodContaining('2026-01-01', 'year', 13)).toThrow(RangeError);
  });

  it('contains the date, and stepping next then previous returns the same period', () => {
    fc.assert(
      fc.property(isoDay, unit, fiscalStart, (day, u, fy) => {
        const p = periodContaining(isoDate(day), u, fy);
        expect(p.start <= isoDate(day) && isoDate(day) <= p.end).toBe(true);
        expect(previousPeriod(nextPeriod(p, u, fy), u, fy)).toEqual(p);
        expect(periodStartingAt(p.start, u)).toEqual(p);
      }),
    );
  });

  it('tiles the fiscal year with months and quarters, without gaps or overlaps', () => {
    fc.assert(
      fc.property(isoDay, fc.constantFrom<PeriodUnit>('month', 'quarter'), fiscalStart, (day, u, fy) => {
        const year = periodContaining(isoDate(day), 'year', fy);
        let cursor = periodContaining(year.start, u, fy);
        expect(cursor.start).toBe(year.start);
        let pieces = 1;
        while (cursor.end < year.end) {
          const next = nextPeriod(cursor, u, fy);
          expect(dayNumber(next.start)).toBe(dayNumber(cursor.end) + 1);
          cursor = next;
          pieces += 1;
        }
        expect(cursor.end).toBe(year.end);
        expect(pieces).toBe(u === 'month' ? 12 : 4);
      }),
    );
  });

  it('splits a period into its months', () => {
    expect(monthsOf({ start: '2026-11-01', end: '2027-01-31' })).toEqual([
      { start: '2026-11-01', end: '2026-11-30' },
      { start: '2026-12-01', end: '2026-12-31' },
      { start: '2027-01-01', end: '2027-01-31' },
    ]);
  });
});
