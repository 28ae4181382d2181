import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import { BalanceSettings, type DealLoadResponse, type LoadResponse } from '../../../core/schema';
import { departmentLoad, dealLoad } from '../../balance/load-report';
import { visibleLoad } from '../../balance/load-view';
import { openDealsCacheOf } from '../../balance/open-deals';
import { readBalanceSettings, updateBalanceSettings } from '../../balance/settings';
import type { Clock } from '../../clock';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { refuse, requestLocale } from '../../http/errors';
import { jsonBody, paramsOf, queryOf } from '../../http/validate';
import { writeTransaction } from '../../store/transaction';
import { foreignTenant, isWorkspaceTenant } from '../../store/workspace';

/** "Today" is the server clock's UTC date: absences are whole days and every process must agree on them. */
export function todayOf(clock: Clock): string {
  return clock.now().toISOString().slice(0, 10);
}

export const loadRoutes = new Hono<AppEnv>()
  .get(routes.loadSettings.path, guard(routes.loadSettings), async (c) => {
    const settings = await readBalanceSettings(c.var.deps.store.db);
    return c.json(settings satisfies BalanceSettings, 200);
  })
  .put(routes.updateLoadSettings.path, guard(routes.updateLoadSettings), jsonBody(routes.updateLoadSettings.body), async (c) => {
    const result = await writeTransaction(c.var.deps.store, (tx) => updateBalanceSettings(tx, c.req.valid('json')));
    if ('problem' in result) return refuse(c, 400, 'invalid_settings', 'loadSettingsRefused', { problem: result.problem });
    return c.json(result.settings satisfies BalanceSettings, 200);
  })
  .get(routes.load.path, guard(routes.load), queryOf(routes.load.query), async (c) => {
    const { store, clock } = c.var.deps;
    const full = await departmentLoad(store.db, c.req.valid('query').date ?? todayOf(clock), openDealsCacheOf(store), requestLocale(c));
    return c.json(visibleLoad(full, c.var.user) satisfies LoadResponse, 200);
  })
  .get(
    routes.dealLoad.path,
    guard(routes.dealLoad),
    paramsOf(routes.dealLoad.params),
    queryOf(routes.dealLoad.query),
    async (c) => {
      const { store, clock } = c.var.deps;
      const { instance, date } = c.req.valid('query');
      const record = { ...c.req.valid('param'), instance };
      if (!(await isWorkspaceTenant(store.db, record))) throw foreignTenant(record);
      const view = await dealLoad(store.db, record, date ?? todayOf(clock), c.var.user, openDealsCacheOf(store), requestLocale(c));
      return c.json(view satisfies DealLoadResponse, 200);
    },
  );
