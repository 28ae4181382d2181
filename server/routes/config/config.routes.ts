import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { ConfigResponse } from '../../../core/schema';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { readConfig } from '../../store/workspace';

/** CRM instances, switched-off adapters and workspace settings every extension picks up. */
export const configRoutes = new Hono<AppEnv>().get(routes.config.path, guard(routes.config), async (c) => {
  const config = await readConfig(c.var.deps.store.db);
  return c.json(config satisfies ConfigResponse, 200);
});
