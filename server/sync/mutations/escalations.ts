import type { MutationArgsOf } from '../../../core/schema';
import { createEscalation as openOrJoin, EscalationRefused } from '../../escalation/service';
import { MutationRejected, type FailureCode, type MutationHandler } from './context';

const FAILURE: Record<EscalationRefused['status'], FailureCode> = { 400: 'invalid', 403: 'forbidden', 404: 'not-found', 409: 'conflict' };

/**
 * The same server function as POST /api/escalations (routing, SLA due, duplicate joining, audit, deliveries).
 */
export const createEscalation: MutationHandler<MutationArgsOf<'escalation.create'>> = async (context, args) => {
  try {
    return (await openOrJoin(context.tx, context.user, args, context.now)).changes;
  } catch (error) {
    if (error instanceof EscalationRefused) throw new MutationRejected(FAILURE[error.status], error.message);
    throw error;
  }
};
