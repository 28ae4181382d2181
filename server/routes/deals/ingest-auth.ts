import { createMiddleware } from 'hono/factory';
import { authenticateToken } from '../../auth/device-tokens';
import type { AppEnv } from '../../http/env';
import { apiError } from '../../http/errors';
import { authenticateService, looksLikeServiceToken } from '../../import/service-tokens';

const bearer = /^Bearer\s+(\S{10,200})$/i;

export type IngestEnv = AppEnv & { Variables: { feeder: string } };

/**
 * Who may feed deals in: a service token (a CRM workflow), or the device of a head of sales or admin. Sets
 * `feeder` to a name for logs and answers. Managers' own deals arrive through page capture, not here.
 */
export const requireFeeder = createMiddleware<IngestEnv>(async (c, next) => {
  const token = bearer.exec(c.req.header('Authorization') ?? '')?.[1];
  const { store, clock } = c.var.deps;
  if (token && looksLikeServiceToken(token)) {
    const service = await authenticateService(store.db, token);
    if (!service) return apiError(c, 401, 'unauthorized', 'This service token is unknown or revoked. Create one with: npm run server -- token service add --name "…"');
    c.set('feeder', `service:${service.name}`);
    return next();
  }
  const device = token ? await authenticateToken(store, token, clock) : null;
  if (!device) return apiError(c, 401, 'unauthorized', 'Send a service token (or a head/admin device token) as Authorization: Bearer <token>.');
  if (device.user.role !== 'head' && device.user.role !== 'admin') {
    return apiError(c, 403, 'forbidden', 'Only head or admin, or a service token, may feed deals in.');
  }
  c.set('user', device.user);
  c.set('tokenId', device.tokenId);
  c.set('feeder', `user:${device.user.id}`);
  return next();
});
