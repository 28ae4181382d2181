import { CompiledQuery } from 'kysely';
import { preparedOnPostgres } from './precompiled';
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
  const text = statementCache(table, columns, conflictColumn, false);
  /** Inserts the rows (one statement) and answers how many were new. */
  return async (tx: Tx, kind: StoreKind, rows: readonly Database[T][]): Promise<number> => {
    if (rows.length === 0) return 0;
    const result = await tx.executeQuery(CompiledQuery.raw(text(tx, kind, rows.length), parametersOf(columns, rows)));
    return Number(result.numAffectedRows ?? 0n);
  };
}

/**
 * The same statement with `RETURNING <conflictColumn>`: one round trip for a run of rows, answering which keys
 * this statement inserted (a key already present, or repeated within the rows, is inserted once at most).
 */
export function compiledInsertReturning<T extends keyof Database & string>(table: T, columns: readonly (keyof Database[T] & string)[], conflictColumn: keyof Database[T] & string) {
  const text = statementCache(table, columns, conflictColumn, true);
  return async (tx: Tx, kind: StoreKind, rows: readonly Database[T][]): Promise<Set<unknown>> => {
    if (rows.length === 0) return new Set();
    const result = await tx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text(tx, kind, rows.length), parametersOf(columns, rows)));
    return new Set(result.rows.map((row) => row[conflictColumn]));
  };
}

function parametersOf<R>(columns: readonly (keyof R & string)[], rows: readonly R[]): unknown[] {
  const parameters = new Array<unknown>(rows.length * columns.length);
  let at = 0;
  for (const row of rows) for (const column of columns) parameters[at++] = row[column];
  return parameters;
}

function statementCache<T extends keyof Database & string>(table: T, columns: readonly string[], conflictColumn: string, returning: boolean) {
  const compiled = new Map<string, string>();
  return (tx: Tx, kind: StoreKind, rows: number): string => {
    const key = `${kind}:${rows}`;
    const cached = compiled.get(key);
    if (cached !== undefined) return cached;
    const placeholder = Object.fromEntries(columns.map((column) => [column, null]));
    const insert = tx
      .insertInto(table)
      .values(Array.from({ length: rows }, () => placeholder) as never)
      .onConflict((conflict) => conflict.column(conflictColumn as never).doNothing());
    const query = returning ? insert.returning(conflictColumn as never).compile() : insert.compile();
    if (query.parameters.length !== columns.length * rows) throw new Error(`compiledInsert(${table}): unexpected parameter count`);
    if (compiled.size >= shapeLimit) return query.sql;
    // Only cached shapes are prepared: a bounded set of texts per helper.
    const text = kind === 'postgres' ? preparedOnPostgres(query.sql) : query.sql;
    compiled.set(key, text);
    return text;
  };
}
