import { randomUUID } from 'node:crypto';
import { segmentKey, servedKeys, suggestReassignments } from '../../core/balance';
import { reasonMessages } from '../../core/balance/i18n';
import { said, translator, type Locale } from '../../core/i18n';
import type { DealStatus, MoveProposal, MoveRecord, MovesApproval, User } from '../../core/schema';
import { refusalMessages } from '../refusal/i18n';
import { refusal, Refused } from '../refusal/refused';
import { dealFromRow } from '../store/deals';
import type { Tx } from '../store/transaction';
import { findUserById } from '../store/users';
import { appendChanges } from '../sync/change-log';
import { findMove, listMoves } from './move-records';
import { moveChange } from './move-changes';
import type { OpenDealsCache, OpenDealsSnapshot } from './open-deals';
import { loadBalanceState } from './state';

const dealStatus = (status: DealStatus) => said(refusalMessages, `dealStatus.${status}`);

function absentOn(user: User, today: string): boolean {
  return user.absences.some((a) => a.from <= today && today <= a.to);
}

function isUniqueViolation(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
}

/**
 * Proposes moving an open deal from its owner to another manager who is present and serves its segment. The
 * reason is the caller's, else the matching suggestion's, else a sentence with both managers' utilisation.
 */
export async function proposeMove(
  tx: Tx,
  proposal: MoveProposal,
  by: User,
  today: string,
  now: string,
  cached?: { cache: OpenDealsCache; snapshot: OpenDealsSnapshot },
  locale: Locale = 'en',
): Promise<MoveRecord> {
  const row = await tx.selectFrom('deals').selectAll().where('id', '=', proposal.dealId).executeTakeFirst();
  if (!row) throw refusal('unknown_deal', 'noDeal', { id: proposal.dealId });
  const deal = dealFromRow(row);
  if (deal.status !== 'open') throw refusal('deal_closed', 'dealClosed', { title: deal.title, status: dealStatus(deal.status) });
  if (deal.ownerId === null) throw refusal('deal_unowned', 'dealUnowned', { title: deal.title });
  if (deal.ownerId === proposal.to) throw refusal('same_owner', 'sameOwner', { title: deal.title });
  const target = await findUserById(tx, proposal.to);
  if (!target || target.role !== 'manager') throw refusal('not_a_manager', 'notAManager', { id: proposal.to });
  if (absentOn(target, today)) throw refusal('target_absent', 'targetAbsent', { name: target.name, day: today });
  if (!servedKeys(target).includes(segmentKey(deal.segment))) {
    throw deal.segment === null
      ? refusal('segment_not_served', 'noSegmentNotServed', { name: target.name })
      : refusal('segment_not_served', 'segmentNotServed', { name: target.name, segment: deal.segment });
  }
  const [active] = await listMoves(tx, { dealId: deal.id, statuses: ['proposed', 'approved'] });
  if (active) throw refusal('move_pending', 'moveActive', { title: deal.title, status: said(refusalMessages, `moveStatus.${active.status}`), name: active.toName });

  // The suggestion only lends the move its reason: open deals read just before this transaction are good enough.
  const { state, managers, key } = await loadBalanceState(tx, today, { cached: cached?.snapshot, locale });
  const reassignment = cached && key !== null ? cached.cache.remember('reassignment', key, () => suggestReassignments(state)) : suggestReassignments(state);
  const suggested = reassignment.moves.find((m) => m.dealId === deal.id && m.to === target.id);
  const t = translator(reasonMessages, locale);
  const fromName = managers.find((m) => m.id === deal.ownerId)?.name ?? (await findUserById(tx, deal.ownerId))?.name ?? t('theOwner');
  const decided = proposal.decide === undefined ? null : { status: proposal.decide === 'approve' ? 'approved' : 'dismissed', by: by.id, at: now };
  const move = {
    id: randomUUID(),
    deal_id: deal.id,
    from_id: deal.ownerId,
    to_id: target.id,
    why: suggested?.why ?? 'manual',
    reason: proposal.reason ?? suggested?.reason ?? t('manualMove', { by: by.name, from: fromName, to: target.name }),
    status: decided?.status ?? 'proposed',
    created_by: by.id,
    created_at: now,
    decided_by: decided?.by ?? null,
    decided_at: decided?.at ?? null,
    done_at: null,
    updated_at: now,
    version: 1,
  };
  try {
    await tx.insertInto('moves').values(move).execute();
  } catch (error) {
    // Two heads proposing at once: the partial unique index lets one through.
    if (isUniqueViolation(error)) throw refusal('move_pending', 'movePending', { title: deal.title });
    throw error;
  }
  await appendChanges(tx, [moveChange(move)], now);
  return (await findMove(tx, move.id))!;
}

const allowed: Record<'approve' | 'dismiss', readonly string[]> = {
  approve: ['proposed'],
  // Dismissing an approved move withdraws it while the CRM still shows the old owner.
  dismiss: ['proposed', 'approved'],
};

/** Approves or dismisses a move; a stale version or a move already decided/done is refused with the reason. */
export async function decideMove(tx: Tx, id: string, decision: 'approve' | 'dismiss', by: User, now: string, version?: number): Promise<MoveRecord> {
  const move = await findMove(tx, id);
  if (!move) throw refusal('unknown_move', 'noMove', { id });
  if (version !== undefined && version !== move.version) {
    throw refusal('stale_version', 'moveStale', { current: move.version, sent: version });
  }
  if (!allowed[decision].includes(move.status)) {
    throw refusal('invalid_transition', decision === 'approve' ? 'moveNotApprovable' : 'moveNotDismissable', { status: said(refusalMessages, `moveStatus.${move.status}`) });
  }
  if (decision === 'approve') {
    const deal = await tx.selectFrom('deals').select(['status', 'owner_id']).where('id', '=', move.dealId).executeTakeFirstOrThrow();
    if (deal.status !== 'open') throw refusal('deal_closed', 'dealClosedSinceMove', { title: move.dealTitle, status: dealStatus(deal.status as DealStatus) });
    if (deal.owner_id !== move.from) throw refusal('owner_changed', 'ownerChanged', { title: move.dealTitle, name: move.fromName });
  }
  // The status and version in the WHERE make this safe against a concurrent decision on another server.
  const updated = await tx
    .updateTable('moves')
    .set({ status: decision === 'approve' ? 'approved' : 'dismissed', decided_by: by.id, decided_at: now, updated_at: now, version: move.version + 1 })
    .where('id', '=', id)
    .where('version', '=', move.version)
    .where('status', '=', move.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw refusal('stale_version', 'moveDecidedMeanwhile');
  await appendChanges(tx, [moveChange({ id, version: move.version + 1, from_id: move.from, to_id: move.to })], now);
  return (await findMove(tx, id))!;
}

/**
 * Approves several moves in one transaction, all or none: a deal with a proposed move to the same target has that
 * move approved; any other is proposed and approved at once, as POST /api/moves with decide=approve does. The first
 * move refused refuses the whole batch, naming the deal, and the caller's transaction rolls back.
 */
export async function approveMoves(
  tx: Tx,
  approval: MovesApproval,
  by: User,
  today: string,
  now: string,
  cached?: { cache: OpenDealsCache; snapshot: OpenDealsSnapshot },
  locale: Locale = 'en',
): Promise<MoveRecord[]> {
  const approved: MoveRecord[] = [];
  for (const [index, { dealId, to }] of approval.moves.entries()) {
    try {
      const [pending] = await listMoves(tx, { dealId, statuses: ['proposed'] });
      approved.push(
        pending && pending.to === to
          ? await decideMove(tx, pending.id, 'approve', by, now)
          : await proposeMove(tx, { dealId, to, decide: 'approve' }, by, today, now, cached, locale),
      );
    } catch (error) {
      if (error instanceof Refused) {
        throw new Refused(error.code, said(refusalMessages, 'moveInBatch', { index: index + 1, total: approval.moves.length, reason: error.text }));
      }
      throw error;
    }
  }
  return approved;
}
