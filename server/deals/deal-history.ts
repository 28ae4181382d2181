import { randomUUID } from 'node:crypto';
import { DealHistoryEntry, type DealHistoryField, type DealSource } from '../../core/schema';
import { readJson, writeJson } from '../store/json-column';
import type { DealHistoryTable, DealsTable } from '../store/tables';
import type { Tx } from '../store/transaction';
import type { DealAuthor } from './deal-authority';

/** The columns a write may change, each with the Deal field it is (DealHistoryField). */
export const dealFieldColumns = {
  title: 'title',
  kind: 'kind',
  amount: 'amount',
  currency: 'currency',
  stage: 'stage',
  probability: 'probability',
  owner_id: 'ownerId',
  owner_label: 'ownerLabel',
  segment: 'segment',
  expected_close: 'expectedClose',
  status: 'status',
  closed_at: 'closedAt',
  url: 'url',
} as const satisfies Partial<Record<keyof DealsTable, DealHistoryField>>;

export type DealFieldColumn = keyof typeof dealFieldColumns;
export const dealColumns = Object.keys(dealFieldColumns) as DealFieldColumn[];

/** The provenance of one write that changed a deal (`previous` null: it created the deal). */
export function historyRow(previous: DealsTable | null, next: DealsTable, source: DealSource, author: DealAuthor, now: string): DealHistoryTable {
  const changes: DealHistoryEntry['changes'] = {};
  for (const column of dealColumns) {
    const from = previous ? previous[column] : null;
    if (from !== next[column]) changes[dealFieldColumns[column]] = { from, to: next[column] };
  }
  return {
    id: randomUUID(),
    deal_id: next.id,
    version: next.version,
    at: now,
    source,
    actor_id: 'user' in author ? author.user.id : null,
    actor_label: 'user' in author ? author.user.name : author.feed,
    changes: writeJson(changes),
  };
}

export async function recordDealChange(tx: Tx, row: DealHistoryTable): Promise<void> {
  await tx.insertInto('deal_history').values(row).execute();
}

/** Every change to a deal, newest first. */
export async function dealHistory(db: Tx, dealId: string): Promise<DealHistoryEntry[]> {
  const rows = await db.selectFrom('deal_history').selectAll().where('deal_id', '=', dealId).orderBy('version', 'desc').orderBy('at', 'desc').execute();
  return rows.map((row) =>
    DealHistoryEntry.parse({
      version: row.version,
      at: row.at,
      source: row.source,
      actor: { id: row.actor_id, label: row.actor_label },
      changes: readJson(row.changes),
    }),
  );
}
