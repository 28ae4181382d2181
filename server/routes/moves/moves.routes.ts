import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { MoveRecord, MovesResponse } from '../../../core/schema';
import { listMoves } from '../../balance/move-records';
import { approveMoves, decideMove, proposeMove } from '../../balance/moves';
import { openDealsCacheOf } from '../../balance/open-deals';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { requestLocale } from '../../http/errors';
import { jsonBody, optionalJsonBody, paramsOf, queryOf } from '../../http/validate';
import { writeTransaction } from '../../store/transaction';
import { todayOf } from '../load/load.routes';

export const movesRoutes = new Hono<AppEnv>()
  .get(routes.moves.path, guard(routes.moves), queryOf(routes.moves.query), async (c) => {
    const { status } = c.req.valid('query');
    const user = c.var.user;
    const moves = await listMoves(c.var.deps.store.db, {
      ...(status ? { statuses: [status] } : {}),
      ...(user.role === 'manager' ? { touching: user.id } : {}),
    });
    return c.json({ moves } satisfies MovesResponse, 200);
  })
  .post(routes.proposeMove.path, guard(routes.proposeMove), jsonBody(routes.proposeMove.body), async (c) => {
    const { store, clock } = c.var.deps;
    // Refreshed outside the transaction: SQLite has one connection per store, which the transaction holds.
    const cache = openDealsCacheOf(store);
    const cached = { cache, snapshot: await cache.current(store.db) };
    const move = await writeTransaction(store, (tx) => proposeMove(tx, c.req.valid('json'), c.var.user, todayOf(clock), clock.now().toISOString(), cached, requestLocale(c)));
    return c.json(move satisfies MoveRecord, 201);
  })
  .post(routes.approveMoves.path, guard(routes.approveMoves), jsonBody(routes.approveMoves.body), async (c) => {
    const { store, clock } = c.var.deps;
    const cache = openDealsCacheOf(store);
    const cached = { cache, snapshot: await cache.current(store.db) };
    const moves = await writeTransaction(store, (tx) => approveMoves(tx, c.req.valid('json'), c.var.user, todayOf(clock), clock.now().toISOString(), cached, requestLocale(c)));
    return c.json({ moves } satisfies MovesResponse, 200);
  })
  .post(routes.approveMove.path, guard(routes.approveMove), paramsOf(routes.approveMove.params), optionalJsonBody(routes.approveMove.body), async (c) => {
    const { store, clock } = c.var.deps;
    const move = await writeTransaction(store, (tx) =>
      decideMove(tx, c.req.valid('param').id, 'approve', c.var.user, clock.now().toISOString(), c.req.valid('json').version),
    );
    return c.json(move satisfies MoveRecord, 200);
  })
  .post(routes.dismissMove.path, guard(routes.dismissMove), paramsOf(routes.dismissMove.params), optionalJsonBody(routes.dismissMove.body), async (c) => {
    const { store, clock } = c.var.deps;
    const move = await writeTransaction(store, (tx) =>
      decideMove(tx, c.req.valid('param').id, 'dismiss', c.var.user, clock.now().toISOString(), c.req.valid('json').version),
    );
    return c.json(move satisfies MoveRecord, 200);
  });
