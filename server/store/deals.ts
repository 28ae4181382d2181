import { Deal } from '../../core/schema';
import type { Tx } from './transaction';
import type { DealsTable } from './tables';

export function dealFromRow(row: DealsTable): Deal {
  return Deal.parse({
    id: row.id,
    crm: row.crm,
    crmId: row.crm_id,
    recordType: row.record_type,
    title: row.title,
    kind: row.kind,
    amount: row.amount,
    currency: row.currency,
    stage: row.stage,
    probability: row.probability,
    ownerId: row.owner_id,
    ownerLabel: row.owner_label,
    segment: row.segment,
    expectedClose: row.expected_close,
    status: row.status,
    closedAt: row.closed_at,
    source: row.source,
    url: row.url,
    updatedAt: row.updated_at,
    version: row.version,
  });
}

export async function insertDeals(tx: Tx, rows: DealsTable[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) {
    await tx.insertInto('deals').values(rows.slice(start, start + 200)).execute();
  }
}
