import { MoveRecord, type MoveStatus } from '../../core/schema';
import type { Tx } from '../store/transaction';

/** Moves with what the dashboard shows beside them: the deal's title and CRM address, both managers' names. */
function selectMoves(db: Tx) {
  return db
    .selectFrom('moves')
    .innerJoin('deals', 'deals.id', 'moves.deal_id')
    .innerJoin('users as giver', 'giver.id', 'moves.from_id')
    .innerJoin('users as taker', 'taker.id', 'moves.to_id')
    .selectAll('moves')
    .select([
      'deals.title as deal_title',
      'deals.crm as deal_crm',
      'deals.instance as deal_instance',
      'deals.crm_id as deal_crm_id',
      'deals.record_type as deal_record_type',
      'deals.url as deal_url',
      'giver.name as from_name',
      'taker.name as to_name',
    ]);
}

type MoveRow = Awaited<ReturnType<ReturnType<typeof selectMoves>['execute']>>[number];

function moveFromRow(row: MoveRow): MoveRecord {
  return MoveRecord.parse({
    id: row.id,
    dealId: row.deal_id,
    dealTitle: row.deal_title,
    deal: { crm: row.deal_crm, instance: row.deal_instance, crmId: row.deal_crm_id, recordType: row.deal_record_type, url: row.deal_url },
    from: row.from_id,
    fromName: row.from_name,
    to: row.to_id,
    toName: row.to_name,
    why: row.why,
    reason: row.reason,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    doneAt: row.done_at,
    updatedAt: row.updated_at,
    version: row.version,
  });
}

export interface MoveFilter {
  statuses?: readonly MoveStatus[];
  /** Only moves from or to this manager. */
  touching?: string;
  dealId?: string;
}

/** Newest first. */
export async function listMoves(db: Tx, filter: MoveFilter = {}): Promise<MoveRecord[]> {
  let query = selectMoves(db);
  if (filter.statuses) query = query.where('moves.status', 'in', [...filter.statuses]);
  if (filter.dealId !== undefined) query = query.where('moves.deal_id', '=', filter.dealId);
  const touching = filter.touching;
  if (touching !== undefined) query = query.where((eb) => eb.or([eb('moves.from_id', '=', touching), eb('moves.to_id', '=', touching)]));
  const rows = await query.orderBy('moves.created_at', 'desc').orderBy('moves.id').execute();
  return rows.map(moveFromRow);
}

/** The move as pull and the routes return it; also what server/sync can send for a `move` change. */
export async function findMove(db: Tx, id: string): Promise<MoveRecord | undefined> {
  const row = await selectMoves(db).where('moves.id', '=', id).executeTakeFirst();
  return row && moveFromRow(row);
}

export const activeStatuses: readonly MoveStatus[] = ['proposed', 'approved'];

/** head/admin see every move; a manager the moves that take a deal from them or give one to them. */
export function canSeeMove(user: { id: string; role: string }, move: Pick<MoveRecord, 'from' | 'to'>): boolean {
  return user.role === 'head' || user.role === 'admin' || (user.role === 'manager' && (move.from === user.id || move.to === user.id));
}
