import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { CalendarsResponse } from '../../../core/schema';
import { assignCalendar, calendarsView, changeCalendars, changeCompanyDaysOff } from '../../calendar/calendars';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { refuse } from '../../http/errors';
import { jsonBody, paramsOf } from '../../http/validate';
import { findUserById } from '../../store/users';

/*
 * Working calendars (issue 17 §2): the workspace's country is a setting (PUT /api/settings calendarCountry); here a
 * team or a single user gets another country, and the admin adds or removes company days off (see changeCalendars).
 */
export const calendarsRoutes = new Hono<AppEnv>()
  .get(routes.calendars.path, guard(routes.calendars), async (c) => c.json((await calendarsView(c.var.deps.store.db)) satisfies CalendarsResponse, 200))
  .put(routes.setTeamCalendar.path, guard(routes.setTeamCalendar), paramsOf(routes.setTeamCalendar.params), jsonBody(routes.setTeamCalendar.body), async (c) => {
    const { store, clock } = c.var.deps;
    const { team } = c.req.valid('param');
    const known = await store.db.selectFrom('users').select('id').where('team', '=', team).executeTakeFirst();
    if (!known) return refuse(c, 404, 'unknown_team', 'noTeam', { team });
    const now = clock.now().toISOString();
    const view = await changeCalendars(store, now, (tx) => assignCalendar(tx, 'team', team, c.req.valid('json').country, now));
    return c.json(view satisfies CalendarsResponse, 200);
  })
  .put(routes.setUserCalendar.path, guard(routes.setUserCalendar), paramsOf(routes.setUserCalendar.params), jsonBody(routes.setUserCalendar.body), async (c) => {
    const { store, clock } = c.var.deps;
    const { id } = c.req.valid('param');
    if (!(await findUserById(store.db, id))) return refuse(c, 404, 'unknown_user', 'noUser', { id });
    const now = clock.now().toISOString();
    const view = await changeCalendars(store, now, (tx) => assignCalendar(tx, 'user', id, c.req.valid('json').country, now));
    return c.json(view satisfies CalendarsResponse, 200);
  })
  .post(routes.addDaysOff.path, guard(routes.addDaysOff), jsonBody(routes.addDaysOff.body), async (c) => {
    const { store, clock } = c.var.deps;
    const view = await changeCalendars(store, clock.now().toISOString(), (tx) => changeCompanyDaysOff(tx, c.req.valid('json').days));
    return c.json(view satisfies CalendarsResponse, 200);
  })
  .delete(routes.removeDayOff.path, guard(routes.removeDayOff), paramsOf(routes.removeDayOff.params), async (c) => {
    const { store, clock } = c.var.deps;
    const { day } = c.req.valid('param');
    if (!(await calendarsView(store.db)).companyDaysOff.includes(day)) return refuse(c, 404, 'unknown_day_off', 'noDayOff', { day });
    const view = await changeCalendars(store, clock.now().toISOString(), (tx) => changeCompanyDaysOff(tx, [], [day]));
    return c.json(view satisfies CalendarsResponse, 200);
  });
