import { sql, type Kysely } from 'kysely';
import { toCents } from '../../core/plan';
import type { DealKind } from '../../core/schema';
import type { Database, DealsTable, PipelineTotalsTable } from '../store/tables';
import { unassignedOwnerKey } from './won-totals';

/*
 * Open deals summed per (kind, expected-close day, owner, currency): what /api/progress needs for the pipeline
 * figures, so that it sums a few thousand integers in the database instead of turning every open deal into an
 * object. Cents and probability-weighted cents are computed per deal exactly as core/plan's planProgress does
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

function keyOf(cell: Cell): string {
  return `${cell.kind}|${cell.day}|${cell.owner_key}|${cell.currency}`;
}

function addContributions(into: Map<string, Cell>, deals: readonly OpenDeal[], sign: 1 | -1): void {
  for (const deal of deals) {
    if (!isSummable(deal)) continue;
    const amount = deal.amount!;
    const delta: Cell = {
      kind: deal.kind,
      day: deal.expected_close!,
      owner_key: deal.owner_id ?? unassignedOwnerKey,
      currency: deal.currency!,
      cents: sign * toCents(amount),
      weighted_cents: sign * toCents((amount * deal.probability!) / 100),
      count: sign,
    };
    const key = keyOf(delta);
    const cell = into.get(key);
    if (!cell) into.set(key, delta);
    else {
      cell.cents += delta.cents;
      cell.weighted_cents += delta.weighted_cents;
      cell.count += delta.count;
    }
  }
}

async function applyCells(db: Db, cells: Iterable<Cell>): Promise<void> {
  const changed = [...cells].filter((cell) => cell.count !== 0 || cell.cents !== 0 || cell.weighted_cents !== 0);
  for (let start = 0; start < changed.length; start += 500) {
    await db
      .insertInto('pipeline_totals')
      .values(changed.slice(start, start + 500))
      .onConflict((conflict) =>
        conflict.columns(['kind', 'day', 'owner_key', 'currency']).doUpdateSet({
          cents: sql`pipeline_totals.cents + excluded.cents`,
          weighted_cents: sql`pipeline_totals.weighted_cents + excluded.weighted_cents`,
          count: sql`pipeline_totals.count + excluded.count`,
        }),
      )
      .execute();
  }
}

export async function applyPipelineChanges(db: Db, before: readonly OpenDeal[], after: readonly OpenDeal[]): Promise<void> {
  const cells = new Map<string, Cell>();
  addContributions(cells, before, -1);
  addContributions(cells, after, 1);
  await applyCells(db, cells.values());
}

export async function rebuildPipelineTotals(db: Db): Promise<void> {
  await db.deleteFrom('pipeline_totals').execute();
  const cells = new Map<string, Cell>();
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('deals')
      .select(['id', 'status', 'expected_close', 'owner_id', 'kind', 'currency', 'amount', 'probability'])
      .where('status', '=', 'open')
      .where('id', '>', after)
      .orderBy('id')
      .limit(20_000)
      .execute();
    addContributions(cells, page, 1);
    if (page.length < 20_000) break;
    after = page[page.length - 1]!.id;
  }
  await applyCells(db, cells.values());
}

export interface PipelineSum {
  ownerKey: string;
  currency: string;
  cents: number;
  weightedCents: number;
}

/** Summable open pipeline of one kind expected to close in [fromDay, toDay] (ISO dates), per owner key and currency. */
export async function readPipelineTotals(db: Db, kind: DealKind, fromDay: string, toDay: string): Promise<PipelineSum[]> {
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
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .groupBy(['owner_key', 'currency'])
    .execute();
  return rows
    .filter((row) => Number(row.count) !== 0)
    .map((row) => ({ ownerKey: row.owner_key, currency: row.currency, cents: Number(row.cents), weightedCents: Number(row.weighted_cents) }));
}
