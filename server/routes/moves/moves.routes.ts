import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { MoveDecision, MoveParams, MoveProposal, type MoveRecord, MovesQuery, type MovesResponse } from '../../../core/schema';
import { listMoves } from '../../balance/move-records';
import { decideMove, MoveRefused, proposeMove } from '../../balance/moves';
import { settleMovesSeenDone } from '../../balance/settle-moves';
import { requireDevice, requireRole } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { apiError } from '../../http/errors';
import { jsonBody, paramsOf, queryOf } from '../../http/validate';
import { writeTransaction } from '../../store/transaction';
import { todayOf } from '../load/load.routes';

/** Approve and dismiss need no body; when one is sent it must be a MoveDecision. */
const decisionBody = validator('json', async (_value, c) => {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      return apiError(c, 400, 'malformed_json', 'The body is not JSON; send nothing or {"version": n}.');
    }
  }
  const result = MoveDecision.safeParse(value);
  if (!result.success) return apiError(c, 400, 'invalid_body', 'The request body is not valid.', { issues: result.error.issues });
  return result.data;
});

function refused(c: Parameters<typeof apiError>[0], error: unknown) {
  if (error instanceof MoveRefused) return apiError(c, error.status, error.code, error.message);
  throw error;
}

export const movesRoutes = new Hono<AppEnv>()
  .get('/api/moves', requireDevice, requireRole('head', 'admin', 'manager'), queryOf(MovesQuery), async (c) => {
    const { status } = c.req.valid('query');
    const user = c.var.user;
    await settleMovesSeenDone(c.var.deps.store, c.var.deps.clock.now().toISOString());
    const moves = await listMoves(c.var.deps.store.db, {
      ...(status ? { statuses: [status] } : {}),
      ...(user.role === 'manager' ? { touching: user.id } : {}),
    });
    return c.json({ moves } satisfies MovesResponse, 200);
  })
  .post('/api/moves', requireDevice, requireRole('head', 'admin'), jsonBody(MoveProposal), async (c) => {
    const { store, clock } = c.var.deps;
    try {
      const move = await writeTransaction(store, (tx) => proposeMove(tx, c.req.valid('json'), c.var.user, todayOf(clock), clock.now().toISOString()));
      return c.json(move satisfies MoveRecord, 201);
    } catch (error) {
      return refused(c, error);
    }
  })
  .post('/api/moves/:id/approve', requireDevice, requireRole('head', 'admin'), paramsOf(MoveParams), decisionBody, async (c) => {
    const { store, clock } = c.var.deps;
    try {
      await settleMovesSeenDone(store, clock.now().toISOString());
      const move = await writeTransaction(store, (tx) =>
        decideMove(tx, c.req.valid('param').id, 'approve', c.var.user, clock.now().toISOString(), c.req.valid('json').version),
      );
      return c.json(move satisfies MoveRecord, 200);
    } catch (error) {
      return refused(c, error);
    }
  })
  .post('/api/moves/:id/dismiss', requireDevice, requireRole('head', 'admin'), paramsOf(MoveParams), decisionBody, async (c) => {
    const { store, clock } = c.var.deps;
    try {
      await settleMovesSeenDone(store, clock.now().toISOString());
      const move = await writeTransaction(store, (tx) =>
        decideMove(tx, c.req.valid('param').id, 'dismiss', c.var.user, clock.now().toISOString(), c.req.valid('json').version),
      );
      return c.json(move satisfies MoveRecord, 200);
    } catch (error) {
      return refused(c, error);
    }
  });
