import { Hono } from 'hono';
import type { User } from '../../../core/schema';
import { requireDevice, requireRole } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { listUsers } from '../../store/users';

/** The department roster (capacities, segments, absences) that plan and load views need; head and admin only. */
export const usersRoutes = new Hono<AppEnv>().get('/api/users', requireDevice, requireRole('head', 'admin'), async (c) => {
  const users = await listUsers(c.var.deps.store.db);
  return c.json({ users: users satisfies User[] }, 200);
});
