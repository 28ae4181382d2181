import type { Locale } from '../../core/i18n';
import { fallsDueBy, loadReport, suggestOwner, suggestReassignments } from '../../core/balance';
import type { DealLoadResponse, LoadResponse, ManagerLoadRow, RecordRef, User } from '../../core/schema';
import { dealFromRow } from '../store/deals';
import type { Tx } from '../store/transaction';
import { refusal } from '../refusal/refused';
import { findUserById } from '../store/users';
import { loadAggregates, managerRows, suggestedMoves } from './load-view';
import { activeStatuses, listMoves } from './move-records';
import type { OpenDealsCache } from './open-deals';
import { loadBalanceState } from './state';

/**
 * The full department view for `today`, before any role filtering (see visibleLoad). With the cache, the open
 * deals come from memory brought up to date from the change log, and the suggestions are computed again only
 * when something they depend on changed. `db` must not be inside a transaction when `cache` is given (see
 * OpenDealsCache.current).
 */
export async function departmentLoad(db: Tx, today: string, cache?: OpenDealsCache, locale?: Locale): Promise<LoadResponse> {
  const { state, managers, stored, key } = await loadBalanceState(db, today, { cached: await cache?.current(db), locale });
  const moves = await listMoves(db, { statuses: ['proposed', 'approved', 'dismissed'] });
  const build = (): LoadResponse => {
    const reassignment = cache && key !== null ? cache.remember('reassignment', key, () => suggestReassignments(state)) : suggestReassignments(state);
    const rows = managerRows(reassignment.before, managers);
    const names = new Map(managers.map((m) => [m.id, m.name]));
    return {
      date: today,
      shown: 'everyone',
      managers: rows,
      aggregates: loadAggregates(rows),
      moves: suggestedMoves(reassignment, stored, names, moves),
      uncovered: reassignment.uncovered,
      proposals: moves.filter((m) => activeStatuses.includes(m.status)),
    };
  };
  // The view is a function of the suggestions' inputs and the recorded moves: with neither changed, it is reused.
  return cache && key !== null ? cache.remember('department', `${key}|${JSON.stringify(moves)}`, build) : build();
}

/**
 * The sidebar on one deal page. head/admin see everything; a manager sees the owner's load only when the deal is
 * theirs or is moving to them (their colleagues' loads are not theirs to see), and the suggestion only when the
 * deal is theirs; the pending move of the deal is shown to both managers it concerns.
 */
/** `db` must not be inside a transaction when `cache` is given (see OpenDealsCache.current). */
export async function dealLoad(db: Tx, ref: RecordRef, today: string, caller: User, cache?: OpenDealsCache, locale?: Locale): Promise<DealLoadResponse> {
  const row = await db
    .selectFrom('deals')
    .selectAll()
    .where('crm', '=', ref.crm)
    .where('instance', '=', ref.instance)
    .where('record_type', '=', ref.recordType)
    .where('crm_id', '=', ref.crmId)
    .executeTakeFirst();
  if (!row) throw refusal('unknown_deal', 'recordNotSeen', { crm: ref.crm, recordType: ref.recordType, crmId: ref.crmId });
  const deal = dealFromRow(row);
  const [move = null] = await listMoves(db, { dealId: deal.id, statuses: activeStatuses });
  const ownerUser = deal.ownerId === null ? undefined : await findUserById(db, deal.ownerId);
  // The owner's row needs only the owner's deals; the whole department is read only when a suggestion is due.
  let owner: ManagerLoadRow | null = null;
  if (ownerUser?.role === 'manager') {
    const own = await loadBalanceState(db, today, { onlyManager: ownerUser });
    owner = managerRows(loadReport(own.state), own.managers)[0] ?? null;
  }
  const maySeeSuggestion = caller.role === 'head' || caller.role === 'admin' || (deal.ownerId !== null && deal.ownerId === caller.id);
  const due = owner === null ? deal.ownerId === null : owner.status === 'over' || fallsDueBy(deal.expectedClose, owner.absentUntil);

  let suggestion: DealLoadResponse['suggestion'] = null;
  if (deal.status === 'open' && move === null && due && maySeeSuggestion) {
    const { state, managers, key } = await loadBalanceState(db, today, { cached: await cache?.current(db), locale });
    const reassignment = cache && key !== null ? cache.remember('reassignment', key, () => suggestReassignments(state)) : suggestReassignments(state);
    const planned = reassignment.moves.find((m) => m.dealId === deal.id);
    const names = new Map(managers.map((m) => [m.id, m.name]));
    if (planned) {
      suggestion = {
        ownerId: planned.to,
        name: names.get(planned.to)!,
        reason: planned.reason,
        utilisationBefore: planned.toBefore,
        utilisationAfter: planned.toAfter,
        withinTarget: true,
        why: planned.why,
      };
    } else {
      // Not among the department's moves (nobody has room under the target): still name the least-loaded taker.
      const best = suggestOwner(deal, state);
      if (best && best.ownerId !== deal.ownerId) {
        suggestion = { ...best, name: names.get(best.ownerId)!, why: owner === null ? 'assign' : owner.status === 'absent' ? 'cover' : 'rebalance' };
      }
    }
  }

  if (caller.role === 'head' || caller.role === 'admin') return { date: today, deal: summary(deal), owner, suggestion, move };
  const ownsIt = deal.ownerId === caller.id;
  const receivesIt = move?.to === caller.id;
  return {
    date: today,
    deal: summary(deal),
    owner: ownsIt || receivesIt ? owner : null,
    suggestion: ownsIt ? suggestion : null,
    move: ownsIt || receivesIt ? move : null,
  };
}

function summary(deal: ReturnType<typeof dealFromRow>): DealLoadResponse['deal'] {
  return { id: deal.id, title: deal.title, kind: deal.kind, ownerId: deal.ownerId, status: deal.status };
}
