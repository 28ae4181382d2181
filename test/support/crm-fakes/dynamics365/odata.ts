import { compareValues, holds, type RowValue } from '../rows';

// The part of OData 4.0 query options the Dataverse fake understands (Web API "Query data"): `$select`, `$filter`
// with comparisons (eq ne gt ge lt le) joined by `and`, against DateTimeOffset, GUID, number, 'string', true, false
// and null literals; `$orderby` with asc/desc; `$top`. A filter it cannot read is a 400 with Dataverse's code for a
// syntax error (0x80060888), an unknown column 0x80060888 as well ("Could not find a property named …").

export type ODataValue = RowValue;

export interface ODataCondition {
  field: string;
  op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
  value: ODataValue;
  /** A DateTimeOffset literal, compared as an instant. */
  instant: boolean;
}

export class ODataError extends Error {}

const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function literal(raw: string): { value: ODataValue; instant: boolean } {
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) return { value: raw.slice(1, -1).replace(/''/g, "'"), instant: false };
  if (instant.test(raw)) return { value: Date.parse(raw), instant: true };
  if (guid.test(raw)) return { value: raw.toLowerCase(), instant: false };
  if (/^-?\d+(?:\.\d+)?$/.test(raw)) return { value: Number(raw), instant: false };
  if (raw === 'true' || raw === 'false') return { value: raw === 'true', instant: false };
  if (raw === 'null') return { value: null, instant: false };
  throw new ODataError(`Syntax error at position ${raw.length} in '${raw}'.`);
}

export function parseFilter(filter: string | null): ODataCondition[] {
  if (!filter) return [];
  return filter.split(/\s+and\s+/).map((part) => {
    const match = /^\s*(\w+)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|\S+)\s*$/.exec(part);
    if (!match) throw new ODataError(`Syntax error: '${part.trim()}' is not a comparison.`);
    return { field: match[1]!, op: match[2] as ODataCondition['op'], ...literal(match[3]!) };
  });
}

export function parseOrderBy(orderBy: string | null): { field: string; desc: boolean }[] {
  if (!orderBy) return [];
  return orderBy.split(',').map((part) => {
    const match = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!match) throw new ODataError(`Syntax error in $orderby: '${part.trim()}'.`);
    return { field: match[1]!, desc: match[2] === 'desc' };
  });
}

const operators = { eq: '=', ne: '!=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/** Whether a row (datetimes as ms, GUIDs lower case) meets every condition. */
export function meets(row: Record<string, ODataValue>, conditions: readonly ODataCondition[]): boolean {
  return conditions.every((condition) => holds(operators[condition.op], compareValues(row[condition.field] ?? null, condition.value)));
}
