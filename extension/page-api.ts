import { z } from 'zod';
import { answerSchema, type AnswerSchema, type RouteDescriptor } from '../core/api/route';
import { routes } from '../core/api/routes';

/**
 * How extension pages (the dashboard, the popup) read and change the server through the background, which holds
 * the token. Only the routes listed here pass; a query or body is checked with the route's own schema (from its
 * descriptor, core/api/routes.ts) before it leaves the browser, and every answer is parsed with the route's response
 * schema in the background.
 */

/** The reads pages may make. */
export const READ_ROUTES = [
  routes.progress,
  routes.progressDeals,
  routes.plans,
  routes.load,
  routes.moves,
  routes.users,
  routes.settings,
  routes.dealHistory,
  routes.crmConnections,
] as const;
export type ReadRoute = (typeof READ_ROUTES)[number];
/** What a route answers, parsed. */
export type ReadAnswer<R extends RouteDescriptor> = z.infer<AnswerSchema<R>>;
export type ReadQuery<R extends ReadRoute> = R extends { query: infer Q extends z.ZodType } ? z.input<Q> : Record<string, never>;

const noQuery = z.object({});
const queryOf = (route: RouteDescriptor): z.ZodObject => route.query ?? noQuery;

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
 * The few actions a head of sales takes from the dashboard. Path parameters match PATH_ID. A route with a query
 * takes those query parameters (checked by that schema) and no others; CSV routes send the file as text/csv, checked
 * here against the size a page may send.
 */
export const WRITE_ROUTES = [
  routes.proposeMove,
  routes.approveMove,
  routes.dismissMove,
  routes.createPlan,
  routes.updatePlan,
  routes.deletePlan,
  routes.importPlans,
  routes.approveMoves,
  routes.importDeals,
] as const;
export type WriteRoute = (typeof WRITE_ROUTES)[number];
/** What a page sends as the body: the route's JSON body, or a CSV file's text. */
export type WriteBody<R extends WriteRoute> = R extends { body: 'csv' } ? string : R extends { body: infer B extends z.ZodType } ? z.input<B> : Record<string, never>;

const csvLimits = new Map<RouteDescriptor, z.ZodType<string>>([
  [routes.importPlans, PlanCsv],
  [routes.importDeals, DealCsv],
]);

/** The body schema a page's action is checked with: the route's own, or the CSV size a page may send. */
function bodyOf(route: RouteDescriptor): z.ZodType {
  if (route.body === 'csv') {
    const limit = csvLimits.get(route);
    if (!limit) throw new Error(`${route.method} ${route.path} takes a CSV file: give it a size limit in extension/page-api.ts`);
    return limit;
  }
  return route.body === undefined || route.body === 'form' ? z.object({}).strict() : route.body;
}

/** `/api/plans/:id` -> /^\/api\/plans\/([^/]+)$/ */
function patternOf(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '([^/]+)')}$`);
}
const writePatterns = WRITE_ROUTES.map((route) => ({ route, pattern: patternOf(route.path), body: bodyOf(route) }));

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
  const route: RouteDescriptor | undefined = READ_ROUTES.find((read) => read.path === url.pathname);
  if (!route) return { ok: false, message: `Headway pages may not read ${url.pathname}.` };
  const schema = queryOf(route);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in query || !(key in schema.shape)) return { ok: false, message: `${url.pathname} takes no “${key}” parameter here.` };
    query[key] = value;
  }
  if (!schema.safeParse(query).success) return { ok: false, message: `The filters for ${url.pathname} are not valid.` };
  return { ok: true, method: 'GET', path: `${url.pathname}${url.search}`, response: answerSchema(route) };
}

/** Checks an action against the allowlist; the body is parsed (defaults applied) by the route's own schema. */
export function checkWrite(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown): Checked {
  const [pathname = '', search = ''] = path.split('?', 2);
  for (const { route, pattern, body: bodySchema } of writePatterns) {
    if (route.method !== method) continue;
    const match = pattern.exec(pathname);
    if (!match) continue;
    if (match.slice(1).some((param) => !PATH_ID.test(param))) return { ok: false, message: 'That is not a Headway id.' };
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
    const csv = (route as RouteDescriptor).body === 'csv';
    const parsed = bodySchema.safeParse(body ?? (csv ? '' : {}));
    if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => issue.message).join('; ') };
    return { ok: true, method, path, body: parsed.data, response: answerSchema(route), ...(csv ? { csv: true as const } : {}) };
  }
  return { ok: false, message: `Headway pages may not ${method} ${path}.` };
}
