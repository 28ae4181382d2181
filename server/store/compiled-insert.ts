import { CompiledQuery } from 'kysely';
import type { StoreKind } from './store';
import type { Database } from './tables';
import type { Tx } from './transaction';

// Statement shapes kept per helper: (dialect, row count) pairs; batches come in a few sizes, so this stays tiny.
const shapeLimit = 64;

/**
 * An INSERT … ON CONFLICT DO NOTHING built and compiled by Kysely once per dialect and row count, then run
 * with fresh values. Building the query per call costs more than SQLite takes to store a row, and push
 * writes one note per mutation and a run of change-log rows per batch.
 */
export function compiledInsert<T extends keyof Database & string>(table: T, columns: readonly (keyof Database[T] & string)[], conflictColumn: keyof Database[T] & string) {
  const compiled = new Map<string, string>();
  const textFor = (tx: Tx, kind: StoreKind, rows: number): string => {
    const key = `${kind}:${rows}`;
    const cached = compiled.get(key);
    if (cached !== undefined) return cached;
    const placeholder = Object.fromEntries(columns.map((column) => [column, null]));
    const query = tx
      .insertInto(table)
      .values(Array.from({ length: rows }, () => placeholder) as never)
      .onConflict((conflict) => conflict.column(conflictColumn as never).doNothing())
      .compile();
    if (query.parameters.length !== columns.length * rows) throw new Error(`compiledInsert(${table}): unexpected parameter count`);
    if (compiled.size < shapeLimit) compiled.set(key, query.sql);
    return query.sql;
  };
  /** Inserts the rows (one statement) and answers how many were new. */
  return async (tx: Tx, kind: StoreKind, rows: readonly Database[T][]): Promise<number> => {
    if (rows.length === 0) return 0;
    const parameters = rows.flatMap((row) => columns.map((column) => row[column] as unknown));
    const result = await tx.executeQuery(CompiledQuery.raw(textFor(tx, kind, rows.length), parameters));
    return Number(result.numAffectedRows ?? 0n);
  };
}
