import { Deal } from '../../core/schema';
import { applyDealTotals } from '../plan/deal-totals';
import { settleMovesForDeal } from '../balance/settle-moves';
import type { Tx } from './transaction';
import type { DealsTable } from './tables';

/** Every column of the deals table, for a query that names them (a join that must not mix two tables' columns). */
export const dealColumns = Object.keys({
  id: true, crm: true, instance: true, crm_id: true, record_type: true, title: true, kind: true, amount: true, currency: true, stage: true,
  probability: true, owner_id: true, owner_label: true, segment: true, expected_close: true, status: true, closed_at: true, source: true,
  url: true, account_crm_id: true, updated_at: true, version: true,
} satisfies Record<keyof DealsTable, true>) as (keyof DealsTable)[];

/**
 * Rows come from the deals table, which only validated paths write; parsing 200,000 of them with zod would cost
 * seconds, so the load cache maps them unchecked; dealFromRow checks what it maps.
 */
export function dealOfRow(row: DealsTable): Deal {
  return {
    id: row.id,
    crm: row.crm as Deal['crm'],
    instance: row.instance,
    crmId: row.crm_id,
    recordType: row.record_type as Deal['recordType'],
    title: row.title,
    kind: row.kind as Deal['kind'],
    amount: row.amount,
    currency: row.currency,
    stage: row.stage,
    probability: row.probability,
    ownerId: row.owner_id,
    ownerLabel: row.owner_label,
    segment: row.segment,
    expectedClose: row.expected_close,
    status: row.status as Deal['status'],
    closedAt: row.closed_at,
    source: row.source as Deal['source'],
    url: row.url,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export function dealFromRow(row: DealsTable): Deal {
  return Deal.parse(dealOfRow(row));
}

export async function insertDeals(tx: Tx, rows: DealsTable[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) {
    await tx.insertInto('deals').values(rows.slice(start, start + 200)).execute();
  }
  await applyDealTotals(tx, [], rows);
}

/**
 * The one way a single deal row is written after the fact (ingest, CSV import, page capture): inserts it, or
 * replaces `previous` (read and locked in the same transaction), and keeps the aggregates of plan progress in step.
 * Answers false when an insert lost a race to another writer of the same record: re-read it and write again.
 */
export async function writeDeal(tx: Tx, previous: DealsTable | null, next: DealsTable): Promise<boolean> {
  if (previous === null) {
    const inserted = await tx
      .insertInto('deals')
      .values(next)
      .onConflict((conflict) => conflict.columns(['crm', 'instance', 'crm_id', 'record_type']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;
  } else {
    const { id: _id, ...fields } = next;
    await tx.updateTable('deals').set(fields).where('id', '=', previous.id).execute();
  }
  await applyDealTotals(tx, previous ? [previous] : [], [next]);
  // An approved deal move is done once the CRM shows the new owner (server/balance/settle-moves.ts).
  if (previous !== null && previous.owner_id !== next.owner_id) await settleMovesForDeal(tx, previous.id, next.owner_id, next.updated_at);
  return true;
}
