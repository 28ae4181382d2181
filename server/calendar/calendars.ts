import { knownWorkingCalendar, NATIONAL_CALENDARS, toWorkCalendar, workingCalendarInfo } from '../../core/calendar';
import type { WorkCalendar } from '../../core/plan';
import { type BusinessCalendar, CalendarCountry, type CalendarScope, type CalendarsResponse, type PaceCalendar, type Period } from '../../core/schema';
import { readPlanCalendar, updateSettings } from '../plan/settings';
import type { Store } from '../store/store';
import { type Tx, writeTransaction } from '../store/transaction';
import { appendChanges } from '../sync/change-log';

/** Teams' and single users' countries, where they differ from the workspace's. */
export interface CalendarAssignments {
  teams: Record<string, CalendarCountry>;
  users: Record<string, CalendarCountry>;
}

export async function readAssignments(db: Tx): Promise<CalendarAssignments> {
  const rows = await db.selectFrom('calendar_assignments').select(['scope', 'scope_id', 'country']).orderBy('scope').orderBy('scope_id').execute();
  const assignments: CalendarAssignments = { teams: {}, users: {} };
  for (const row of rows) {
    const country = CalendarCountry.safeParse(row.country);
    // A country a later version dropped: the scope follows the workspace rather than failing every request.
    if (country.success) assignments[row.scope === 'team' ? 'teams' : 'users'][row.scope_id] = country.data;
  }
  return assignments;
}

/** Sets (or, with null, removes) a team's or user's own calendar country. */
export async function assignCalendar(db: Tx, scope: CalendarScope, id: string, country: CalendarCountry | null, now: string): Promise<void> {
  if (country === null) {
    await db.deleteFrom('calendar_assignments').where('scope', '=', scope).where('scope_id', '=', id).execute();
    return;
  }
  await db
    .insertInto('calendar_assignments')
    .values({ scope, scope_id: id, country, updated_at: now })
    .onConflict((conflict) => conflict.columns(['scope', 'scope_id']).doUpdateSet({ country, updated_at: now }))
    .execute();
}

export async function calendarsView(db: Tx): Promise<CalendarsResponse> {
  const [settings, assignments] = await Promise.all([readPlanCalendar(db), readAssignments(db)]);
  return {
    country: settings.calendarCountry,
    ...assignments,
    companyDaysOff: settings.holidays,
    countries: CalendarCountry.options.map((code) => {
      const { name, source, notIncluded, years } = NATIONAL_CALENDARS[code];
      return { code, name, source, notIncluded, knownYears: Object.keys(years).map(Number) };
    }),
  };
}

/** Adds company days off (kept sorted and distinct in the workspace's plan calendar) or removes one. */
export async function changeCompanyDaysOff(db: Tx, add: readonly string[], remove: readonly string[] = []): Promise<string[]> {
  const current = await readPlanCalendar(db);
  const holidays = [...new Set([...current.holidays, ...add])].filter((day) => !remove.includes(day));
  const result = await updateSettings(db, { holidays });
  if ('problem' in result) throw new Error(result.problem);
  return result.settings.holidays;
}

/**
 * Calendars for one period: the department's (the workspace country) and each user's (their own country, else their
 * team's, else the workspace's), each merged with the company's days off. Built once per country.
 */
export async function periodCalendars(db: Tx, period: Period): Promise<{
  department: { calendar: WorkCalendar; info: PaceCalendar };
  of: (user: { id: string; team: string | null }) => { calendar: WorkCalendar; info: PaceCalendar };
}> {
  const [settings, assignments] = await Promise.all([readPlanCalendar(db), readAssignments(db)]);
  const built = new Map<CalendarCountry | null, { calendar: WorkCalendar; info: PaceCalendar }>();
  const forCountry = (country: CalendarCountry | null) => {
    let known = built.get(country);
    if (!known) {
      const info = workingCalendarInfo(country, settings.holidays, period.start, period.end);
      known = { calendar: toWorkCalendar(info, settings.weekendDays), info: { country, unknownYears: info.unknownYears } };
      built.set(country, known);
    }
    return known;
  };
  const department = forCountry(settings.calendarCountry);
  return {
    department,
    of: (user) => forCountry(assignments.users[user.id] ?? (user.team === null ? undefined : assignments.teams[user.team]) ?? settings.calendarCountry),
  };
}

/**
 * The SLA clock's business calendar with the workspace country's public holidays and transferred working days and
 * the company's days off added to the escalation settings' own holidays.
 */
export async function slaCalendar(db: Tx, calendar: BusinessCalendar): Promise<BusinessCalendar> {
  const settings = await readPlanCalendar(db);
  const info = knownWorkingCalendar(settings.calendarCountry, settings.holidays);
  const holidays = [...new Set([...calendar.holidays, ...info.daysOff])].sort();
  const off = new Set(holidays);
  const workingDays = [...new Set([...calendar.workingDays, ...info.workingWeekendDays])].filter((day) => !off.has(day)).sort();
  return { ...calendar, holidays, workingDays };
}

/**
 * Makes one change to the calendars in a transaction and tells every extension at its next pull, as a settings
 * change does (pace depends on it); answers the calendars as they are now. The API and the CLI both go through here.
 */
export async function changeCalendars(store: Store, now: string, change: (tx: Tx) => Promise<unknown>): Promise<CalendarsResponse> {
  return writeTransaction(store, async (tx) => {
    await change(tx);
    await appendChanges(tx, [{ entity: 'config', entityId: 'workspace', version: 1, ownerId: null }], now);
    return calendarsView(tx);
  });
}
