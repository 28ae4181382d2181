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

/** Who a country is assigned to beyond the workspace: a team, or one user when a department spans countries. */
export const CalendarScope = z.enum(['team', 'user']);
export type CalendarScope = z.infer<typeof CalendarScope>;

/** PUT /api/calendars/teams/:team and /api/calendars/users/:id: the country, or null to follow the workspace (or team). */
export const CalendarAssignment = z.object({ country: CalendarCountry.nullable() }).strict();
export type CalendarAssignment = z.infer<typeof CalendarAssignment>;

export const CalendarTeamParams = z.object({ team: z.string().trim().min(1).max(100) });
export const CalendarUserParams = z.object({ id: z.string().min(1).max(200) });

/** POST /api/calendars/days-off adds company days off; DELETE /api/calendars/days-off/:day removes one. */
export const CompanyDaysOff = z.object({ days: z.array(IsoDate).min(1, 'give at least one day').max(366) }).strict();
export type CompanyDaysOff = z.infer<typeof CompanyDaysOff>;
export const CompanyDayParams = z.object({ day: IsoDate });

export const CalendarCountryInfo = z.object({
  code: CalendarCountry,
  name: z.string(),
  source: z.string(),
  notIncluded: z.string().nullable(),
  knownYears: z.array(z.number().int()),
});

/** GET /api/calendars: what each scope counts working days on. */
export const CalendarsResponse = z.object({
  /** The workspace's country, which teams and users without their own follow; null = weekends only. */
  country: CalendarCountry.nullable(),
  teams: z.record(z.string(), CalendarCountry),
  users: z.record(z.string(), CalendarCountry),
  companyDaysOff: z.array(IsoDate),
  countries: z.array(CalendarCountryInfo),
});
export type CalendarsResponse = z.infer<typeof CalendarsResponse>;
