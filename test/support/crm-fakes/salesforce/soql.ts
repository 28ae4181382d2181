import { compareValues, holds, type RowValue } from '../rows';

// The part of SOQL the Salesforce fake understands (SOQL and SOSL Reference, "SOQL SELECT Syntax"): one object,
// `SELECT f, … | COUNT()`, `WHERE` conditions joined by AND with = != < <= > >= against string, date, datetime,
// number, boolean and null literals, `ORDER BY f [ASC|DESC], …`, `LIMIT n`. Anything else is a MALFORMED_QUERY, as
// Salesforce would answer something it cannot parse; an unknown field is INVALID_FIELD.

export type SoqlValue = RowValue;

export interface SoqlCondition {
  field: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  value: SoqlValue;
  /** A datetime literal, compared as an instant. */
  datetime: boolean;
}

export interface SoqlQuery {
  count: boolean;
  fields: string[];
  object: string;
  where: SoqlCondition[];
  orderBy: { field: string; desc: boolean }[];
  limit: number | null;
}

export class SoqlError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

const datetimeLiteral = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

function literal(raw: string): { value: SoqlValue; datetime: boolean } {
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) return { value: raw.slice(1, -1).replace(/\\(.)/g, '$1'), datetime: false };
  if (datetimeLiteral.test(raw)) return { value: raw, datetime: true };
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return { value: raw, datetime: false };
  if (/^-?\d+(?:\.\d+)?$/.test(raw)) return { value: Number(raw), datetime: false };
  if (/^(true|false)$/i.test(raw)) return { value: raw.toLowerCase() === 'true', datetime: false };
  if (/^null$/i.test(raw)) return { value: null, datetime: false };
  throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${raw}'`);
}

export function parseSoql(soql: string): SoqlQuery {
  const match = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/is.exec(soql);
  if (!match) throw new SoqlError('MALFORMED_QUERY', `unexpected token in: ${soql.slice(0, 80)}`);
  const [, select, object, where, orderBy, limit] = match;
  const count = /^COUNT\(\s*\)$/i.test(select!.trim());
  const fields = count ? [] : select!.split(',').map((field) => field.trim());
  if (fields.some((field) => !/^\w+$/.test(field))) throw new SoqlError('MALFORMED_QUERY', `unexpected token in the field list: ${select}`);
  const conditions = where
    ? where.split(/\s+AND\s+/i).map((part): SoqlCondition => {
        const condition = /^\s*(\w+)\s*(=|!=|<=|>=|<|>)\s*('(?:[^'\\]|\\.)*'|\S+)\s*$/.exec(part);
        if (!condition) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${part.trim()}'`);
        return { field: condition[1]!, op: condition[2] as SoqlCondition['op'], ...literal(condition[3]!) };
      })
    : [];
  const order = orderBy
    ? orderBy.split(',').map((part) => {
        const term = /^\s*(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(part);
        if (!term) throw new SoqlError('MALFORMED_QUERY', `unexpected token in ORDER BY: '${part.trim()}'`);
        return { field: term[1]!, desc: term[2]?.toUpperCase() === 'DESC' };
      })
    : [];
  return { count, fields, object: object!, where: conditions, orderBy: order, limit: limit === undefined ? null : Number(limit) };
}

/** Whether a record (its fields by name, datetimes as ms) meets every condition. */
export function matches(record: Record<string, SoqlValue>, where: readonly SoqlCondition[]): boolean {
  return where.every((condition) => holds(condition.op, compareValues(record[condition.field] ?? null, condition.datetime ? Date.parse(String(condition.value)) : condition.value)));
}
