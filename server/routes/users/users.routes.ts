import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { User } from '../../../core/schema';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { listUsers } from '../../store/users';

/** The department roster (capacities, segments, absences) that plan and load views need; head and admin only. */
export const usersRoutes = new Hono<AppEnv>().get(routes.users.path, guard(routes.users), async (c) => {
  const users = await listUsers(c.var.deps.store.db);
  return c.json({ users: users satisfies User[] }, 200);
});
