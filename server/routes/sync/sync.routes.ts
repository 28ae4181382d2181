import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { PushResponse } from '../../../core/schema';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { apiError, requestLocale } from '../../http/errors';
import { jsonBody, queryOf } from '../../http/validate';
import { pullAnswer } from '../../sync/pull';
import { MutationGap, pushMutations } from '../../sync/push';

// Push lets NUL through the envelope: a mutation's args are judged one by one (see sync/push.ts).

/** The outbox's way in and the change log's way out (DESIGN.md "Sync protocol"). */
export const syncRoutes = new Hono<AppEnv>()
  .post(routes.push.path, guard(routes.push), jsonBody(routes.push.body, { allowNul: true }), async (c) => {
    const request = c.req.valid('json');
    const ids = request.mutations.map((m) => m.mutationId);
    if (ids.some((id, index) => index > 0 && id <= (ids[index - 1] ?? 0))) {
      return apiError(c, 400, 'invalid_body', 'Mutation ids in a batch must be strictly increasing.');
    }
    const { store, clock } = c.var.deps;
    try {
      const response = await pushMutations(store, c.var.user, request, clock, requestLocale(c));
      return c.json(response satisfies PushResponse, 200);
    } catch (error) {
      // The client resends from `expected`; any other refusal (a foreign client id) is answered by app.ts.
      if (error instanceof MutationGap) return apiError(c, error.status, error.code, error.render(requestLocale(c)), { expected: error.expected });
      throw error;
    }
  })
  .get(routes.pull.path, guard(routes.pull), queryOf(routes.pull.query), async (c) => {
    // Already encoded (a PullResponse): most answers come from memory as they were sent before (sync/page-cache.ts).
    const answer = await pullAnswer(c.var.deps.store, c.var.user, c.req.valid('query'));
    return c.body(answer, 200, { 'content-type': 'application/json' });
  });
