import { randomBytes } from 'node:crypto';

// Everything the Zoho CRM contract fake holds, in the shapes of Zoho's API v8 as its Node SDK encodes them
// (github.com/zoho/zohocrm-nodejs-sdk-8.0, mirrored): records (lib/core/com/zoho/crm/api/record/record.js: id a
// 19-digit string, lookups {name, id}, Modified_Time "YYYY-MM-DDThh:mm:ss+hh:mm" in whole seconds in the org's zone,
// Closing_Date "YYYY-MM-DD"), users (api/users/users.js: full_name, email, status "active"/"disabled"), layouts and
// pipelines (api/layouts, api/pipeline/maps.js: forecast_type "Open" | "Closed Won" | "Closed Lost"), deleted
// records (api/record/deleted_record.js: id, display_name, type "recycle" | "permanent", deleted_time), notes
// (api/notes/note.js: Note_Title, Note_Content, Parent_Id {module {api_name}, id}, Owner). COQL as Zoho's v8 "Query
// API" pages define it: SELECT … FROM … WHERE … ORDER BY (up to 10 fields) LIMIT (up to 2,000); by id ascending
// when no ORDER BY is given (COQL-Overview).

export interface ZohoDeal {
  id: string;
  Deal_Name: string;
  Amount: number | null;
  Currency: string;
  Stage: string;
  Pipeline: { name: string; id: string };
  Probability: number | null;
  Owner: { name: string; id: string; email: string } | null;
  Closing_Date: string | null;
  Type: string | null;
  /** ms since the epoch, whole seconds. */
  modifiedAt: number;
}

export interface ZohoUser {
  id: string;
  full_name: string;
  email: string;
  status: 'active' | 'disabled';
}

export interface ZohoNote {
  id: string;
  Note_Title: string;
  Note_Content: string;
  Parent_Id: { module: { api_name: string }; id: string };
  Owner: { id: string };
}

export interface ZohoTask {
  id: string;
  Subject: string;
  Description: string;
  Due_Date: string | null;
  What_Id: { id: string };
  $se_module: string;
}

export interface ZohoStage {
  actual_value: string;
  forecast_type: 'Open' | 'Closed Won' | 'Closed Lost';
}

type Row = Record<string, unknown>;

const two = (n: number) => String(n).padStart(2, '0');

export class ZohoFake {
  readonly deals = new Map<string, ZohoDeal>();
  readonly deleted: { id: string; display_name: string; type: 'recycle'; deleted_time: number }[] = [];
  readonly users = new Map<string, ZohoUser>();
  readonly pipelines: { id: string; display_value: string; default: boolean; stages: ZohoStage[] }[] = [];
  readonly notes = new Map<string, ZohoNote>();
  readonly tasks = new Map<string, ZohoTask>();
  readonly client = { id: '1000.K7Q2ZP4XW1M8N3B6V9C0L5J2H4G7F1', secret: '3f9c1e7a5b2d8f4a6c0e9b1d7f3a5c8e2b4d6f8a0c', refreshToken: `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}` };
  readonly accessTokens = new Map<string, number>();
  readonly log: { method: string; path: string; status: number }[] = [];
  /** Every COQL statement asked, as sent. */
  readonly queries: string[] = [];
  readonly settings = { offsetMinutes: 60, homeCurrency: 'EUR', rateLimit: null as { everyNth: number } | null, notesDenied: false, apiOff: false };
  currentUserId = '';
  failListingAfter: number | null = null;
  requestCount = 0;
  private nextId = 5_725_767_000_000_549_001n;

  newId(): string {
    this.nextId += 1n;
    return String(this.nextId);
  }

  /** A time as Zoho answers it: whole seconds, in the org's zone, with its offset. */
  zohoTime(ms: number): string {
    const offset = this.settings.offsetMinutes;
    const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000);
    const sign = offset >= 0 ? '+' : '-';
    return `${local.toISOString().slice(0, 19)}${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  }

  addDeal(fields: Omit<ZohoDeal, 'id' | 'modifiedAt'>, modifiedAtMs: number): ZohoDeal {
    const deal: ZohoDeal = { ...fields, id: this.newId(), modifiedAt: Math.floor(modifiedAtMs / 1000) * 1000 };
    this.deals.set(deal.id, deal);
    return deal;
  }

  editDeal(id: string, fields: Partial<ZohoDeal>, modifiedAtMs = Date.now()): void {
    const deal = this.deals.get(id);
    if (!deal) throw new Error(`no deal ${id}`);
    Object.assign(deal, fields, { modifiedAt: Math.floor(modifiedAtMs / 1000) * 1000 });
  }

  issueAccessToken(): string {
    const token = `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(token, Date.now() + 3_600_000);
    return token;
  }

  /** A deal as the API answers it (every field; COQL answers the selected ones). */
  record(deal: ZohoDeal): Row {
    const { modifiedAt, ...fields } = deal;
    return { ...fields, Modified_Time: this.zohoTime(modifiedAt) };
  }

  limited(): boolean {
    this.requestCount += 1;
    const limit = this.settings.rateLimit;
    return limit !== null && this.requestCount % limit.everyNth === 0;
  }
}

/** A COQL statement this fake understands, or the SYNTAX_ERROR Zoho would answer. */
export interface CoqlQuery {
  fields: string[];
  module: string;
  where: (row: Row) => boolean;
  order: { field: string; desc: boolean }[];
  limit: number;
  count: boolean;
}

function compare(field: string, a: unknown, b: unknown): number {
  if (field === 'id') return BigInt(String(a)) < BigInt(String(b)) ? -1 : BigInt(String(a)) > BigInt(String(b)) ? 1 : 0;
  if (field.endsWith('_Time')) return Date.parse(String(a)) - Date.parse(String(b));
  return String(a ?? '').localeCompare(String(b ?? ''));
}

function criterion(text: string): (row: Row) => boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('(') && trimmed.endsWith(')')) return criterion(trimmed.slice(1, -1));
  const and = /^(.+?)\s+and\s+(.+)$/i.exec(trimmed);
  if (and) {
    const [left, right] = [criterion(and[1]!), criterion(and[2]!)];
    return (row) => left(row) && right(row);
  }
  const notNull = /^(\w+)\s+is\s+not\s+null$/i.exec(trimmed);
  if (notNull) return (row) => row[notNull[1]!] !== null && row[notNull[1]!] !== undefined;
  const atom = /^(\w+)\s*(>=|<=|=|>|<)\s*'([^']*)'$/.exec(trimmed);
  if (!atom) throw new Error(`SYNTAX_ERROR near "${trimmed}"`);
  const [, field, op, value] = atom as unknown as [string, string, string, string];
  const test = { '>=': (c: number) => c >= 0, '<=': (c: number) => c <= 0, '=': (c: number) => c === 0, '>': (c: number) => c > 0, '<': (c: number) => c < 0 }[op]!;
  return (row) => row[field] !== undefined && row[field] !== null && test(compare(field, row[field], value));
}

export function parseCoql(query: string): CoqlQuery {
  const match = /^select\s+(.+?)\s+from\s+(\w+)(?:\s+where\s+(.+?))?(?:\s+order\s+by\s+(.+?))?(?:\s+limit\s+(\d+))?\s*$/i.exec(query.trim());
  if (!match) throw new Error('SYNTAX_ERROR');
  const [, select, module, where, order, limit] = match as unknown as [string, string, string, string | undefined, string | undefined, string | undefined];
  // A query without WHERE is refused ("where" is mandatory, as Zoho's examples add "where id is not null").
  if (!where) throw new Error('SYNTAX_ERROR: where clause is missing');
  const fields = select.split(',').map((field) => field.trim());
  const orderBy = (order ?? 'id asc').split(',').map((part) => {
    const [field, direction] = part.trim().split(/\s+/);
    return { field: field!, desc: (direction ?? 'asc').toLowerCase() === 'desc' };
  });
  if (orderBy.length > 10) throw new Error('LIMIT_EXCEEDED: order by');
  const size = Number(limit ?? 200);
  if (size > 2000) throw new Error('LIMIT_EXCEEDED: limit');
  return { fields, module, where: criterion(where), order: orderBy, limit: size, count: /^count\(id\)$/i.test(select.trim()) };
}

export function runCoql(query: CoqlQuery, rows: Row[]): Row[] {
  const matching = rows.filter(query.where);
  if (query.count) return [{ 'COUNT(id)': matching.length }];
  matching.sort((a, b) => {
    for (const { field, desc } of query.order) {
      const c = compare(field, a[field], b[field]);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });
  return matching.slice(0, query.limit).map((row) => Object.fromEntries(query.fields.map((field) => [field, row[field] ?? null])));
}
