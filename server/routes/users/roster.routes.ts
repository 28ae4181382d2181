import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { User } from '../../../core/schema';
import { updateRoster } from '../../balance/roster';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { refuse } from '../../http/errors';
import { jsonBody, paramsOf } from '../../http/validate';
import { writeTransaction } from '../../store/transaction';

/** The head edits what load balancing reads of each person; name, e-mail and role stay with the CLI. */
export const rosterRoutes = new Hono<AppEnv>().put(
  routes.updateUser.path,
  guard(routes.updateUser),
  paramsOf(routes.updateUser.params),
  jsonBody(routes.updateUser.body),
  async (c) => {
    const { id } = c.req.valid('param');
    const user = await writeTransaction(c.var.deps.store, (tx) => updateRoster(tx, id, c.req.valid('json')));
    if (!user) return refuse(c, 404, 'unknown_user', 'noUser', { id });
    return c.json(user satisfies User, 200);
  },
);
