import { z } from 'zod';
import { IsoDate } from './common';

/** Countries whose public holidays Headway knows (ISO 3166-1 alpha-2; GB means England & Wales). */
export const CalendarCountry = z.enum(['RU', 'DE', 'GB', 'US']);
export type CalendarCountry = z.infer<typeof CalendarCountry>;

/**
 * The working calendar of a span of days, as plan pace and SLA clocks count it: days off on working weekdays
 * (public holidays, transferred days off, company days off), weekend days that are worked (a transferred working
 * Saturday), and the years of the span for which the country's calendar is not known yet — counted as plain
 * weekdays, and said so rather than guessed.
 */
export const WorkingCalendarInfo = z.object({
  country: CalendarCountry.nullable(),
  daysOff: z.array(IsoDate),
  workingWeekendDays: z.array(IsoDate),
  unknownYears: z.array(z.number().int()),
});
export type WorkingCalendarInfo = z.infer<typeof WorkingCalendarInfo>;
