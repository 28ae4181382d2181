import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { User } from '../../../core/schema';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { refuse } from '../../http/errors';
import { jsonBody } from '../../http/validate';
import { writeTransaction } from '../../store/transaction';
import { setUserLocale } from '../../store/users';

/** Who this device belongs to; the extension shows it and picks the role's views from it. */
export const meRoutes = new Hono<AppEnv>()
  .get(routes.me.path, guard(routes.me), (c) => c.json(c.var.user satisfies User, 200))
  // The caller's own language, for every device of theirs and for what the server writes to them; null = browser's.
  .put(routes.setLocale.path, guard(routes.setLocale), jsonBody(routes.setLocale.body), async (c) => {
    const { locale } = c.req.valid('json');
    const user = await writeTransaction(c.var.deps.store, (tx) => setUserLocale(tx, c.var.user.id, locale));
    if (!user) return refuse(c, 404, 'unknown_user', 'noUser', { id: c.var.user.id });
    return c.json(user satisfies User, 200);
  });
