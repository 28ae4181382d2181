import { z } from 'zod';
import {
  ConnectionsResponse,
  DealHistoryQuery,
  DealHistoryResponse,
  DealImportQuery,
  DealImportResult,
  Id,
  ImportResult,
  LoadQuery,
  LoadResponse,
  MoveDecision,
  MoveProposal,
  MoveRecord,
  MovesQuery,
  MovesApproval,
  MovesResponse,
  PlanCreate,
  PlanImportQuery,
  PlanResponse,
  PlansQuery,
  PlansResponse,
  PlanUpdate,
  ProgressDealsQuery,
  ProgressDealsResponse,
  ProgressQuery,
  ProgressResponse,
  Settings,
  User,
} from '../core/schema';

/**
 * How extension pages (the dashboard, the popup) read and change the server through the background, which holds
 * the token. Only the routes listed here pass; a query or body is checked with the route's own schema before it
 * leaves the browser, and every answer is parsed with the route's response schema in the background.
 */

/** Read routes: path → query schema and answer schema. */
export const READ_ROUTES = {
  '/api/progress': { query: ProgressQuery, response: ProgressResponse },
  '/api/progress/deals': { query: ProgressDealsQuery, response: ProgressDealsResponse },
  '/api/plans': { query: PlansQuery, response: PlansResponse },
  '/api/load': { query: LoadQuery, response: LoadResponse },
  '/api/moves': { query: MovesQuery, response: MovesResponse },
  '/api/users': { query: z.object({}), response: z.object({ users: z.array(User) }) },
  '/api/settings': { query: z.object({}), response: Settings },
  '/api/deals/history': { query: DealHistoryQuery, response: DealHistoryResponse },
  '/api/crm/connections': { query: z.object({}), response: ConnectionsResponse },
} as const;
export type ReadPath = keyof typeof READ_ROUTES;
export type ReadAnswer<P extends ReadPath> = z.infer<(typeof READ_ROUTES)[P]['response']>;
export type ReadQuery<P extends ReadPath> = z.input<(typeof READ_ROUTES)[P]['query']>;

/** Server ids are UUIDs or similar tokens; anything else cannot name a path segment. */
const PATH_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** A plans CSV as the dashboard sends it; the server refuses anything over its own body limit too. */
export const PlanCsv = z.string().min(1, 'choose a CSV file').max(1_000_000, 'the file is over 1 MB; split it');

/**
 * A deals CSV as the dashboard sends it: it travels as one extension message, so bigger exports go through
 * `npm run server -- deals import`, which streams a file of any size.
 */
export const DEALS_CSV_DASHBOARD_LIMIT = 32_000_000;
export const DealCsv = z
  .string()
  .min(1, 'choose a CSV file')
  .max(DEALS_CSV_DASHBOARD_LIMIT, 'the file is over 32 MB: import it with npm run server -- deals import (see the README)');

/** An import may take a while on a big file; the background waits this long for its answer, not the usual 15 s. */
export const CSV_ROUTE_TIMEOUT_MS = 300_000;

/**
 * The few actions a head of sales takes from the dashboard. `:id` matches PATH_ID. A route with `query` takes those
 * query parameters (checked by that schema) and no others; `csv` routes send the body as text/csv.
 */
export const WRITE_ROUTES = [
  { method: 'POST', pattern: /^\/api\/moves$/, body: MoveProposal, response: MoveRecord },
  { method: 'POST', pattern: /^\/api\/moves\/([^/]+)\/approve$/, body: MoveDecision, response: MoveRecord },
  { method: 'POST', pattern: /^\/api\/moves\/([^/]+)\/dismiss$/, body: MoveDecision, response: MoveRecord },
  { method: 'POST', pattern: /^\/api\/plans$/, body: PlanCreate, response: PlanResponse },
  { method: 'PUT', pattern: /^\/api\/plans\/([^/]+)$/, body: PlanUpdate, response: PlanResponse },
  { method: 'DELETE', pattern: /^\/api\/plans\/([^/]+)$/, body: z.object({}).strict(), response: z.object({ deleted: Id }) },
  { method: 'POST', pattern: /^\/api\/plans\/import$/, query: PlanImportQuery, csv: true, body: PlanCsv, response: ImportResult },
  { method: 'POST', pattern: /^\/api\/moves\/approve$/, body: MovesApproval, response: MovesResponse },
  { method: 'POST', pattern: /^\/api\/deals\/import$/, query: DealImportQuery, csv: true, body: DealCsv, response: DealImportResult },
] as const;

/** The longest path with query an extension page may send through the background. */
export const API_PATH_LIMIT = 12_000;

export const ApiGetRequest = z.object({ type: z.literal('api-get'), path: z.string().min(1).max(2000) });
export const ApiPostRequest = z.object({
  type: z.literal('api-post'),
  method: z.enum(['POST', 'PUT', 'DELETE']).default('POST'),
  // Room for a deals import's mapping in its query (?map=, value maps included), within the 16 KB a Node server
  // takes for a request's head.
  path: z.string().min(1).max(API_PATH_LIMIT),
  body: z.unknown(),
});
export type ApiGetRequest = z.infer<typeof ApiGetRequest>;
export type ApiPostRequest = z.infer<typeof ApiPostRequest>;

/** What the background answers: the parsed data, or a sentence to show. Never the token, never a raw error. */
export const ApiResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({
    ok: z.literal(false),
    message: z.string(),
    status: z.number().int().nullable(),
    /** The server's ApiError issues, e.g. every bad row of a refused import. */
    issues: z.array(z.unknown()).optional(),
  }),
]);
export type ApiResult = z.infer<typeof ApiResult>;

export type Checked =
  | { ok: true; path: string; method: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: unknown; csv?: true; response: z.ZodType }
  | { ok: false; message: string };

/** Checks a read against the allowlist and its query schema; the path returned is what the server is asked. */
export function checkRead(path: string): Checked {
  // A relative path only: "//host" or "http:" would let a page point the token elsewhere.
  if (!path.startsWith('/api/') || path.includes('\\') || path.includes('#')) return { ok: false, message: `Headway pages may not read ${path}.` };
  const url = new URL(path, 'http://headway.invalid');
  if (url.host !== 'headway.invalid') return { ok: false, message: `Headway pages may not read ${path}.` };
  const route = (READ_ROUTES as Record<string, (typeof READ_ROUTES)[ReadPath]>)[url.pathname];
  if (!route) return { ok: false, message: `Headway pages may not read ${url.pathname}.` };
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in query || !(key in route.query.shape)) return { ok: false, message: `${url.pathname} takes no “${key}” parameter here.` };
    query[key] = value;
  }
  if (!route.query.safeParse(query).success) return { ok: false, message: `The filters for ${url.pathname} are not valid.` };
  return { ok: true, method: 'GET', path: `${url.pathname}${url.search}`, response: route.response };
}

/** Checks an action against the allowlist; the body is parsed (defaults applied) by the route's own schema. */
export function checkWrite(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown): Checked {
  const [pathname = '', search = ''] = path.split('?', 2);
  for (const route of WRITE_ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    if (match[1] !== undefined && !PATH_ID.test(match[1])) return { ok: false, message: 'That is not a Headway id.' };
    if (search !== '') {
      if (!('query' in route)) return { ok: false, message: `${pathname} takes no parameters here.` };
      const query: Record<string, string> = {};
      for (const [key, value] of new URLSearchParams(search)) {
        if (key in query || !(key in route.query.shape)) return { ok: false, message: `${pathname} takes no “${key}” parameter here.` };
        query[key] = value;
      }
      const options = route.query.safeParse(query);
      // The schema's own sentences (a deals mapping says which field is wrong and how), not a bare "not valid".
      if (!options.success) return { ok: false, message: `The options for ${pathname} are not valid: ${options.error.issues.map((issue) => issue.message).join('; ')}.` };
    }
    const parsed = (route.body as z.ZodType).safeParse(body ?? ('csv' in route ? '' : {}));
    if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => issue.message).join('; ') };
    return { ok: true, method, path, body: parsed.data, response: route.response, ...('csv' in route ? { csv: true as const } : {}) };
  }
  return { ok: false, message: `Headway pages may not ${method} ${path}.` };
}

/** Builds "/api/progress?period=month&kind=sale" from a typed query, leaving out empty values. */
export function readPath<P extends ReadPath>(path: P, query: ReadQuery<P>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
