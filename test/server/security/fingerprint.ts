import { sql } from 'kysely';
import type { Store } from '../../../server/store/store';

/**
 * Bookkeeping that a refused request may legitimately write: the pairing rate limit counts every attempt (that is its
 * job), and a token's last use is stamped when it authenticates, before the role guard runs.
 */
const ignoredTables = new Set(['rate_limit_buckets']);
const ignoredColumns = new Set(['last_used_at']);

export type Fingerprint = Record<string, string>;

/**
 * A cheap summary of every table's contents, found by introspection so that tables added by later migrations are
 * covered without touching this file: row count, and per column the largest value and total length as text.
 * Tests advance the clock before each request, so any write that stamps a time moves a maximum.
 */
export async function fingerprinter(store: Store): Promise<() => Promise<Fingerprint>> {
  const tables = (await store.db.introspection.getTables()).filter((table) => !ignoredTables.has(table.name));
  const names: string[] = [];
  // One aggregate row per table (a single scan each), cross-joined into one row: one round trip per fingerprint.
  const perTable = tables.map((table, t) => {
    const aggregates = [sql`count(*) as ${sql.id(`f${names.length}`)}`];
    names.push(`${table.name}.count`);
    for (const column of table.columns) {
      if (ignoredColumns.has(column.name)) continue;
      const text = sql`cast(${sql.ref(column.name)} as text)`;
      aggregates.push(sql`max(${text}) as ${sql.id(`f${names.length}`)}`);
      names.push(`${table.name}.${column.name}.max`);
      aggregates.push(sql`sum(length(${text})) as ${sql.id(`f${names.length}`)}`);
      names.push(`${table.name}.${column.name}.length`);
    }
    return sql`(select ${sql.join(aggregates)} from ${sql.table(table.name)}) as ${sql.id(`t${t}`)}`;
  });
  // PostgreSQL plans hundreds of aggregates (and a join of 20 subqueries) slowly; there a union of one digest of
  // each table's rows is both faster and exact.
  const postgresDigests = tables.map((table) => {
    const row = sql`cast(row(${sql.join(table.columns.filter((column) => !ignoredColumns.has(column.name)).map((column) => sql.ref(column.name)))}) as text)`;
    return sql`select ${table.name} as name, count(*) as count, md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as digest from ${sql.table(table.name)}`;
  });
  const query = store.kind === 'postgres'
    ? sql<Record<string, unknown>>`${sql.join(postgresDigests, sql` union all `)}`.compile(store.db)
    : sql<Record<string, unknown>>`select * from ${sql.join(perTable, sql`, `)}`.compile(store.db);
  const full = async () => {
    const { rows } = await store.db.executeQuery(query);
    const fingerprint: Fingerprint = {};
    if (store.kind === 'postgres') {
      for (const row of rows) fingerprint[String(row.name)] = `${String(row.count)} rows, ${String(row.digest)}`;
      return fingerprint;
    }
    const row = rows[0] ?? {};
    names.forEach((name, index) => {
      const value = row[`f${index}`];
      fingerprint[name] = value === null || value === undefined ? '' : String(value);
    });
    return fingerprint;
  };
  if (store.kind !== 'sqlite') return full;

  // SQLite counts every row its one connection has written: while that count stands still nothing can have changed,
  // and the full summary is only computed again when it moved (a rolled-back write moves it too, harmlessly).
  const changes = sql<{ n: number }>`select total_changes() as n`.compile(store.db);
  let lastChanges = -1;
  let last: Fingerprint = {};
  return async () => {
    const n = Number((await store.db.executeQuery(changes)).rows[0]?.n);
    if (n !== lastChanges) {
      last = await full();
      lastChanges = n;
    }
    return last;
  };
}

/** The entries that differ, for a readable failure. */
export function fingerprintDiff(before: Fingerprint, after: Fingerprint): Record<string, [string, string]> {
  const diff: Record<string, [string, string]> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] !== after[key]) diff[key] = [before[key] ?? '(none)', after[key] ?? '(none)'];
  }
  return diff;
}
