/**
 * One JSON request to the sync server, classified by what the caller must do next. Never throws:
 * a network failure is an answer too ("offline"), and the outbox must never be lost to an exception.
 */
export type HttpOutcome =
  | { kind: 'ok'; body: unknown }
  /** The token was revoked or is unknown: stop and ask the user to pair again. */
  | { kind: 'unauthorized' }
  /** No answer at all (DNS, connection refused, timeout): retry later. */
  | { kind: 'offline'; message: string }
  /** 5xx, 429 or an unreadable body: the server is struggling, retry later. */
  | { kind: 'server-error'; status: number; message: string }
  /** Any other 4xx: the server understood and said no; retrying the same request will not help. */
  | { kind: 'refused'; status: number; body: unknown; message: string };

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export async function requestJson(
  fetchFn: FetchLike,
  url: string,
  init: { method: 'GET' | 'POST'; token: string; body?: unknown; timeoutMs: number },
): Promise<HttpOutcome> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: init.method,
      headers: {
        authorization: `Bearer ${init.token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      // A hung connection would otherwise hold the single-flight guard forever.
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (error) {
    return { kind: 'offline', message: errorMessage(error) };
  }
  if (response.status === 401) return { kind: 'unauthorized' };
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    return response.ok || response.status >= 500
      ? { kind: 'server-error', status: response.status, message: `unreadable response: ${errorMessage(error)}` }
      : { kind: 'refused', status: response.status, body: null, message: `HTTP ${response.status}` };
  }
  if (response.ok) return { kind: 'ok', body };
  const message = `HTTP ${response.status}${serverMessage(body)}`;
  if (response.status >= 500 || response.status === 429) return { kind: 'server-error', status: response.status, message };
  return { kind: 'refused', status: response.status, body, message };
}

function serverMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
    return `: ${body.message}`;
  }
  return '';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
