import type { Tx } from '../store/transaction';
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
