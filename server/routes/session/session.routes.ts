import { Hono } from 'hono';
import { revokeToken } from '../../auth/device-tokens';
import { requireDevice } from '../../http/auth';
import type { AppEnv } from '../../http/env';

/** The options page's Disconnect: the calling device's token stops working at once. */
export const sessionRoutes = new Hono<AppEnv>().delete('/api/session', requireDevice, async (c) => {
  const { store, clock } = c.var.deps;
  await revokeToken(store.db, c.var.tokenId, clock);
  return c.body(null, 204);
});
