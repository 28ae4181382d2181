import { describe, expect, it } from 'vitest';
import { NATIONAL_CALENDARS, toWorkCalendar, workingCalendarInfo } from '../../../core/calendar';
import { dayNumber, isWorkingDay, remainingWorkingDays, workingDaysBetween, weekday } from '../../../core/plan';
import { CalendarCountry } from '../../../core/schema';

const onCalendar = (country: CalendarCountry | null, from: string, to: string, companyDaysOff: string[] = []) =>
  toWorkCalendar(workingCalendarInfo(country, companyDaysOff, from, to));
const working = (country: CalendarCountry, day: string) => isWorkingDay(dayNumber(day), onCalendar(country, day, day));

describe('national calendars as data', () => {
  it('lists only weekdays as days off and only weekend days as worked, each in its own year, sorted', () => {
    for (const country of CalendarCountry.options) {
      for (const [year, { off, working: worked = [] }] of Object.entries(NATIONAL_CALENDARS[country].years)) {
        for (const day of off) {
          expect(day.slice(0, 4), `${country} ${day}`).toBe(year);
          expect([0, 6], `${country} ${day} is a weekend day`).not.toContain(weekday(dayNumber(day)));
        }
        for (const day of worked) expect([0, 6], `${country} ${day}`).toContain(weekday(dayNumber(day)));
        expect([...off].sort()).toEqual(off);
      }
    }
  });

  it('has the published yearly totals of working days (5-day week)', () => {
    // Russia: 247 working days in 2025 and in 2026 (the production calendars of decrees 1335 and 1466).
    expect(workingDaysBetween('2025-01-01', '2025-12-31', onCalendar('RU', '2025-01-01', '2025-12-31'))).toBe(247);
    expect(workingDaysBetween('2026-01-01', '2026-12-31', onCalendar('RU', '2026-01-01', '2026-12-31'))).toBe(247);
    // Germany: 261 weekdays in 2026 less 7 national holidays on weekdays; US 2026: 261 − 11; E&W 2026: 261 − 8.
    expect(workingDaysBetween('2026-01-01', '2026-12-31', onCalendar('DE', '2026-01-01', '2026-12-31'))).toBe(254);
    expect(workingDaysBetween('2026-01-01', '2026-12-31', onCalendar('US', '2026-01-01', '2026-12-31'))).toBe(250);
    expect(workingDaysBetween('2026-01-01', '2026-12-31', onCalendar('GB', '2026-01-01', '2026-12-31'))).toBe(253);
  });
});

describe('Russia', () => {
  it('takes 1–9 January 2026 off (New Year holidays, 3 Jan moved to Fri 9 Jan) and works from Mon 12 Jan', () => {
    for (let d = 1; d <= 11; d++) expect(working('RU', `2026-01-${String(d).padStart(2, '0')}`), `2026-01-${d}`).toBe(false);
    expect(working('RU', '2026-01-12')).toBe(true);
    // January 2026 has 15 working days; the plan's "needed per working day" divides by these.
    const january = onCalendar('RU', '2026-01-01', '2026-01-31');
    expect(workingDaysBetween('2026-01-01', '2026-01-31', january)).toBe(15);
    expect(remainingWorkingDays({ start: '2026-01-01', end: '2026-01-31' }, '2026-01-05', january)).toBe(15);
  });

  it('moves 4 Jan 2026 (Sun) to Thu 31 Dec 2026, and 8 Mar (Sun) to Mon 9 Mar, 9 May (Sat) to Mon 11 May', () => {
    expect(working('RU', '2026-12-31')).toBe(false);
    expect(working('RU', '2026-12-30')).toBe(true);
    expect(working('RU', '2026-03-09')).toBe(false);
    expect(working('RU', '2026-05-11')).toBe(false);
    expect(working('RU', '2026-02-23')).toBe(false);
    expect(working('RU', '2026-11-04')).toBe(false);
    expect(working('RU', '2026-11-05')).toBe(true);
  });

  it('works Saturday 1 November 2025 and takes Monday 3 November off (decree 1335)', () => {
    expect(working('RU', '2025-11-01')).toBe(true);
    expect(working('RU', '2025-11-03')).toBe(false);
    expect(working('RU', '2025-11-04')).toBe(false);
    // The week of 27 Oct – 1 Nov 2025 has six working days.
    expect(workingDaysBetween('2025-10-27', '2025-11-02', onCalendar('RU', '2025-10-27', '2025-11-02'))).toBe(6);
    // May 2025: 1–4 and 8–11 off (4 Jan → 2 May, 23 Feb → 8 May): 18 working days.
    expect(workingDaysBetween('2025-05-01', '2025-05-31', onCalendar('RU', '2025-05-01', '2025-05-31'))).toBe(18);
  });

  it('says 2027 is not known yet instead of guessing, and still counts its weekdays', () => {
    const info = workingCalendarInfo('RU', [], '2026-12-01', '2027-01-31');
    expect(info.unknownYears).toEqual([2027]);
    expect(info.daysOff).toEqual(['2026-12-31']);
    expect(workingCalendarInfo('RU', [], '2026-01-01', '2026-12-31').unknownYears).toEqual([]);
    expect(workingCalendarInfo('DE', [], '2027-01-01', '2028-03-31').unknownYears).toEqual([2028]);
    // Without a country nothing is unknown: only weekends and the company's days off count.
    expect(workingCalendarInfo(null, ['2027-03-01'], '2027-01-01', '2027-12-31')).toEqual({ country: null, daysOff: ['2027-03-01'], workingWeekendDays: [], unknownYears: [] });
  });
});

describe('Germany, England & Wales, United States', () => {
  it('knows the national days and nothing of a single state', () => {
    expect(working('DE', '2026-04-03')).toBe(false); // Good Friday
    expect(working('DE', '2026-05-14')).toBe(false); // Ascension
    expect(working('DE', '2026-06-04')).toBe(true); // Corpus Christi: state holiday only
    expect(working('DE', '2026-10-30')).toBe(true);
    expect(NATIONAL_CALENDARS.DE.notIncluded).toContain('Corpus Christi');
  });

  it('takes substitute days: E&W Boxing Day 2026 on Mon 28 Dec, US Independence Day 2026 on Fri 3 Jul', () => {
    expect(working('GB', '2026-12-28')).toBe(false);
    expect(working('GB', '2026-08-31')).toBe(false); // summer bank holiday
    expect(working('US', '2026-07-03')).toBe(false);
    expect(working('US', '2026-11-26')).toBe(false); // Thanksgiving
    expect(working('US', '2026-11-27')).toBe(true);
    expect(working('US', '2027-12-31')).toBe(false); // New Year's Day 2028 (Sat) observed
  });

  it('adds the company’s days off, which also win over a transferred working Saturday', () => {
    const info = workingCalendarInfo('RU', ['2025-11-01', '2025-12-30', '2026-02-01'], '2025-10-01', '2025-12-31');
    expect(info.workingWeekendDays).toEqual([]);
    expect(info.daysOff).toContain('2025-12-30');
    expect(info.daysOff).not.toContain('2026-02-01');
    expect(isWorkingDay(dayNumber('2025-12-30'), toWorkCalendar(info))).toBe(false);
  });
});
