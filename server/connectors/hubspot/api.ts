import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, retryAfterMs, Spacing, type ConnectorHttp, type HttpAnswer, type RetryVerdict } from '../http';

// HubSpot's CRM API v3 with a private app's access token (`Authorization: Bearer`). What its answers mean follows
// HubSpot/hubspot-api-nodejs: errors are {status: "error", message, correlationId, category, subCategory?, errors?}
// (codegen/crm/deals/models/ModelError.ts); 401 a wrong or revoked token; 403 with category MISSING_SCOPES a token
// without the scope a call needs. A 429 says which limit it hit (src/services/decorators/RetryDecorator.ts):
// policyName TEN_SECONDLY_ROLLING (the app's burst limit, reset within X-HubSpot-RateLimit-Interval-Milliseconds,
// 10 s) or "You have reached your secondly limit." (the search endpoints' own few requests a second); a DAILY
// policy waits the backoff and, still refused, ends the sync (ConnectorHttp), which resumes at a later run. Search requests are spaced here
// to at most 4 a second, the search limit HubSpot announced (developers.hubspot.com/changelog/crm-search-api-rate-limit-increase).

const searchSpacingMs = 250;
const tenSecondlyWaitMs = 10_000;
const secondlyWaitMs = 1000;

interface HubSpotProblem {
  message?: string;
  category?: string;
  policyName?: string;
  errors?: { message?: string }[];
}

/** HubSpot's own app hosts (app.hubspot.com, app-eu1.hubspot.com…): their API is api.hubapi.com. */
const appHost = /^app(?:-[a-z]{2,3}\d+)?\.hubspot\.com$/;

/**
 * Where the API of a connection's instance answers: api.hubapi.com for a portal on HubSpot's app hosts (it serves
 * every data centre); any other origin is taken as the API itself (an API gateway the admin put in front, or a test's
 * contract fake), the way self-hosted CRMs' origins are.
 */
export function apiBaseOf(instance: string): string {
  const url = new URL(instance);
  return appHost.test(url.hostname) ? 'https://api.hubapi.com' : url.origin;
}

/** The portal id an instance names (https://app.hubspot.com/contacts/1234567), or null for an API origin. */
export function portalOf(instance: string): string | null {
  const url = new URL(instance);
  return appHost.test(url.hostname) ? (/^\/contacts\/(\d+)/.exec(url.pathname)?.[1] ?? null) : null;
}

export function rateLimitVerdict(answer: HttpAnswer): RetryVerdict {
  if (answer.status !== 429) return { retry: false };
  const said = retryAfterMs(answer.headers.get('retry-after'));
  if (said !== null) return { retry: true, afterMs: said };
  const body = parseJson(answer) as HubSpotProblem | undefined;
  if (body?.policyName === 'DAILY') return { retry: true, afterMs: null };
  if (body?.policyName === 'TEN_SECONDLY_ROLLING') {
    const interval = Number(answer.headers.get('x-hubspot-ratelimit-interval-milliseconds'));
    return { retry: true, afterMs: Number.isFinite(interval) && interval > 0 ? interval : tenSecondlyWaitMs };
  }
  return { retry: true, afterMs: secondlyWaitMs };
}

export class HubSpotApi {
  private readonly searchSpacing = new Spacing(searchSpacingMs);
  readonly base: string;

  constructor(
    instance: string,
    private readonly token: string,
    private readonly http: ConnectorHttp,
  ) {
    this.base = apiBaseOf(instance);
  }

  /** One call; null for 404 on a record (gone or archived). Throws ConnectorError with words an admin can act on. */
  async call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, options: { missingIsNull?: boolean } = {}): Promise<T | null> {
    if (path.endsWith('/search')) await this.paceSearch();
    const answer = await this.http.request(
      {
        method,
        url: `${this.base}${path}`,
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      rateLimitVerdict,
    );
    const json = parseJson(answer);
    if (answer.status >= 200 && answer.status < 300 && json !== undefined) return json as T;
    if (answer.status === 204) return null;
    if (answer.status === 404 && options.missingIsNull && json !== undefined) return null;
    throw this.failure(answer, json as HubSpotProblem | undefined, method, path.split('?')[0]!);
  }

  private async paceSearch(): Promise<void> {
    const wait = this.searchSpacing.take();
    if (wait > 0) await this.http.sleep(wait);
  }

  private failure(answer: HttpAnswer, body: HubSpotProblem | undefined, method: string, path: string): ConnectorError {
    if (body === undefined) {
      return new ConnectorError('api_off', `No HubSpot API answers at ${this.base} (HTTP ${answer.status} to ${method} ${path}: ${excerpt(redact(answer.text, [this.token]), 120)}). Give the portal's address, such as https://app.hubspot.com/contacts/1234567.`);
    }
    const said = redact([body.message, ...(body.errors ?? []).map((error) => error.message)].filter(Boolean).join(': ') || excerpt(answer.text), [this.token]);
    if (answer.status === 401) {
      return new ConnectorError('bad_credential', `HubSpot refused the access token (${said}): it is wrong, or the private app was deleted or its token rotated. Copy the token from the private app's "Auth" tab into HEADWAY_CRM_SECRET and run crm connect again.`);
    }
    if (answer.status === 403) {
      return new ConnectorError('missing_rights', `The HubSpot private app may not do ${method} ${path} (${said}). Give it the scopes crm.objects.deals.read and .write, crm.objects.owners.read and crm.objects.contacts.write (for notes and tasks) — README, "Connect HubSpot".`);
    }
    if (answer.status === 404) return new ConnectorError('not_found', `HubSpot: ${method} ${path}: ${said}`);
    if (answer.status === 400 || answer.status === 409) return new ConnectorError('rejected', `HubSpot refused ${method} ${path}: ${said}`);
    return new ConnectorError('bad_response', `HubSpot answered HTTP ${answer.status} to ${method} ${path}: ${said}`);
  }
}
