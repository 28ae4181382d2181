import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Deal, Note, Plan, User } from '../../core/schema';
import type { Database } from '../store/tables';

// Who may see what (DESIGN.md "Who uses it"). The SQL filter picks the change-log rows a reader is told
// about; the entity checks below decide whether the entity itself travels or only its removal (data null).

type ChangeLogWhere = ExpressionBuilder<Database, 'change_log'>;

/** null = no filter (head and admin see the whole department). */
export function changeVisibleTo(user: User): ((eb: ChangeLogWhere) => Expression<SqlBool>) | null {
  if (user.role === 'head' || user.role === 'admin') return null;
  return (eb: ChangeLogWhere) => {
    const mine = (column: 'owner_id' | 'previous_owner_id' | 'audience_user_id') => eb(column, '=', user.id);
    if (user.role === 'manager') {
      return eb.or([
        eb('entity', '=', 'config'),
        eb.and([eb('entity', '=', 'note'), eb.or([mine('owner_id'), mine('previous_owner_id')])]),
        eb.and([eb('entity', '=', 'deal'), eb.or([mine('owner_id'), eb('owner_id', 'is', null), mine('previous_owner_id')])]),
        eb.and([eb('entity', '=', 'plan'), eb.or([mine('owner_id'), eb('owner_id', 'is', null)])]),
        eb.and([eb('entity', '=', 'escalation'), eb.or([mine('owner_id'), mine('audience_user_id'), eb('audience_role', '=', 'manager')])]),
        // A move is logged with the giver as owner and the taker as addressed user (server/balance/move-changes.ts).
        eb.and([eb('entity', '=', 'move'), eb.or([mine('owner_id'), mine('audience_user_id')])]),
      ]);
    }
    return eb.or([
      eb('entity', '=', 'config'),
      eb('entity', '=', 'plan'),
      // Escalations addressed to management, or raised by it: the entity check (core canSee) decides.
      eb('entity', '=', 'escalation'),
    ]);
  };
}

const seesAll = (user: User) => user.role === 'head' || user.role === 'admin';

export const canSeeNote = (user: User, note: Pick<Note, 'authorId'>) => seesAll(user) || note.authorId === user.id;

export const canSeeDeal = (user: User, deal: Deal) => seesAll(user) || (user.role === 'manager' && (deal.ownerId === user.id || deal.ownerId === null));

export const canSeePlan = (user: User, plan: Plan) =>
  seesAll(user) || user.role === 'exec' || (user.role === 'manager' && (plan.ownerId === user.id || plan.ownerId === null));

