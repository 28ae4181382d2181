import type { Row, Table } from './tables';

// Listing rows as SuiteCRM's list queries do: a WHERE of comparisons (one level of AND/OR from V8's filter, any
// nesting from v4_1's SQL `query`), `deleted` as asked, ORDER BY one or more columns, LIMIT/OFFSET, and the total
// count both APIs report.

export type Op = '=' | '<>' | '>' | '>=' | '<' | '<=' | 'LIKE';

export type Where =
  | { kind: 'cmp'; field: string; op: Op; value: string }
  | { kind: 'and' | 'or'; parts: Where[] };

export interface ListSpec {
  where: Where | null;
  /** 0: live rows, 1: deleted rows, null: both. */
  deleted: 0 | 1 | null;
  orderBy: { field: string; desc: boolean }[];
  offset: number;
  limit: number;
}

function like(value: string, pattern: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
  return regex.test(value);
}

function compare(actual: string | undefined, op: Op, value: string): boolean {
  const a = actual ?? '';
  switch (op) {
    case '=': return a === value;
    case '<>': return a !== value;
    case '>': return a > value;
    case '>=': return a >= value;
    case '<': return a < value;
    case '<=': return a <= value;
    case 'LIKE': return like(a, value);
  }
}

export function matches(row: Row, where: Where | null): boolean {
  if (where === null) return true;
  if (where.kind === 'cmp') return compare(row[where.field], where.op, where.value);
  return where.kind === 'and' ? where.parts.every((part) => matches(row, part)) : where.parts.some((part) => matches(row, part));
}

/** The lower bound a plain AND puts on a field, so a sorted scan can start there instead of at the top. */
function lowerBound(where: Where | null, field: string): string | null {
  if (where === null) return null;
  const parts = where.kind === 'and' ? where.parts : [where];
  let bound = '';
  for (const part of parts) {
    if (part.kind !== 'cmp' || part.field !== field) continue;
    if ((part.op === '>=' || part.op === '>' || part.op === '=') && part.value > bound) bound = part.value;
  }
  return where.kind === 'or' || bound === '' ? null : bound;
}

function firstAtOrAbove(rows: Row[], field: string, bound: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid]![field] ?? '') < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The page and the total count of rows matching, as the database would answer them. */
export function listRows(table: Table, spec: ListSpec): { rows: Row[]; total: number } {
  const single = spec.orderBy.length === 1 && !spec.orderBy[0]!.desc && (spec.orderBy[0]!.field === 'date_modified' || spec.orderBy[0]!.field === 'id')
    ? (spec.orderBy[0]!.field as 'date_modified' | 'id')
    : null;
  const keep = (row: Row) => (spec.deleted === null || row.deleted === String(spec.deleted)) && matches(row, spec.where);
  if (single) {
    // The common case of a sync: an index scan from the lower bound.
    const rows = table.sorted(single);
    const bound = lowerBound(spec.where, single);
    let index = bound === null ? 0 : firstAtOrAbove(rows, single, bound);
    const page: Row[] = [];
    let total = 0;
    for (; index < rows.length; index++) {
      const row = rows[index]!;
      if (!keep(row)) continue;
      if (total >= spec.offset && page.length < spec.limit) page.push(row);
      total += 1;
    }
    return { rows: page, total };
  }
  const all = [...table.rows.values()].filter(keep);
  if (spec.orderBy.length > 0) {
    all.sort((a, b) => {
      for (const { field, desc } of spec.orderBy) {
        const x = a[field] ?? '';
        const y = b[field] ?? '';
        if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
      }
      return 0;
    });
  }
  return { rows: all.slice(spec.offset, spec.offset + spec.limit), total: all.length };
}
