import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { StoreKind } from './store';
import type { Tx } from './transaction';

const marker = '\u0001headway-param:';

/**
 * A query Kysely builds and compiles once per dialect, then runs with fresh values: building and compiling costs
 * more than SQLite takes to run a small statement, and push runs the same few per batch. `param(name)` stands for
 * a value given at run time; everything else in the query is fixed.
 */
export function precompiled<P extends string, R>(build: (db: Tx, param: (name: P) => never) => Compilable<R>) {
  const compiled = new Map<StoreKind, { sql: string; slots: ({ name: P } | { value: unknown })[] }>();
  const compile = (tx: Tx, kind: StoreKind) => {
    const query = build(tx, (name) => `${marker}${name}` as never).compile();
    const slots = query.parameters.map((value) =>
      typeof value === 'string' && value.startsWith(marker) ? { name: value.slice(marker.length) as P } : { value },
    );
    const entry = { sql: query.sql, slots };
    compiled.set(kind, entry);
    return entry;
  };
  return async (tx: Tx, kind: StoreKind, values: Record<P, unknown>): Promise<QueryResult<R>> => {
    const { sql, slots } = compiled.get(kind) ?? compile(tx, kind);
    return tx.executeQuery<R>(CompiledQuery.raw(sql, slots.map((slot) => ('name' in slot ? values[slot.name] : slot.value))));
  };
}
