import type { HeadwayApp } from '../../../server/app';
import { nodeEnvFor } from '../helpers';
import { renderJson } from './hostile';
import { fillPath, type AppRoute } from './routes';
import type { SampleRequest } from './samples';

export interface RawRequest {
  /** Path with params already filled (and encoded as the caller chose). */
  path: string;
  query?: Record<string, string> | [string, string][];
  token?: string | null;
  /** A JSON value, or a string sent as it is. */
  body?: { json: unknown } | { raw: string };
  contentType?: string | null;
  headers?: Record<string, string>;
}

/** Sends one request in process; every request comes from its own IP so the pairing rate limit stays out of the way. */
export function send(app: HeadwayApp, method: string, request: RawRequest): Promise<Response> {
  const url = new URL(`http://headway.test${request.path}`);
  const query = Array.isArray(request.query) ? request.query : Object.entries(request.query ?? {});
  for (const [name, value] of query) url.searchParams.append(name, value);
  const headers: Record<string, string> = { ...request.headers };
  // A route whose caller authenticates with its own Authorization (Pipedrive's Basic credentials) keeps it.
  if (request.token && headers.Authorization === undefined) headers.Authorization = `Bearer ${request.token}`;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (request.body && method !== 'GET' && method !== 'HEAD') {
    const text = 'json' in request.body ? renderJson(request.body.json) : request.body.raw;
    const contentType = request.contentType === undefined ? 'application/json' : request.contentType;
    // fetch labels a string body text/plain by itself; bytes go without any Content-Type, as null asks.
    if (contentType === null) body = new TextEncoder().encode(text);
    else {
      body = text;
      headers['Content-Type'] = contentType;
    }
  }
  return Promise.resolve(app.request(url.pathname + url.search, { method, headers, body }, nodeEnvFor()));
}

/** A sample's body and Content-Type as the route reads it: a CSV or form document as it is, else JSON. */
export function sampleBody(sample: Pick<SampleRequest, 'body' | 'csv' | 'form'>): Pick<RawRequest, 'body' | 'contentType'> {
  if (sample.csv !== undefined) return { body: { raw: sample.csv }, contentType: 'text/csv' };
  if (sample.form !== undefined) return { body: { raw: sample.form }, contentType: 'application/x-www-form-urlencoded' };
  return { body: sample.body === undefined ? undefined : { json: sample.body }, contentType: undefined };
}

export function sendSample(app: HeadwayApp, route: AppRoute, sample: SampleRequest, token: string | null): Promise<Response> {
  return send(app, route.method, {
    path: fillPath(route.path, sample.params),
    query: sample.query,
    token,
    headers: sample.headers,
    ...sampleBody(sample),
  });
}

/** The answer's body as JSON, or undefined when it has none or is not JSON. */
export async function jsonOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isJson(response: Response): boolean {
  return /^application\/json\b/i.test(response.headers.get('Content-Type') ?? '');
}
