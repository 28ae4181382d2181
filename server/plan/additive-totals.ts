import { sql, type Kysely } from 'kysely';
import type { Database, DealsTable, PipelineTotalsTable, WonTotalsTable } from '../store/tables';

/*
 * The mechanics shared by the won and pipeline totals: cells keyed by some columns whose other columns are integer
 * sums, kept by deltas. Deltas are folded per key in memory, cells that net to zero are skipped, and the rest are
 * upserted in batches with an atomic `column = column + excluded.column`, so concurrent writers on PostgreSQL
 * cannot lose each other's updates. A rebuild pages through the deals table by id so that a million deals never sit
 * in memory at once. What a deal contributes stays with each table (won-totals.ts, pipeline-totals.ts).
 */

type Db = Kysely<Database>;

type TotalsTables = { won_totals: WonTotalsTable; pipeline_totals: PipelineTotalsTable };

export interface AdditiveTable<T extends keyof TotalsTables> {
  table: T;
  /** The primary key: one cell per distinct combination. */
  keys: readonly (keyof TotalsTables[T] & string)[];
  /** Integer columns that are summed. */
  sums: readonly (keyof TotalsTables[T] & string)[];
}

/** Rows per upsert statement: well under SQLite's and PostgreSQL's bound-parameter limits for these widths. */
const upsertBatch = 500;
/** Deals read per page by a rebuild. */
const rebuildPage = 20_000;

/** Adds a delta into the cell of its key (the delta object itself becomes the cell when the key is new). */
export function foldCell<T extends keyof TotalsTables>(spec: AdditiveTable<T>, into: Map<string, TotalsTables[T]>, delta: TotalsTables[T]): void {
  const key = spec.keys.map((column) => String(delta[column])).join('|');
  const cell = into.get(key);
  if (!cell) {
    into.set(key, delta);
    return;
  }
  const sums = cell as unknown as Record<string, number>;
  for (const column of spec.sums) sums[column] = (cell[column] as number) + (delta[column] as number);
}

/** Upserts the cells' deltas; a cell whose sums are all zero (an edit that changed no total) is not written. */
export async function upsertCells<T extends keyof TotalsTables>(db: Db, spec: AdditiveTable<T>, cells: Iterable<TotalsTables[T]>): Promise<void> {
  const changed = [...cells].filter((cell) => spec.sums.some((column) => cell[column] !== 0));
  const increments = Object.fromEntries(spec.sums.map((column) => [column, sql`${sql.ref(`${spec.table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`]));
  for (let start = 0; start < changed.length; start += upsertBatch) {
    await db
      .insertInto(spec.table)
      .values(changed.slice(start, start + upsertBatch) as never)
      .onConflict((conflict) => conflict.columns(spec.keys as never).doUpdateSet(increments as never))
      .execute();
  }
}

/**
 * Empties the table and refills it from the deals of one status: `contribute` folds each page of deals (the listed
 * columns) into the cells, which are written once at the end.
 */
export async function rebuildFromDeals<T extends keyof TotalsTables, C extends keyof DealsTable & string>(
  db: Db,
  spec: AdditiveTable<T>,
  deals: { status: string; columns: readonly C[] },
  contribute: (into: Map<string, TotalsTables[T]>, page: readonly Pick<DealsTable, C | 'id'>[]) => void,
): Promise<void> {
  await db.deleteFrom(spec.table).execute();
  const cells = new Map<string, TotalsTables[T]>();
  let after = '';
  for (;;) {
    const page = (await db
      .selectFrom('deals')
      .select(['id', ...deals.columns] as never)
      .where('status', '=', deals.status)
      .where('id', '>', after)
      .orderBy('id')
      .limit(rebuildPage)
      .execute()) as unknown as Pick<DealsTable, C | 'id'>[];
    contribute(cells, page);
    if (page.length < rebuildPage) break;
    after = page[page.length - 1]!.id;
  }
  await upsertCells(db, spec, cells.values());
}
