import { Hono } from 'hono';
import type { AppEnv } from '../../http/env';

/** Liveness for load balancers and the options page's "test connection"; no auth, no database. */
export const healthRoutes = new Hono<AppEnv>().get('/healthz', (c) => c.json({ ok: true as const }));
