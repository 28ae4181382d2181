import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, retryAfterMs, type ConnectorHttp, type HttpAnswer, type RetryVerdict } from '../http';

// Pipedrive's API with a user's personal API token, sent in the `x-api-token` header (never in the URL, where
// proxies log it), to the company's own domain (https://<company>.pipedrive.com/api/v1|v2/…). Answers are
// {success: true, data, additional_data}; failures {success: false, error, error_info, data: null} with the HTTP
// status saying what (pipedrive/client-nodejs src/versions/v1/base.ts and the API reference): 401 a wrong or
// revoked token, 402 a company whose subscription ended, 403 a user without the permission, 404 a record not there.
// Rate limits (pipedrive.readme.io/docs/core-api-concepts-rate-limiting): a burst limit per token over a rolling
// 2-second window and, with token-based limits, a daily budget; both answer 429 with x-ratelimit-limit,
// x-ratelimit-remaining and x-ratelimit-reset (seconds until the window resets). The wait is Retry-After when sent,
// else x-ratelimit-reset, else the 2-second window.

const burstWindowMs = 2000;

interface PipedriveFailure {
  success?: boolean;
  error?: string;
  error_info?: string;
}

export interface PipedriveAnswer<T> {
  success: true;
  data: T;
  additional_data?: { next_cursor?: string | null; pagination?: { more_items_in_collection?: boolean; next_start?: number } };
}

export function rateLimitVerdict(answer: HttpAnswer): RetryVerdict {
  if (answer.status !== 429) return { retry: false };
  const reset = answer.headers.get('x-ratelimit-reset');
  const afterMs = retryAfterMs(answer.headers.get('retry-after')) ?? (reset !== null && /^\d+$/.test(reset.trim()) ? Number(reset.trim()) * 1000 : burstWindowMs);
  return { retry: true, afterMs };
}

export class PipedriveApi {
  constructor(
    private readonly origin: string,
    private readonly token: string,
    private readonly http: ConnectorHttp,
  ) {}

  /** One call; null for a 404 when `missingIsNull`. Throws ConnectorError with words an admin can act on. */
  async call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, options: { missingIsNull?: boolean } = {}): Promise<PipedriveAnswer<T> | null> {
    const answer = await this.http.request(
      {
        method,
        url: `${this.origin}${path}`,
        headers: { 'x-api-token': this.token, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      rateLimitVerdict,
    );
    const json = parseJson(answer) as (PipedriveAnswer<T> & PipedriveFailure) | undefined;
    if (answer.status >= 200 && answer.status < 300 && json?.success === true) return json;
    if (answer.status === 404 && options.missingIsNull && json !== undefined) return null;
    throw this.failure(answer, json, method, path.split('?')[0]!);
  }

  private failure(answer: HttpAnswer, body: PipedriveFailure | undefined, method: string, path: string): ConnectorError {
    if (body === undefined) {
      return new ConnectorError('api_off', `No Pipedrive API answers at ${this.origin} (HTTP ${answer.status} to ${method} ${path}: ${excerpt(redact(answer.text, [this.token]), 120)}). Give the company's address, such as https://acme.pipedrive.com.`);
    }
    const said = redact(body.error || excerpt(answer.text), [this.token]);
    switch (answer.status) {
      case 401:
        return new ConnectorError('bad_credential', `Pipedrive refused the API token (${said}). Copy the token from Personal preferences → API in Pipedrive into HEADWAY_CRM_SECRET and run crm connect again.`);
      case 402:
        return new ConnectorError('api_off', `The Pipedrive company's subscription has ended (HTTP 402: ${said}); its API answers again once it is renewed.`);
      case 403:
        return new ConnectorError('missing_rights', `The Pipedrive user whose token Headway uses may not do ${method} ${path} (${said}). Give that user visibility of every deal and the right to add notes and activities (README, "Connect Pipedrive").`);
      case 404:
        return new ConnectorError('not_found', `Pipedrive: ${method} ${path}: ${said}`);
      case 400:
      case 422:
        return new ConnectorError('rejected', `Pipedrive refused ${method} ${path}: ${said}`);
      default:
        return new ConnectorError('bad_response', `Pipedrive answered HTTP ${answer.status} to ${method} ${path}: ${said}`);
    }
  }
}
