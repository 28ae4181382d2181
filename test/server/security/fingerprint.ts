import { sql, type RawBuilder } from 'kysely';
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
  const tables = await store.db.introspection.getTables();
  const parts: RawBuilder<unknown>[] = [];
  const names: string[] = [];
  for (const table of tables) {
    if (ignoredTables.has(table.name)) continue;
    const from = sql.table(table.name);
    parts.push(sql`(select count(*) from ${from})`);
    names.push(`${table.name}.count`);
    for (const column of table.columns) {
      if (ignoredColumns.has(column.name)) continue;
      const text = sql`cast(${sql.ref(column.name)} as text)`;
      parts.push(sql`(select max(${text}) from ${from})`, sql`(select sum(length(${text})) from ${from})`);
      names.push(`${table.name}.${column.name}.max`, `${table.name}.${column.name}.length`);
    }
  }
  const query = sql<Record<string, unknown>>`select ${sql.join(parts.map((part, index) => sql`${part} as ${sql.id(`f${index}`)}`))}`;
  return async () => {
    const { rows } = await query.execute(store.db);
    const row = rows[0] ?? {};
    const fingerprint: Fingerprint = {};
    names.forEach((name, index) => {
      const value = row[`f${index}`];
      fingerprint[name] = value === null || value === undefined ? '' : String(value);
    });
    return fingerprint;
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
