import { z } from 'zod';
import { answerSchema, pathOf } from '../core/api/route';
import { routes } from '../core/api/routes';
import { translator, type Locale } from '../core/i18n';
import { ApiError, type PairRequest, type UserLocale } from '../core/schema';
import { clientMessages } from './i18n';
import { backgroundLocale } from './reader-language';

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
  /** The language of the failures worded here; the background's reader's by default (reader-language.ts). */
  locale?: Locale;
}

export type ServerApi = ReturnType<typeof createServerApi>;

export function createServerApi({ baseUrl, token, fetch: doFetch = globalThis.fetch, timeoutMs = 8000, locale }: ServerApiOptions) {
  const t = () => translator(clientMessages, locale ?? backgroundLocale());
  async function call<T>(path: string, schema: z.ZodType<T> | null, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    if (token) headers.set('authorization', `Bearer ${token}`);
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new ApiFailure('unreachable', t()('unreachable', { server: baseUrl }));
    }
    const body: unknown = response.status === 204 ? null : await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = ApiError.safeParse(body);
      const message = error.success ? error.data.message : t()('answeredStatus', { status: response.status });
      const kind = response.status === 401 ? 'unauthorized' : 'rejected';
      throw new ApiFailure(kind, message, response.status, error.success ? error.data.error : undefined, error.success ? error.data.issues : undefined);
    }
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiFailure('bad-response', t()('notUnderstood', { server: baseUrl }));
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
export function normalizeServerUrl(input: string, locale: Locale = backgroundLocale()): { ok: true; url: string } | { ok: false; message: string } {
  const t = translator(clientMessages, locale);
  const typed = input.trim();
  if (!typed) return { ok: false, message: t('addressEmpty') };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed)
    ? typed
    : `${/^(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/i.test(typed) ? 'http' : 'https'}://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: t('addressInvalid', { typed }) };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: t('addressScheme') };
  }
  if (url.username || url.password) return { ok: false, message: t('addressCredentials') };
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
