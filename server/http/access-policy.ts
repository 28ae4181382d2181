import type { RouteAccess } from '../../core/api/route';
import { routeKey } from '../../core/api/route';
import { routeList } from '../../core/api/routes';

/**
 * Who may call each route, read from the route descriptors (core/api/routes.ts): the truth that
 * test/server/security/access-matrix.test.ts holds the guards (server/http/guard.ts, derived from the same
 * descriptors) to by calling every route as every role.
 *
 * Keys are `METHOD /path/:param` exactly as Hono registers the route.
 */
export type AccessRule = RouteAccess;

export const accessPolicy: Readonly<Record<string, AccessRule>> = Object.fromEntries(routeList.map((route) => [routeKey(route), route.access]));
