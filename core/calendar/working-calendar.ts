import { type WorkCalendar, workCalendar } from '../plan/working-days';
import type { CalendarCountry, WorkingCalendarInfo } from '../schema';
import { NATIONAL_CALENDARS } from './national';

/** The years from `from` to `to` (ISO dates), both included. */
function yearsOf(from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(y);
  return years;
}

/**
 * The working calendar of [from, to]: the country's public holidays and transferred days (none when `country` is
 * null), plus the company's own days off, which win over a transferred working Saturday. Years the country's table
 * does not know are listed in unknownYears: their weekdays count as working days, and the caller says so.
 */
export function workingCalendarInfo(country: CalendarCountry | null, companyDaysOff: readonly string[], from: string, to: string): WorkingCalendarInfo {
  const inRange = (day: string) => from <= day && day <= to;
  const off = new Set(companyDaysOff.filter(inRange));
  const working = new Set<string>();
  const unknownYears: number[] = [];
  if (country !== null) {
    const table = NATIONAL_CALENDARS[country].years;
    for (const year of yearsOf(from, to)) {
      const known = table[year];
      if (!known) {
        unknownYears.push(year);
        continue;
      }
      for (const day of known.off) if (inRange(day)) off.add(day);
      for (const day of known.working ?? []) if (inRange(day) && !off.has(day)) working.add(day);
    }
  }
  return { country, daysOff: [...off].sort(), workingWeekendDays: [...working].sort(), unknownYears };
}

/** workingCalendarInfo over every year the country's table knows (for clocks that may run past a period). */
export function knownWorkingCalendar(country: CalendarCountry | null, companyDaysOff: readonly string[]): WorkingCalendarInfo {
  const years = country === null ? [] : Object.keys(NATIONAL_CALENDARS[country].years).map(Number);
  if (years.length === 0) return workingCalendarInfo(null, companyDaysOff, '0000-01-01', '9999-12-31');
  const info = workingCalendarInfo(country, [], `${Math.min(...years)}-01-01`, `${Math.max(...years)}-12-31`);
  return { ...info, daysOff: [...new Set([...info.daysOff, ...companyDaysOff])].sort(), workingWeekendDays: info.workingWeekendDays.filter((d) => !companyDaysOff.includes(d)) };
}

/** The WorkCalendar that counts working days on it (see core/plan/working-days). */
export function toWorkCalendar(info: WorkingCalendarInfo, weekendDays?: readonly number[]): WorkCalendar {
  return workCalendar(info.daysOff, weekendDays, info.workingWeekendDays);
}
