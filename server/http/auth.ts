import { every } from 'hono/combine';
import { createMiddleware } from 'hono/factory';
import { routeKey, type RouteDescriptor } from '../../core/api/route';
import { Role } from '../../core/schema';
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

/** No token asked: the route's own checks (a hook secret, a pairing code) are all there is. */
const open = createMiddleware<AppEnv>(async (_c, next) => {
  await next();
});

/**
 * The guard of a route, read from its descriptor (core/api/routes.ts) so what the server enforces is what the access
 * policy and the API description say: nothing for anonymous routes, a device token, and a role check when not every
 * role may call it. Routes that also take service tokens are guarded by their own middleware (routes/deals/ingest-auth.ts).
 */
export function guard(route: RouteDescriptor) {
  const { access } = route;
  if (access.service) throw new Error(`${routeKey(route)} takes service tokens: guard it with feederGuard (server/routes/deals/ingest-auth.ts)`);
  if (access.anonymous) return open;
  if (access.roles.length === Role.options.length) return requireDevice;
  return every(requireDevice, requireRole(...access.roles));
}
