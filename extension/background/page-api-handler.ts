import { ApiFailure, createServerApi } from '../api';
import type { Connection } from './connection';
import { clientSays } from '../reader-language';
import { checkRead, checkWrite, CSV_ROUTE_TIMEOUT_MS, type ApiGetRequest, type ApiPostRequest, type ApiResult } from '../page-api';

/**
 * The background's side of extension/page-api.ts: checks the request against the allowlist, asks the server
 * with the stored token, and answers with data parsed by the route's schema or a sentence to show.
 */
export async function answerPageApi(
  connection: Pick<Connection, 'session' | 'check'>,
  request: ApiGetRequest | ApiPostRequest,
  fetchImpl?: typeof fetch,
): Promise<ApiResult> {
  const checked = request.type === 'api-get' ? checkRead(request.path) : checkWrite(request.method, request.path, request.body);
  if (!checked.ok) return { ok: false, message: checked.message, status: null };
  const session = await connection.session();
  if (!session) return { ok: false, message: clientSays('notConnected'), status: null };
  if (session.state === 'unauthorized') {
    return { ok: false, message: clientSays('deviceRevoked'), status: 401 };
  }
  const api = createServerApi({ baseUrl: session.serverUrl, token: session.token, fetch: fetchImpl, timeoutMs: checked.csv ? CSV_ROUTE_TIMEOUT_MS : 15_000 });
  try {
    const data = await api.request(checked.method, checked.path, checked.response, checked.body, checked.csv ? 'csv' : 'json');
    return { ok: true, data };
  } catch (failure) {
    if (failure instanceof ApiFailure) {
      // The connection state follows: a revoked token or a stopped server shows on every page, not just here.
      if (failure.kind === 'unauthorized' || failure.kind === 'unreachable') void connection.check().catch(() => undefined);
      return { ok: false, message: failure.message, status: failure.status ?? null, ...(failure.issues ? { issues: failure.issues } : {}) };
    }
    return { ok: false, message: clientSays('askFailed'), status: null };
  }
}
