import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar, Escalation } from '../../../core/schema';
import { addBusinessMinutes, businessHoursBetween, isBusinessTime, isOverdue, slaDue } from '../../../core/escalation';
import { calendar, escalation } from './fixtures';

// 2026-11-27 is a Friday.
const berlin = BusinessCalendar.parse({ utcOffsetMinutes: 60, holidays: ['2026-12-24', '2026-12-25'] });

describe('addBusinessMinutes and slaDue', () => {
  it.each([
    ['inside the day', '2026-11-26T10:00:00Z', 120, '2026-11-26T12:00:00.000Z'],
    ['runs out exactly at the end of the day: due at 18:00, not next morning', '2026-11-26T16:00:00Z', 120, '2026-11-26T18:00:00.000Z'],
    ['spills over the night', '2026-11-26T17:00:00Z', 120, '2026-11-27T10:00:00.000Z'],
    ['Friday afternoon skips the weekend', '2026-11-27T17:00:00Z', 120, '2026-11-30T10:00:00.000Z'],
    ['created on Saturday starts Monday 09:00', '2026-11-28T11:00:00Z', 60, '2026-11-30T10:00:00.000Z'],
    ['created before opening starts at 09:00', '2026-11-26T06:30:00Z', 30, '2026-11-26T09:30:00.000Z'],
    ['zero minutes at night moves to the next start', '2026-11-26T22:00:00Z', 0, '2026-11-27T09:00:00.000Z'],
  ])('%s', (_label, from, minutes, due) => {
    expect(addBusinessMinutes(from, minutes, calendar)).toBe(due);
  });

  it('treats a day ending at 24:00 as business time up to midnight', () => {
    const lateShift = BusinessCalendar.parse({ workdays: [0], start: '20:00', end: '24:00' });
    // 2026-11-01 is a Sunday; 60 hours are fifteen Sundays of four hours.
    const due = addBusinessMinutes('2026-11-01T00:00:00Z', 3600, lateShift);
    expect(due).toBe('2027-02-08T00:00:00.000Z');
    expect(isBusinessTime(due, lateShift)).toBe(true);
    expect(isBusinessTime('2027-02-08T00:00:01Z', lateShift)).toBe(false);
  });

  it('uses the fixed offset and skips holidays', () => {
    // 2026-12-23 17:00 in UTC+1 is 16:00Z; one business hour is left that day, then 24th and 25th are holidays.
    expect(addBusinessMinutes('2026-12-23T16:00:00Z', 120, berlin)).toBe('2026-12-28T09:00:00.000Z');
  });

  it('works a transferred working Saturday and skips a holiday on a weekday', () => {
    const moscow = BusinessCalendar.parse({ holidays: ['2025-11-03', '2025-11-04'], workingDays: ['2025-11-01'] });
    expect(addBusinessMinutes('2025-10-31T17:00:00Z', 120, moscow)).toBe('2025-11-01T10:00:00.000Z');
    expect(isBusinessTime('2025-11-01T12:00:00Z', moscow)).toBe(true);
    expect(isBusinessTime('2025-11-03T12:00:00Z', moscow)).toBe(false);
    expect(addBusinessMinutes('2025-11-01T17:00:00Z', 120, moscow)).toBe('2025-11-05T10:00:00.000Z');
  });

  it('gives each severity its hours from the calendar', () => {
    expect(slaDue('2026-11-26T09:00:00Z', 'critical', calendar)).toBe('2026-11-26T11:00:00.000Z');
    expect(slaDue('2026-11-26T09:00:00Z', 'high', calendar)).toBe('2026-11-26T18:00:00.000Z');
    expect(slaDue('2026-11-26T09:00:00Z', 'normal', calendar)).toBe('2026-11-27T18:00:00.000Z');
    // 45 hours = five 9-hour days: Thu, Fri, Mon, Tue, Wed.
    expect(slaDue('2026-11-26T09:00:00Z', 'low', calendar)).toBe('2026-12-02T18:00:00.000Z');
  });

  it('accepts an offset in the input time and answers in UTC', () => {
    expect(addBusinessMinutes('2026-11-26T11:00:00+01:00', 60, calendar)).toBe('2026-11-26T11:00:00.000Z');
  });

  it('refuses negative or fractional minutes and bad dates', () => {
    expect(() => addBusinessMinutes('2026-11-26T10:00:00Z', -1, calendar)).toThrow(RangeError);
    expect(() => addBusinessMinutes('2026-11-26T10:00:00Z', 1.5, calendar)).toThrow(RangeError);
    expect(() => addBusinessMinutes('yesterday', 1, calendar)).toThrow(RangeError);
  });

  it('rejects a calendar whose day ends before it starts', () => {
    expect(BusinessCalendar.safeParse({ start: '18:00', end: '09:00' }).success).toBe(false);
    expect(BusinessCalendar.safeParse({ workdays: [] }).success).toBe(false);
  });
});

describe('businessHoursBetween', () => {
  it('counts only business time', () => {
    expect(businessHoursBetween('2026-11-27T17:00:00Z', '2026-11-30T10:00:00Z', calendar)).toBe(2);
    expect(businessHoursBetween('2026-11-28T00:00:00Z', '2026-11-29T23:59:00Z', calendar)).toBe(0);
    expect(businessHoursBetween('2026-11-30T10:00:00Z', '2026-11-27T17:00:00Z', calendar)).toBe(0);
  });
});

describe('isOverdue', () => {
  it('is late only after the due instant and only while waiting', () => {
    const e = escalation({ slaDue: '2026-11-30T18:00:00.000Z' });
    expect(isOverdue(e, '2026-11-30T18:00:00.000Z')).toBe(false);
    expect(isOverdue(e, '2026-11-30T18:00:01.000Z')).toBe(true);
    expect(isOverdue({ ...e, status: 'acknowledged' }, '2026-12-01T00:00:00Z')).toBe(true);
    expect(isOverdue({ ...e, status: 'resolved' }, '2026-12-01T00:00:00Z')).toBe(false);
    expect(isOverdue({ ...e, status: 'withdrawn' }, '2026-12-01T00:00:00Z')).toBe(false);
    expect(isOverdue({ ...e, slaDue: null }, '2030-01-01T00:00:00Z')).toBe(false);
  });
  it('accepts the fixture as an Escalation', () => expect(Escalation.safeParse(escalation()).success).toBe(true));
});

const calendars = fc
  .record({
    utcOffsetMinutes: fc.integer({ min: -14 * 4, max: 14 * 4 }).map((q) => q * 15),
    workdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    startHour: fc.integer({ min: 0, max: 22 }),
    length: fc.integer({ min: 1, max: 12 }),
    holidays: fc.array(fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.UTC(2026, 10, 1) + d * 86_400_000).toISOString().slice(0, 10)), { maxLength: 10 }),
  })
  .map(({ utcOffsetMinutes, workdays, startHour, length, holidays }) => {
    const endHour = Math.min(startHour + length, 24);
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    return BusinessCalendar.parse({ utcOffsetMinutes, workdays, start: hh(startHour), end: hh(endHour), holidays });
  });
const instants = fc.integer({ min: Date.UTC(2026, 10, 1), max: Date.UTC(2027, 0, 31) }).map((ms) => new Date(ms).toISOString());
const minutes = fc.integer({ min: 0, max: 60 * 24 * 10 });

describe('business-hours properties', () => {
  it('due is never before creation, and lies in business time (the end of a day included)', () => {
    fc.assert(
      fc.property(calendars, instants, minutes, (cal, from, m) => {
        const due = addBusinessMinutes(from, m, cal);
        expect(Date.parse(due)).toBeGreaterThanOrEqual(Date.parse(from));
        expect(isBusinessTime(due, cal)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('adding m1 then m2 equals adding m1 + m2', () => {
    fc.assert(
      fc.property(calendars, instants, minutes, minutes, (cal, from, m1, m2) => {
        expect(addBusinessMinutes(addBusinessMinutes(from, m1, cal), m2, cal)).toBe(addBusinessMinutes(from, m1 + m2, cal));
      }),
      { numRuns: 400 },
    );
  });

  it('is monotone in the minutes added', () => {
    fc.assert(
      fc.property(calendars, instants, minutes, minutes, (cal, from, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(Date.parse(addBusinessMinutes(from, lo, cal))).toBeLessThanOrEqual(Date.parse(addBusinessMinutes(from, hi, cal)));
      }),
      { numRuns: 400 },
    );
  });

  it('businessHoursBetween undoes the addition', () => {
    fc.assert(
      fc.property(calendars, instants, minutes, (cal, from, m) => {
        const due = addBusinessMinutes(from, m, cal);
        expect(Math.round(businessHoursBetween(from, due, cal) * 60)).toBe(m);
      }),
      { numRuns: 400 },
    );
  });
});
