import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';

/** Liveness for load balancers and the options page's "test connection"; no auth, no database. */
export const healthRoutes = new Hono<AppEnv>().get(routes.health.path, guard(routes.health), (c) => c.json({ ok: true as const }));
