import { z } from 'zod';
import { answerSchema, pathOf } from '../core/api/route';
import { routes } from '../core/api/routes';
import { ApiError, type PairRequest, type UserLocale } from '../core/schema';

/**
 * Typed client for the Headway server. Every answer is parsed with the shared zod schemas, every call has a
 * timeout, and every failure becomes an ApiFailure with a sentence a sales manager can act on.
 */

export type ApiFailureKind = 'unreachable' | 'unauthorized' | 'rejected' | 'bad-response';

export class ApiFailure extends Error {
  constructor(
    readonly kind: ApiFailureKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
    /** The ApiError's issues (zod issues, or an import's bad rows). */
    readonly issues?: unknown[],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface ServerApiOptions {
  baseUrl: string;
  token?: string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type ServerApi = ReturnType<typeof createServerApi>;

export function createServerApi({ baseUrl, token, fetch: doFetch = globalThis.fetch, timeoutMs = 8000 }: ServerApiOptions) {
  async function call<T>(path: string, schema: z.ZodType<T> | null, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    if (token) headers.set('authorization', `Bearer ${token}`);
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new ApiFailure('unreachable', `Can’t reach the Headway server at ${baseUrl}. Check the address and that the server is running.`);
    }
    const body: unknown = response.status === 204 ? null : await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = ApiError.safeParse(body);
      const message = error.success ? error.data.message : `The server answered ${response.status}.`;
      const kind = response.status === 401 ? 'unauthorized' : 'rejected';
      throw new ApiFailure(kind, message, response.status, error.success ? error.data.error : undefined, error.success ? error.data.issues : undefined);
    }
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiFailure('bad-response', `The server at ${baseUrl} answered in a way Headway does not understand. Is it a Headway server of a matching version?`);
    }
    return parsed.data;
  }

  return {
    baseUrl,
    healthz: () => call(pathOf(routes.health), answerSchema(routes.health)),
    pair: (request: PairRequest) => call(pathOf(routes.pair), answerSchema(routes.pair), { method: routes.pair.method, body: JSON.stringify(request) }),
    me: () => call(pathOf(routes.me), answerSchema(routes.me)),
    setLocale: (locale: UserLocale | null) =>
      call(pathOf(routes.setLocale), answerSchema(routes.setLocale), { method: routes.setLocale.method, body: JSON.stringify({ locale }) }),
    config: () => call(pathOf(routes.config), answerSchema(routes.config)),
    revokeSession: () => call(pathOf(routes.revokeSession), null, { method: routes.revokeSession.method }),
    /** Any route, for the extension pages' allowlisted reads and actions (extension/page-api.ts checks them first). */
    request: <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, schema: z.ZodType<T>, body?: unknown, as: 'json' | 'csv' = 'json') =>
      call(
        path,
        schema,
        method === 'GET'
          ? {}
          : method === 'DELETE'
            ? { method }
            : as === 'csv'
              ? { method, body: String(body), headers: { 'content-type': 'text/csv' } }
              : { method, body: JSON.stringify(body ?? {}) },
      ),
  };
}

/**
 * Turns what someone typed into a base URL without trailing slash. A bare host gets https://, except a
 * loopback host, which a self-hosted trial almost always serves over plain http.
 */
export function normalizeServerUrl(input: string): { ok: true; url: string } | { ok: false; message: string } {
  const typed = input.trim();
  if (!typed) return { ok: false, message: 'Enter the address of your Headway server, such as https://headway.example.com.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed)
    ? typed
    : `${/^(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/i.test(typed) ? 'http' : 'https'}://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: `"${typed}" is not a web address. It looks like https://headway.example.com.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: 'The server address must start with https:// (or http:// on your own network).' };
  }
  if (url.username || url.password) return { ok: false, message: 'Leave the user name and password out of the server address.' };
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
