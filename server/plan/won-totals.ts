import type { Kysely } from 'kysely';
import { toCents } from '../../core/plan';
import type { DealKind } from '../../core/schema';
import type { Database, DealsTable, WonTotalsTable } from '../store/tables';
import { foldCell, rebuildFromDeals, upsertCells, type AdditiveTable } from './additive-totals';

/*
 * Won deals summed per (kind, month of closedAt, owner, currency), so that plan progress over millions of closed
 * deals reads a few hundred rows instead of scanning them. Every deal write adjusts the sums in the same
 * transaction (server/store/deals.ts), by deltas (see additive-totals.ts). Cents are integers, so adding and
 * removing leaves no residue.
 */

type Db = Kysely<Database>;
type WonDeal = Pick<DealsTable, 'status' | 'closed_at' | 'owner_id' | 'kind' | 'currency' | 'amount'>;

/** '' stands for "no owner" and "no currency": a primary key column cannot hold null. */
export const unassignedOwnerKey = '';

/** The month a won deal counts in: the calendar date of closedAt as the CRM recorded it, like core/plan's DailyTotals. */
export function closingMonth(deal: Pick<DealsTable, 'status' | 'closed_at'>): string | null {
  return deal.status === 'won' && deal.closed_at ? deal.closed_at.slice(0, 7) : null;
}

type Cell = WonTotalsTable;

const wonTotals: AdditiveTable<'won_totals'> = { table: 'won_totals', keys: ['kind', 'month', 'owner_key', 'currency'], sums: ['cents', 'count', 'no_amount'] };

/** Folds deals' contributions (sign +1 to add, -1 to remove) into cells, one per key. */
function addContributions(into: Map<string, Cell>, deals: readonly WonDeal[], sign: 1 | -1): void {
  for (const deal of deals) {
    const month = closingMonth(deal);
    if (month === null) continue;
    foldCell(wonTotals, into, {
      owner_key: deal.owner_id ?? unassignedOwnerKey,
      kind: deal.kind,
      currency: deal.currency ?? '',
      month,
      cents: deal.amount === null ? 0 : sign * toCents(deal.amount),
      count: sign,
      no_amount: deal.amount === null ? sign : 0,
    });
  }
}

/** Folds the change of deal rows replaced by others (before: as they were, empty for inserts) into cells. */
export function foldWonChanges(cells: Map<string, Cell>, before: readonly WonDeal[], after: readonly WonDeal[]): void {
  addContributions(cells, before, -1);
  addContributions(cells, after, 1);
}

/** Adds folded cells to the totals. Call inside the write's transaction. */
export async function upsertWonCells(db: Db, cells: Map<string, Cell>): Promise<void> {
  await upsertCells(db, wonTotals, cells.values());
}

/**
 * Recomputes every total from the deals table. Used by the migration that introduced the table, by the benchmark
 * after its bulk load, and by tests as the reference the incrementally kept totals must equal.
 */
export async function rebuildWonTotals(db: Db): Promise<void> {
  const columns = ['status', 'closed_at', 'owner_id', 'kind', 'currency', 'amount'] as const;
  await rebuildFromDeals(db, wonTotals, { status: 'won', columns }, (into, page) => addContributions(into, page, 1));
}

export interface WonSum {
  cents: number;
  count: number;
  noAmount: number;
}

/** Won sums of one kind over whole months [fromMonth, toMonth], per owner key and currency. */
export async function readWonTotals(db: Db, kind: DealKind, fromMonth: string, toMonth: string): Promise<Map<string, Map<string, WonSum>>> {
  const rows = await db
    .selectFrom('won_totals')
    .select([
      'owner_key',
      'currency',
      (eb) => eb.fn.sum<number | string>('cents').as('cents'),
      (eb) => eb.fn.sum<number | string>('count').as('count'),
      (eb) => eb.fn.sum<number | string>('no_amount').as('no_amount'),
    ])
    .where('kind', '=', kind)
    .where('month', '>=', fromMonth)
    .where('month', '<=', toMonth)
    .groupBy(['owner_key', 'currency'])
    .execute();
  const byOwner = new Map<string, Map<string, WonSum>>();
  for (const row of rows) {
    // PostgreSQL answers sum(bigint) as numeric, which pg hands over as a string.
    const sum: WonSum = { cents: Number(row.cents), count: Number(row.count), noAmount: Number(row.no_amount) };
    if (sum.count === 0) continue;
    let currencies = byOwner.get(row.owner_key);
    if (!currencies) byOwner.set(row.owner_key, (currencies = new Map()));
    currencies.set(row.currency, sum);
  }
  return byOwner;
}
