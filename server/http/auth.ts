import { createMiddleware } from 'hono/factory';
import type { Role } from '../../core/schema';
import { authenticateToken } from '../auth/device-tokens';
import type { AppEnv } from './env';
import { httpText, refuse, rolesText } from './errors';

const bearer = /^Bearer\s+(\S{10,200})$/i;

/** Resolves `Authorization: Bearer <device token>` to the user; a missing, unknown or revoked token is a 401. */
export const requireDevice = createMiddleware<AppEnv>(async (c, next) => {
  const match = bearer.exec(c.req.header('Authorization') ?? '');
  const { store, clock } = c.var.deps;
  const device = match?.[1] ? await authenticateToken(store, match[1], clock) : null;
  if (!device) {
    return refuse(c, 401, 'unauthorized', 'notPaired');
  }
  c.set('user', device.user);
  c.set('tokenId', device.tokenId);
  await next();
});

/** Role guard; the server decides what a role may do, never the UI. */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.var.user.role)) {
      return refuse(c, 403, 'forbidden', 'onlyRoles', { roles: rolesText(httpText(c), roles) });
    }
    await next();
  });
}
