import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import { revokeToken } from '../../auth/device-tokens';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';

/** The options page's Disconnect: the calling device's token stops working at once. */
export const sessionRoutes = new Hono<AppEnv>().delete(routes.revokeSession.path, guard(routes.revokeSession), async (c) => {
  const { store, clock } = c.var.deps;
  await revokeToken(store.db, c.var.tokenId, clock);
  return c.body(null, 204);
});
