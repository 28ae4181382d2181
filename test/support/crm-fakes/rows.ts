// Row comparison shared by the fakes that answer a query language (Salesforce SOQL, Dataverse OData): values are
// strings, numbers (datetimes as ms), booleans or null, and null sorts first, as both vendors sort nulls ascending.

export type RowValue = string | number | boolean | null;

export function compareValues(a: RowValue, b: RowValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** The outcome of a comparison operator, by the sign of compareValues. */
export function holds(op: '=' | '!=' | '<' | '<=' | '>' | '>=', sign: number): boolean {
  return { '=': sign === 0, '!=': sign !== 0, '<': sign < 0, '<=': sign <= 0, '>': sign > 0, '>=': sign >= 0 }[op];
}

export function sortRows<R extends Record<string, RowValue>>(rows: R[], orderBy: readonly { field: string; desc: boolean }[]): R[] {
  return rows.sort((a, b) => {
    for (const { field, desc } of orderBy) {
      const c = compareValues(a[field] ?? null, b[field] ?? null);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });
}
