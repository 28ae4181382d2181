import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import pg from 'pg';
import type { StoreKind } from './store';
import type { Tx } from './transaction';

const marker = '\u0001headway-param:';

// The hot statements' texts, each with the name PostgreSQL knows its prepared form by on every connection.
const preparedNames = new Map<string, string>();
// Texts are fixed (a few per helper, and per batch size for multi-row inserts); the bound keeps a statement built
// from varying input from ever growing every connection's prepared-statement list.
const preparedLimit = 256;

/**
 * Marks a statement text to be prepared on PostgreSQL: each connection parses and plans it once, then only binds
 * values. On push's hot path parsing and planning cost PostgreSQL as much CPU as running the statements, and the
 * sync server shares its cores with the database. The text must not change meaning with the schema's column list
 * (no `select *`): a prepared statement whose result columns change fails until its connection is replaced.
 */
export function preparedOnPostgres(sql: string): string {
  if (!preparedNames.has(sql) && preparedNames.size < preparedLimit) preparedNames.set(sql, `headway_${preparedNames.size + 1}`);
  return sql;
}

/**
 * The pg client the store's pool makes: a query whose text was marked by `preparedOnPostgres` runs as a named
 * (prepared) statement; every other query runs exactly as with pg.Client. pg remembers per connection which names
 * it has parsed, so the first run on a connection prepares and later runs skip straight to bind and execute.
 */
export class PreparingClient extends pg.Client {}
const plainQuery = pg.Client.prototype.query;
PreparingClient.prototype.query = function query(this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
  const name = typeof config === 'string' && (values === undefined || Array.isArray(values)) ? preparedNames.get(config) : undefined;
  const call = plainQuery as (this: pg.Client, ...args: unknown[]) => unknown;
  return name ? call.call(this, { name, text: config, values }, callback) : call.call(this, config, values, callback);
} as typeof plainQuery;

/**
 * A query Kysely builds and compiles once per dialect, then runs with fresh values: building and compiling costs
 * more than SQLite takes to run a small statement, and push runs the same few per batch. `param(name)` stands for
 * a value given at run time; everything else in the query is fixed. On PostgreSQL it also runs prepared.
 */
export function precompiled<P extends string, R>(build: (db: Tx, param: (name: P) => never) => Compilable<R>) {
  const compiled = new Map<StoreKind, { sql: string; slots: ({ name: P } | { value: unknown })[] }>();
  const compile = (tx: Tx, kind: StoreKind) => {
    const query = build(tx, (name) => `${marker}${name}` as never).compile();
    const slots = query.parameters.map((value) =>
      typeof value === 'string' && value.startsWith(marker) ? { name: value.slice(marker.length) as P } : { value },
    );
    const entry = { sql: kind === 'postgres' ? preparedOnPostgres(query.sql) : query.sql, slots };
    compiled.set(kind, entry);
    return entry;
  };
  return async (tx: Tx, kind: StoreKind, values: Record<P, unknown>): Promise<QueryResult<R>> => {
    const { sql, slots } = compiled.get(kind) ?? compile(tx, kind);
    return tx.executeQuery<R>(CompiledQuery.raw(sql, slots.map((slot) => ('name' in slot ? values[slot.name] : slot.value))));
  };
}
