import type { Kysely } from 'kysely';
import { dayNumber, isoDate, periodContaining, toCents } from '../../core/plan';
import type { DealKind } from '../../core/schema';
import type { Database, DealsTable, PipelineTotalsTable } from '../store/tables';
import { foldCell, rebuildFromDeals, upsertCells, type AdditiveTable } from './additive-totals';
import { unassignedOwnerKey } from './won-totals';

/*
 * Open deals summed per (kind, expected-close day or month, owner, currency): what /api/progress needs for the
 * pipeline figures, so that it sums a few thousand integers in the database instead of turning every open deal
 * into an object. Each deal counts in its day and in its month: the rest of a period is read as the days left in
 * this month plus whole months after it, so a year's pipeline is ~12 cells per owner and currency, not ~300. Cents and probability-weighted cents are computed per deal exactly as core/plan's planProgress does
 * (toCents(amount), toCents(amount × probability ÷ 100)), so the sums are the ones it would reach.
 * Only deals it can sum are here: an open deal without amount, currency or probability is read one by one,
 * because core/plan lists such deals by id as excluded.
 */

type Db = Kysely<Database>;
type OpenDeal = Pick<DealsTable, 'status' | 'expected_close' | 'owner_id' | 'kind' | 'currency' | 'amount' | 'probability'>;
type Cell = PipelineTotalsTable;

export function isSummable(deal: OpenDeal): boolean {
  return deal.status === 'open' && deal.expected_close !== null && deal.amount !== null && deal.currency !== null && deal.probability !== null;
}

const pipelineTotals: AdditiveTable<'pipeline_totals'> = {
  table: 'pipeline_totals',
  keys: ['kind', 'grain', 'bucket', 'owner_key', 'currency'],
  sums: ['cents', 'weighted_cents', 'count'],
};

function addContributions(into: Map<string, Cell>, deals: readonly OpenDeal[], sign: 1 | -1): void {
  for (const deal of deals) {
    if (!isSummable(deal)) continue;
    const amount = deal.amount!;
    const day: Cell = {
      kind: deal.kind,
      grain: 'day',
      bucket: deal.expected_close!,
      owner_key: deal.owner_id ?? unassignedOwnerKey,
      currency: deal.currency!,
      cents: sign * toCents(amount),
      weighted_cents: sign * toCents((amount * deal.probability!) / 100),
      count: sign,
    };
    foldCell(pipelineTotals, into, day);
    foldCell(pipelineTotals, into, { ...day, grain: 'month', bucket: day.bucket.slice(0, 7) });
  }
}

/** Folds the change of deal rows replaced by others (before: as they were, empty for inserts) into cells. */
export function foldPipelineChanges(cells: Map<string, Cell>, before: readonly OpenDeal[], after: readonly OpenDeal[]): void {
  addContributions(cells, before, -1);
  addContributions(cells, after, 1);
}

/** Adds folded cells to the totals. Call inside the write's transaction. */
export async function upsertPipelineCells(db: Db, cells: Map<string, Cell>): Promise<void> {
  await upsertCells(db, pipelineTotals, cells.values());
}

export async function rebuildPipelineTotals(db: Db): Promise<void> {
  const columns = ['status', 'expected_close', 'owner_id', 'kind', 'currency', 'amount', 'probability'] as const;
  await rebuildFromDeals(db, pipelineTotals, { status: 'open', columns }, (into, page) => addContributions(into, page, 1));
}

export interface PipelineSum {
  ownerKey: string;
  currency: string;
  cents: number;
  weightedCents: number;
}

/** [first, last] day of the month a day falls in. */
function monthOf(day: string): { first: string; last: string } {
  const { start, end } = periodContaining(day, 'month', 1);
  return { first: start, last: end };
}

/** [fromDay, toDay] as day ranges at the edges and whole months between, each read at its own grain. */
export function pipelineBuckets(fromDay: string, toDay: string): { grain: 'day' | 'month'; from: string; to: string }[] {
  if (fromDay > toDay) return [];
  const head = monthOf(fromDay);
  if (toDay <= head.last) return [{ grain: 'day', from: fromDay, to: toDay }];
  const tail = monthOf(toDay);
  const buckets: { grain: 'day' | 'month'; from: string; to: string }[] = [];
  // A range that starts on the 1st reads that month whole, like one that ends on the last day.
  const firstWhole = fromDay === head.first ? fromDay.slice(0, 7) : isoDate(dayNumber(head.last) + 1).slice(0, 7);
  const lastWhole = toDay === tail.last ? toDay.slice(0, 7) : isoDate(dayNumber(tail.first) - 1).slice(0, 7);
  if (fromDay !== head.first) buckets.push({ grain: 'day', from: fromDay, to: head.last });
  if (firstWhole <= lastWhole) buckets.push({ grain: 'month', from: firstWhole, to: lastWhole });
  if (toDay !== tail.last) buckets.push({ grain: 'day', from: tail.first, to: toDay });
  return buckets;
}

/** Summable open pipeline of one kind expected to close in [fromDay, toDay] (ISO dates), per owner key and currency. */
export async function readPipelineTotals(db: Db, kind: DealKind, fromDay: string, toDay: string): Promise<PipelineSum[]> {
  const sums = new Map<string, PipelineSum & { count: number }>();
  for (const bucket of pipelineBuckets(fromDay, toDay)) {
    const rows = await db
      .selectFrom('pipeline_totals')
      .select([
        'owner_key',
        'currency',
        (eb) => eb.fn.sum<number | string>('cents').as('cents'),
        (eb) => eb.fn.sum<number | string>('weighted_cents').as('weighted_cents'),
        (eb) => eb.fn.sum<number | string>('count').as('count'),
      ])
      .where('kind', '=', kind)
      .where('grain', '=', bucket.grain)
      .where('bucket', '>=', bucket.from)
      .where('bucket', '<=', bucket.to)
      .groupBy(['owner_key', 'currency'])
      .execute();
    for (const row of rows) {
      const key = `${row.owner_key}|${row.currency}`;
      const sum = sums.get(key) ?? { ownerKey: row.owner_key, currency: row.currency, cents: 0, weightedCents: 0, count: 0 };
      sum.cents += Number(row.cents);
      sum.weightedCents += Number(row.weighted_cents);
      sum.count += Number(row.count);
      sums.set(key, sum);
    }
  }
  return [...sums.values()].filter((sum) => sum.count !== 0).map(({ count: _count, ...sum }) => sum);
}
