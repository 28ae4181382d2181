import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { ProgressDealsResponse, ProgressResponse } from '../../../core/schema';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { refuse } from '../../http/errors';
import { queryOf } from '../../http/validate';
import { progressDeals } from '../../plan/progress-deals';
import { progressView } from '../../plan/progress-view';

/** "Today" is the server's date: every viewer's expected-by-now is measured on the same day. */
function todayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Plan progress for the department and every manager the caller may see (a manager: their own row and the
 * department's figures; head, exec and admin: everyone), and the deals behind each number.
 */
export const progressRoutes = new Hono<AppEnv>()
  .get(routes.progress.path, guard(routes.progress), queryOf(routes.progress.query), async (c) => {
    const { store, clock } = c.var.deps;
    const view = await progressView(store.db, c.var.user, c.req.valid('query'), todayOf(clock.now()));
    return c.json(view satisfies ProgressResponse, 200);
  })
  .get(routes.progressDeals.path, guard(routes.progressDeals), queryOf(routes.progressDeals.query), async (c) => {
    const { store, clock } = c.var.deps;
    const query = c.req.valid('query');
    const user = c.var.user;
    if (user.role === 'manager' && query.ownerId !== undefined && query.ownerId !== user.id) {
      return refuse(c, 403, 'forbidden', 'ownDealsOnly');
    }
    const ownerId = user.role === 'manager' ? user.id : (query.ownerId ?? null);
    const answer = await progressDeals(store.db, query, ownerId, todayOf(clock.now()));
    return c.json(answer satisfies ProgressDealsResponse, 200);
  });
