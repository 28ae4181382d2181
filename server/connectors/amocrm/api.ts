import { ConnectorError, excerpt, redact } from '../errors';
import { retryAfterMs, Spacing, type ConnectorHttp, type HttpAnswer, type RetryVerdict } from '../http';

// amoCRM / Kommo API v4 with a long-lived token (an integration's "Keys and scopes" tab): `Authorization: Bearer`,
// JSON in and out, HAL lists. What its answers mean follows amocrm/amocrm-api-php (Client/AmoCRMApiRequest.php):
// 204 No Content is an empty list or a record that is not there; 401 a bad, revoked or expired token, which a
// long-lived token cannot refresh; errors are RFC 7807 bodies {title, type, status, detail}, plus `validation-errors`
// for a 400. At most 7 requests per second (developers.kommo.com/docs/limitations): requests are spaced here, and a
// 429, which carries no Retry-After, waits one second, the limit's window.

const spacingMs = Math.ceil(1000 / 7);
const rateLimitWaitMs = 1000;

interface Problem {
  title?: string;
  detail?: string;
  'validation-errors'?: { errors?: { path?: string; detail?: string }[] }[];
}

function parse(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}

export class AmoApi {
  private readonly spacing = new Spacing(spacingMs);

  constructor(
    private readonly origin: string,
    private readonly token: string,
    private readonly http: ConnectorHttp,
  ) {}

  /** One call; null for 204 No Content. Throws ConnectorError with words an admin can act on. */
  async call(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<unknown> {
    await this.pace();
    const answer = await this.http.request(
      {
        method,
        url: `${this.origin}${path}`,
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      rateLimited,
    );
    if (answer.status === 204) return null;
    const json = parse(answer);
    if (answer.status >= 200 && answer.status < 300 && json !== undefined) return json;
    throw this.failure(answer, json as Problem | undefined, method, path.split('?')[0]!);
  }

  /** Keeps requests at most 7 a second (each waits ~143 ms after the one before it, never longer). */
  private async pace(): Promise<void> {
    const wait = this.spacing.take();
    if (wait > 0) await this.http.sleep(wait);
  }

  private failure(answer: HttpAnswer, body: Problem | undefined, method: string, path: string): ConnectorError {
    const said = redact(
      [body?.title, body?.detail, ...(body?.['validation-errors'] ?? []).flatMap((v) => (v.errors ?? []).map((e) => `${e.path ?? ''}: ${e.detail ?? ''}`))]
        .filter(Boolean)
        .join(': ') || excerpt(answer.text),
      [this.token],
    );
    switch (answer.status) {
      case 401:
        return new ConnectorError('bad_credential', `amoCRM refused the token (${said || 'HTTP 401'}): it is wrong, revoked or expired. Make a new long-lived token in the integration's "Keys and scopes" tab, put it in HEADWAY_CRM_SECRET and run crm connect again.`);
      case 402:
        return new ConnectorError('api_off', `The amoCRM account is not paid (HTTP 402${said ? `: ${said}` : ''}); its API answers again once the subscription is renewed.`);
      case 403:
        return new ConnectorError('missing_rights', `amoCRM does not let Headway do this (${method} ${path}: ${said || 'HTTP 403'}). Give the user who made the integration's token the rights to view leads and add notes and tasks (and edit leads, for approved moves); if amoCRM blocked this server's IP address after too many requests, it lifts the block by itself.`);
      case 404:
        return new ConnectorError('api_off', `${this.origin} has no amoCRM API v4 at ${path} (HTTP 404). Give the account's own address, such as https://acme.amocrm.ru or https://acme.kommo.com.`);
      case 400:
        return new ConnectorError('rejected', `amoCRM refused ${method} ${path}: ${said}`);
      default:
        return new ConnectorError('bad_response', `amoCRM answered HTTP ${answer.status} to ${method} ${path}: ${said}`);
    }
  }
}

function rateLimited(answer: HttpAnswer): RetryVerdict {
  if (answer.status !== 429) return { retry: false };
  return { retry: true, afterMs: retryAfterMs(answer.headers.get('retry-after')) ?? rateLimitWaitMs };
}
