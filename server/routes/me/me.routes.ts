import { Hono } from 'hono';
import type { User } from '../../../core/schema';
import { requireDevice } from '../../http/auth';
import type { AppEnv } from '../../http/env';

/** Who this device belongs to; the extension shows it and picks the role's views from it. */
export const meRoutes = new Hono<AppEnv>().get('/api/me', requireDevice, (c) => c.json(c.var.user satisfies User, 200));
