import type { MutationArgsOf } from '../../../core/schema';
import { createEscalation as openOrJoin } from '../../escalation/service';
import type { MutationHandler } from './context';

/**
 * The same server function as POST /api/escalations (routing, SLA due, duplicate joining, audit, deliveries).
 */
export const createEscalation: MutationHandler<MutationArgsOf<'escalation.create'>> = async (context, args) =>
  (await openOrJoin(context.tx, context.user, args, context.now)).changes;
