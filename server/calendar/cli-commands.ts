import { CalendarCountry, IsoDate } from '../../core/schema';
import type { CommandLine } from '../cli/arguments';
import { required, takePositionals } from '../cli/arguments';
import { CommandFailed, UsageError } from '../cli/usage';
import type { Clock } from '../clock';
import { updateSettings } from '../plan/settings';
import type { Store } from '../store/store';
import { findUserByEmail } from '../store/users';
import { assignCalendar, calendarsView, changeCalendars, changeCompanyDaysOff } from './calendars';

/*
 * The admin's side of working calendars, the same changes as /api/calendars and PUT /api/settings calendarCountry:
 *   days-off add <date>…  |  days-off remove <date>  |  calendar set --country <RU|DE|GB|US|none> [--team t | --email e]
 */

function dates(words: string[]): string[] {
  const bad = words.filter((word) => !IsoDate.safeParse(word).success);
  if (bad.length > 0) throw new UsageError(`not a date (YYYY-MM-DD): ${bad.join(', ')}`);
  return words;
}

function daysOffText(days: readonly string[]): string {
  return days.length === 0 ? 'No company days off.' : `Company days off: ${days.join(', ')}.`;
}

async function daysOffAdd(line: CommandLine, store: Store, clock: Clock) {
  const days = dates(line.words.slice(2));
  if (days.length === 0) throw new UsageError('give the days: days-off add <YYYY-MM-DD>…');
  const view = await changeCalendars(store, clock.now().toISOString(), (tx) => changeCompanyDaysOff(tx, days));
  return { json: { companyDaysOff: view.companyDaysOff }, text: daysOffText(view.companyDaysOff) };
}

async function daysOffRemove(line: CommandLine, store: Store, clock: Clock) {
  const [day = ''] = dates(takePositionals(line.words, 2, 1, 'the day: days-off remove <YYYY-MM-DD>'));
  if (!(await calendarsView(store.db)).companyDaysOff.includes(day)) throw new CommandFailed(`${day} is not a company day off.`);
  const view = await changeCalendars(store, clock.now().toISOString(), (tx) => changeCompanyDaysOff(tx, [], [day]));
  return { json: { companyDaysOff: view.companyDaysOff }, text: daysOffText(view.companyDaysOff) };
}

async function calendarSet(line: CommandLine, store: Store, clock: Clock) {
  takePositionals(line.words, 2, 0, 'calendar set --country <RU|DE|GB|US|none> [--team <team> | --email <email>]');
  const given = required(line.options.country, '--country');
  const parsed = CalendarCountry.safeParse(given.toUpperCase());
  if (given !== 'none' && !parsed.success) throw new UsageError(`--country must be one of ${CalendarCountry.options.join(', ')} or none, not ${given}`);
  const country = given === 'none' ? null : parsed.data!;
  const { team, email } = line.options;
  if (team !== undefined && email !== undefined) throw new UsageError('give --team or --email, not both');
  let scope: { kind: 'team' | 'user'; id: string; label: string } | null = null;
  if (team !== undefined) {
    if (!(await store.db.selectFrom('users').select('id').where('team', '=', team).executeTakeFirst())) throw new CommandFailed(`No user is in the team "${team}".`);
    scope = { kind: 'team', id: team, label: `Team ${team}` };
  } else if (email !== undefined) {
    const user = await findUserByEmail(store.db, email);
    if (!user) throw new CommandFailed(`No user has the e-mail ${email}.`);
    scope = { kind: 'user', id: user.id, label: user.name };
  }
  const now = clock.now().toISOString();
  const view = await changeCalendars(store, now, (tx) => (scope ? assignCalendar(tx, scope.kind, scope.id, country, now) : updateSettings(tx, { calendarCountry: country })));
  const follows = scope?.kind === 'user' ? 'their team’s or the workspace’s' : 'the workspace’s';
  const text = `${scope?.label ?? 'The workspace'} ${country === null ? (scope ? `now follows ${follows} calendar` : 'counts weekends only') : `counts working days on ${country}’s calendar`}.`;
  return { json: { ...view }, text };
}

export const calendarCommands = { 'days-off add': daysOffAdd, 'days-off remove': daysOffRemove, 'calendar set': calendarSet };
