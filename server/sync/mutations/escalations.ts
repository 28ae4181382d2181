import type { MutationArgsOf } from '../../../core/schema';
import { writeJson } from '../../store/json-column';
import { MutationRejected, type MutationHandler } from './context';

/** A new escalation starts open with an empty thread; SLA due dates come with the escalation workflow. */
export const createEscalation: MutationHandler<MutationArgsOf<'escalation.create'>> = async (context, args) => {
  const { tx, user } = context;
  const existing = await tx.selectFrom('escalations').select('from_id').where('id', '=', args.id).executeTakeFirst();
  if (existing) {
    if (existing.from_id === user.id) return [];
    throw new MutationRejected('conflict', 'Another escalation already has this id.');
  }
  const toUserId = 'userId' in args.to ? args.to.userId : null;
  const toRole = 'role' in args.to ? args.to.role : null;
  if (toUserId) {
    const recipient = await tx.selectFrom('users').select('id').where('id', '=', toUserId).executeTakeFirst();
    if (!recipient) throw new MutationRejected('not-found', 'The person this escalation is addressed to does not exist.');
  }
  await tx
    .insertInto('escalations')
    .values({
      id: args.id,
      from_id: user.id,
      to_role: toRole,
      to_user_id: toUserId,
      category: args.category,
      severity: args.severity,
      title: args.title,
      body: args.body,
      crm: args.record?.crm ?? null,
      crm_id: args.record?.crmId ?? null,
      record_type: args.record?.recordType ?? null,
      context: writeJson(args.context),
      status: 'open',
      sla_due: null,
      decision: null,
      comments: '[]',
      created_at: context.now,
      updated_at: context.now,
      version: 1,
    })
    .execute();
  return [{ entity: 'escalation', entityId: args.id, version: 1, ownerId: user.id, audienceRole: toRole, audienceUserId: toUserId }];
};
