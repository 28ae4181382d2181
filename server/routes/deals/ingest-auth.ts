import { createMiddleware } from 'hono/factory';
import { routeKey, type RouteDescriptor } from '../../../core/api/route';
import type { Role } from '../../../core/schema';
import { authenticateToken } from '../../auth/device-tokens';
import type { DealAuthor } from '../../deals/deal-authority';
import type { AppEnv } from '../../http/env';
import { apiError } from '../../http/errors';
import { authenticateService, looksLikeServiceToken } from '../../import/service-tokens';

const bearer = /^Bearer\s+(\S{10,200})$/i;

export type IngestEnv = AppEnv & { Variables: { author: DealAuthor } };

/**
 * Who may write deals through a route: a service token (a CRM workflow), or the device of a user of `roles`. Sets
 * `author`; what that author may change of which deal is upsertDeal's one rule (server/deals/deal-authority.ts).
 */
function dealAuthors(roles: readonly Role[], refusal: string) {
  return createMiddleware<IngestEnv>(async (c, next) => {
    const token = bearer.exec(c.req.header('Authorization') ?? '')?.[1];
    const { store, clock } = c.var.deps;
    if (token && looksLikeServiceToken(token)) {
      const service = await authenticateService(store.db, token);
      if (!service) return apiError(c, 401, 'unauthorized', 'This service token is unknown or revoked. Create one with: npm run server -- token service add --name "…"');
      c.set('author', { feed: `service token "${service.name}"` });
      return next();
    }
    const device = token ? await authenticateToken(store, token, clock) : null;
    if (!device) return apiError(c, 401, 'unauthorized', `Send a service token (or the device token of ${roles.join(', ')}) as Authorization: Bearer <token>.`);
    if (!roles.includes(device.user.role)) return apiError(c, 403, 'forbidden', refusal);
    c.set('user', device.user);
    c.set('tokenId', device.tokenId);
    c.set('author', { user: device.user });
    return next();
  });
}

/**
 * Deals fed in through a route (CSV import, PUT /api/deals): a service token, or a device of the roles the route's
 * descriptor names (core/api/routes.ts: head and admin). A manager's or exec's page capture may change no more
 * (server/deals/deal-authority.ts).
 */
export function feederGuard(route: RouteDescriptor) {
  const { roles, service } = route.access;
  if (!service) throw new Error(`${routeKey(route)} takes no service token: guard it with guard (server/http/auth.ts)`);
  return dealAuthors(roles, `Only ${roles.join(' or ')}, or a service token, may feed deals in.`);
}
