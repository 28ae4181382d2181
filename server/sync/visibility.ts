import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Deal, Entity, Note, Plan, Role, User } from '../../core/schema';
import type { ChangeEntry } from './change-log';
import type { Database } from '../store/tables';

// Who may see what (DESIGN.md "Who uses it"). The SQL filter picks the change-log rows a reader is told
// about; the entity checks below decide whether the entity itself travels or only its removal (data null).

type ChangeLogWhere = ExpressionBuilder<Database, 'change_log'>;

/** The change-log columns that decide who is told about a change, as a change entry names them. */
export type ChangeAudience = Pick<ChangeEntry, 'entity' | 'ownerId' | 'previousOwnerId' | 'audienceRole' | 'audienceUserId'>;

type Addressed = 'ownerId' | 'previousOwnerId' | 'audienceUserId';
/** One way a change reaches a reader: always, addressed to them, about nothing anyone owns, or to their role. */
type Reach = 'always' | { mine: Addressed } | 'unowned' | { role: Role };

/**
 * Which changes each narrow role is told about, per entity (head and admin are told about everything). Declared once:
 * pull's SQL filter and the poke channel's in-memory check (who to poke after a commit) are both derived from it.
 */
const reaches: Record<'manager' | 'exec', Partial<Record<Entity, readonly Reach[]>>> = {
  manager: {
    config: ['always'],
    note: [{ mine: 'ownerId' }, { mine: 'previousOwnerId' }],
    deal: [{ mine: 'ownerId' }, 'unowned', { mine: 'previousOwnerId' }],
    plan: [{ mine: 'ownerId' }, 'unowned'],
    escalation: [{ mine: 'ownerId' }, { mine: 'audienceUserId' }, { role: 'manager' }],
    // A move is logged with the giver as owner and the taker as addressed user (server/balance/move-changes.ts).
    move: [{ mine: 'ownerId' }, { mine: 'audienceUserId' }],
  },
  // Escalations addressed to management, or raised by it: the entity check (core canSee) decides.
  exec: { config: ['always'], plan: ['always'], escalation: ['always'] },
};

const columnOf = { ownerId: 'owner_id', previousOwnerId: 'previous_owner_id', audienceUserId: 'audience_user_id' } as const;

/** Who reads: all the change-log filter needs of a user. */
export type Reader = Pick<User, 'id' | 'role'>;

const seesAll = (user: Reader) => user.role === 'head' || user.role === 'admin';

/** null = no filter (head and admin see the whole department). */
export function changeVisibleTo(user: Reader): ((eb: ChangeLogWhere) => Expression<SqlBool>) | null {
  if (seesAll(user)) return null;
  const table = reaches[user.role as 'manager' | 'exec'];
  return (eb: ChangeLogWhere) => {
    const reached = (reach: Reach): Expression<SqlBool> => {
      if (reach === 'always') return eb.lit(true);
      if (reach === 'unowned') return eb('owner_id', 'is', null);
      if ('mine' in reach) return eb(columnOf[reach.mine], '=', user.id);
      return eb('audience_role', '=', reach.role);
    };
    return eb.or(
      Object.entries(table).map(([entity, ways]) =>
        ways.includes('always') ? eb('entity', '=', entity) : eb.and([eb('entity', '=', entity), eb.or(ways.map(reached))]),
      ),
    );
  };
}

/** The same rule as changeVisibleTo, for a change held in memory (whom a commit's poke must reach). */
export function changeReaches(user: User, change: ChangeAudience): boolean {
  if (seesAll(user)) return true;
  const ways = reaches[user.role as 'manager' | 'exec'][change.entity] ?? [];
  return ways.some((reach) => {
    if (reach === 'always') return true;
    if (reach === 'unowned') return change.ownerId === null;
    if ('mine' in reach) return (change[reach.mine] ?? null) === user.id;
    return (change.audienceRole ?? null) === reach.role;
  });
}

export const canSeeNote = (user: User, note: Pick<Note, 'authorId'>) => seesAll(user) || note.authorId === user.id;

export const canSeeDeal = (user: User, deal: Deal) => seesAll(user) || (user.role === 'manager' && (deal.ownerId === user.id || deal.ownerId === null));

export const canSeePlan = (user: User, plan: Plan) =>
  seesAll(user) || user.role === 'exec' || (user.role === 'manager' && (plan.ownerId === user.id || plan.ownerId === null));

