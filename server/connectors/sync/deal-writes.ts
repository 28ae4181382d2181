import { randomUUID } from 'node:crypto';
import { settleMovesForDeal } from '../../balance/settle-moves';
import { historyRow, dealColumns } from '../../deals/deal-history';
import { validate } from '../../import/deal-upsert';
import { applyDealTotals } from '../../plan/deal-totals';
import type { StoreKind } from '../../store/store';
import type { DealsTable } from '../../store/tables';
import type { Tx } from '../../store/transaction';
import { appendChanges, type ChangeEntry } from '../../sync/change-log';
import type { Connection } from '../connections';
import type { CrmDeal } from '../types';
import { closedAtOf, kindOf, type StageBook } from './classify';
import type { OwnerBook } from './owners';

// Deals as the connector read them, written a page at a time: the connector is the source of truth for its tenant,
// so every field it maps overwrites (an amount removed in the CRM is removed here). The same aggregates, move
// settling and change log as every other deal write (server/store/deals.ts) follow in the same transaction, in
// one pass per page rather than one per deal.

export interface DealWriteContext {
  tx: Tx;
  kind: StoreKind;
  connection: Connection;
  stages: StageBook;
  owners: OwnerBook;
  now: string;
}

export interface PageOutcome {
  upserted: number;
  removed: number;
  changes: number;
}

/** The row a CrmDeal makes, on top of the stored one (id, account and version kept). */
export function dealRow(deal: CrmDeal, previous: DealsTable | null, context: Pick<DealWriteContext, 'connection' | 'stages' | 'owners' | 'now'>): DealsTable {
  const status = context.stages.statusOf(deal.pipeline, deal.stage);
  const owner = context.owners.ownerOf(deal.ownerCrmId, deal.ownerName);
  return {
    id: previous?.id ?? randomUUID(),
    crm: context.connection.crm,
    instance: context.connection.instance,
    crm_id: deal.crmId,
    record_type: deal.recordType,
    title: deal.title.slice(0, 500),
    kind: kindOf(deal, context.connection.settings.purchaseWhen),
    amount: deal.amount === null ? null : Math.max(0, Math.min(deal.amount, 1e13)),
    currency: deal.currency,
    stage: deal.stage?.slice(0, 200) ?? null,
    probability: deal.probability === null ? null : Math.max(0, Math.min(100, deal.probability)),
    owner_id: owner.userId,
    owner_label: owner.label?.slice(0, 300) ?? null,
    segment: previous?.segment ?? null,
    expected_close: deal.expectedClose,
    status,
    closed_at: closedAtOf(deal, status),
    source: 'connector',
    url: deal.url,
    account_crm_id: previous?.account_crm_id ?? null,
    updated_at: context.now,
    version: previous?.version ?? 1,
  };
}

const sameRow = (a: DealsTable, b: DealsTable) => dealColumns.every((column) => a[column] === b[column]) && a.source === b.source;

async function storedRows(context: DealWriteContext, crmIds: readonly string[]): Promise<Map<string, DealsTable>> {
  const found = new Map<string, DealsTable>();
  for (let start = 0; start < crmIds.length; start += 500) {
    let query = context.tx
      .selectFrom('deals')
      .selectAll()
      .where('crm', '=', context.connection.crm)
      .where('instance', '=', context.connection.instance)
      .where('record_type', '=', 'deal')
      .where('crm_id', 'in', crmIds.slice(start, start + 500));
    // Locked, so a page capture's re-read or an ingest of the same deal queues behind this page (aggregates).
    if (context.kind === 'postgres') query = query.forUpdate();
    for (const row of await query.execute()) found.set(row.crm_id, row);
  }
  return found;
}

/** Writes one page of CrmDeals (deleted ones removed); answers what changed. Call inside the page's transaction. */
export async function writeDealPage(context: DealWriteContext, deals: readonly CrmDeal[]): Promise<PageOutcome> {
  // The last state of a record wins when a page lists it twice.
  const latest = new Map<string, CrmDeal>();
  for (const deal of deals) latest.set(deal.crmId, deal);
  const stored = await storedRows(context, [...latest.keys()]);
  const inserts: DealsTable[] = [];
  const before: DealsTable[] = [];
  const after: DealsTable[] = [];
  const gone: DealsTable[] = [];
  for (const deal of latest.values()) {
    const previous = stored.get(deal.crmId) ?? null;
    if (deal.deleted) {
      if (previous) gone.push(previous);
      continue;
    }
    const next = dealRow(deal, previous, context);
    validate(next);
    if (previous === null) inserts.push(next);
    else if (!sameRow(previous, next)) {
      before.push(previous);
      after.push({ ...next, version: previous.version + 1 });
    }
  }
  for (let start = 0; start < inserts.length; start += 100) await context.tx.insertInto('deals').values(inserts.slice(start, start + 100)).execute();
  for (const row of after) {
    const { id, ...fields } = row;
    await context.tx.updateTable('deals').set(fields).where('id', '=', id).execute();
  }
  // Provenance (issue 13 §2): the connector is the author of what it wrote, as an import or an ingest is of theirs.
  const author = { feed: `${context.connection.crm} connector (${context.connection.instance})` };
  const history = [
    ...inserts.map((row) => historyRow(null, row, 'connector', author, context.now)),
    ...after.map((row, index) => historyRow(before[index]!, row, 'connector', author, context.now)),
  ];
  for (let start = 0; start < history.length; start += 100) await context.tx.insertInto('deal_history').values(history.slice(start, start + 100)).execute();
  const removed = await removeDeals(context, gone);
  await applyDealTotals(context.tx, before, [...inserts, ...after]);
  const changes: ChangeEntry[] = [...inserts, ...after].map((row, index) => {
    const previous = index < inserts.length ? null : before[index - inserts.length]!;
    return {
      entity: 'deal',
      entityId: row.id,
      version: row.version,
      ownerId: row.owner_id,
      previousOwnerId: previous && previous.owner_id !== row.owner_id ? previous.owner_id : null,
    };
  });
  for (let index = 0; index < after.length; index++) {
    const row = after[index]!;
    // An approved move is done once the CRM shows its new owner (server/balance/settle-moves.ts).
    if (before[index]!.owner_id !== row.owner_id) await settleMovesForDeal(context.tx, row.id, row.owner_id, context.now);
  }
  await appendChanges(context.tx, changes, context.now, context.kind);
  return { upserted: inserts.length + after.length, removed, changes: changes.length + removed };
}

/**
 * Removes deals the CRM deleted: out of the aggregates, and logged so every client that held one drops it (pull
 * sends a removed entity as null; previous_owner_id reaches the manager who owned it).
 */
export async function removeDeals(context: Pick<DealWriteContext, 'tx' | 'kind' | 'now'>, rows: readonly DealsTable[]): Promise<number> {
  if (rows.length === 0) return 0;
  for (let start = 0; start < rows.length; start += 500) {
    await context.tx.deleteFrom('deals').where('id', 'in', rows.slice(start, start + 500).map((row) => row.id)).execute();
  }
  await applyDealTotals(context.tx, rows, []);
  await appendChanges(
    context.tx,
    rows.map((row) => ({ entity: 'deal', entityId: row.id, version: row.version + 1, ownerId: null, previousOwnerId: row.owner_id })),
    context.now,
    context.kind,
  );
  return rows.length;
}
