import type { z } from 'zod';
import { Role } from '../schema';

/**
 * What one HTTP route of the sync server is, declared once: the server's guard (server/http/guard.ts), its access
 * policy, the OpenAPI description and the clients' paths are all read from these (see ./routes.ts). Framework-free,
 * like the rest of core/, so the extension can name a route without importing the server.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Who may call a route. */
export interface RouteAccess {
  /** No device token needed; anyone on the network may call it (rate limits and CORS still apply). */
  anonymous?: true;
  /** Roles whose device token is accepted; for anonymous routes every role, since a token is simply ignored. */
  roles: readonly Role[];
  /** A CRM's workflow may call it with a service token (server/auth/service-tokens). */
  service?: true;
  /** Why this is the rule, in one sentence. */
  note: string;
}

export type MediaType = 'application/json' | 'text/csv' | 'text/html';

export interface Answer {
  description: string;
  /** JSON answers: the schema; documents (CSV, HTML): their media types. Omitted: no body (204). */
  schema?: z.ZodType;
  documents?: readonly MediaType[];
}

export interface RouteDescriptor {
  method: HttpMethod;
  /** As Hono registers it: `/api/plans/:id`. */
  path: string;
  access: RouteAccess;
  summary: string;
  /** A page for the browser (the demo CRM), left out of the API description. */
  page?: true;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON body, `'csv'` for the import routes (the file itself, text/csv), `'form'` for a CRM's form-encoded event. */
  body?: z.ZodType | 'csv' | 'form';
  /** Optional body (move decisions): the route also takes none. */
  bodyOptional?: true;
  /** 2xx (and 3xx) answers by status. */
  ok: Readonly<Record<number, Answer>>;
  /** 4xx answers beyond the ones every route of its kind has (server/openapi/document.ts): a specific 400/404/409 and why. */
  errors?: Readonly<Record<number, string | { description: string; schema: z.ZodType }>>;
}

/** Every role: the routes everyone signed in may call. */
export const EVERYONE: readonly Role[] = Role.options;

/** `METHOD /path/:param`, exactly as Hono lists a registered route. */
export function routeKey(route: Pick<RouteDescriptor, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

type AnswerOf<R> = R extends { ok: infer Ok } ? Ok[keyof Ok] : never;
/** The schema of a route's JSON success answer(s). */
export type AnswerSchema<R> = Extract<AnswerOf<R>, { schema: z.ZodType }>['schema'];

/** The schema a client parses a route's success answer with (its first 2xx answer that has a JSON schema). */
export function answerSchema<R extends RouteDescriptor>(route: R): AnswerSchema<R> {
  const answer = Object.values(route.ok).find((ok) => ok.schema !== undefined);
  if (!answer?.schema) throw new Error(`${routeKey(route)} answers no JSON`);
  return answer.schema as AnswerSchema<R>;
}

type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

/** The path parameters a route's path names, as strings. */
export type PathParams<Path extends string> = { [Name in ParamNames<Path>]: string };

/**
 * The path a client asks for: `/api/plans/:id` with `{ id: 'p 1' }` -> `/api/plans/p%201`, then `?query` when given
 * (empty values left out).
 */
export function pathOf<R extends Pick<RouteDescriptor, 'path'>>(
  route: R,
  ...[params, query]: [ParamNames<R['path']>] extends [never]
    ? [params?: Record<string, never>, query?: object]
    : [params: PathParams<R['path']>, query?: object]
): string {
  const filled = route.path.replace(/:([A-Za-z0-9_]+)/g, (_all, name: string) => {
    const value = (params as Record<string, string> | undefined)?.[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${route.path}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}
