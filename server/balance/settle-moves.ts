import type { Store } from '../store/store';
import { writeTransaction, type Tx } from '../store/transaction';
import { appendChanges } from '../sync/change-log';
import { moveChange } from './move-changes';

/**
 * A move is done when the CRM shows the new owner: whichever path wrote the deal (page capture, ingest, import)
 * calls this in the same transaction with the owner it stored. A still-proposed move whose target became the
 * owner is done too: the hand-over happened, a pending proposal for it would only mislead.
 * Returns how many moves it completed.
 */
export async function settleMovesForDeal(tx: Tx, dealId: string, ownerId: string | null, now: string): Promise<number> {
  if (ownerId === null) return 0;
  const done = await tx
    .updateTable('moves')
    .set((eb) => ({ status: 'done', done_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('deal_id', '=', dealId)
    .where('to_id', '=', ownerId)
    .where('status', 'in', ['proposed', 'approved'])
    .returning(['id', 'version', 'from_id', 'to_id'])
    .execute();
  await appendChanges(tx, done.map(moveChange), now);
  return done.length;
}

/**
 * The same rule for deals written by a path that does not call settleMovesForDeal (so far: page capture in
 * server/sync): before the load and move views are read, pending moves whose deal already shows the target as
 * owner are marked done. The check is one read; the write happens only when there is something to settle.
 */
export async function settleMovesSeenDone(store: Store, now: string): Promise<number> {
  const seen = (db: Tx) =>
    db
      .selectFrom('moves')
      .innerJoin('deals', 'deals.id', 'moves.deal_id')
      .select(['moves.id', 'moves.version', 'moves.from_id', 'moves.to_id'])
      .where('moves.status', 'in', ['proposed', 'approved'])
      .whereRef('deals.owner_id', '=', 'moves.to_id')
      .execute();
  if ((await seen(store.db)).length === 0) return 0;
  return writeTransaction(store, async (tx) => {
    const settled: { id: string; version: number; from_id: string; to_id: string }[] = [];
    for (const move of await seen(tx)) {
      const version = move.version + 1;
      // The version check keeps a concurrent settle on another server from logging the same move twice.
      const updated = await tx
        .updateTable('moves')
        .set({ status: 'done', done_at: now, updated_at: now, version })
        .where('id', '=', move.id)
        .where('version', '=', move.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) settled.push({ ...move, version });
    }
    await appendChanges(tx, settled.map(moveChange), now);
    return settled.length;
  });
}
