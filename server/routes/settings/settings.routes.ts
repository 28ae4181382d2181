import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { Settings } from '../../../core/schema';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { refuse } from '../../http/errors';
import { jsonBody } from '../../http/validate';
import { readFullSettings, updateSettings } from '../../plan/settings';
import { writeTransaction } from '../../store/transaction';
import { appendChanges } from '../../sync/change-log';

/** Workspace settings incl. holidays and exchange rates: everyone reads them (progress maths), head/admin change them. */
export const settingsRoutes = new Hono<AppEnv>()
  .get(routes.settings.path, guard(routes.settings), async (c) => {
    const settings = await readFullSettings(c.var.deps.store.db);
    return c.json(settings satisfies Settings, 200);
  })
  .put(routes.updateSettings.path, guard(routes.updateSettings), jsonBody(routes.updateSettings.body), async (c) => {
    const { store, clock } = c.var.deps;
    const patch = c.req.valid('json');
    const result = await writeTransaction(store, async (tx) => {
      const outcome = await updateSettings(tx, patch);
      // Extensions read the settings through /api/config: tell them at their next pull.
      if ('settings' in outcome) {
        await appendChanges(tx, [{ entity: 'config', entityId: 'workspace', version: 1, ownerId: null }], clock.now().toISOString());
      }
      return outcome;
    });
    if ('problem' in result) return refuse(c, 400, 'invalid_settings', 'settingsRefused', { problem: result.problem });
    return c.json(result.settings satisfies Settings, 200);
  });
