import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, type ConnectorHttp, type HttpAnswer, type RetryVerdict } from '../http';
import type { ConnectionCredential, SecretRotation } from '../types';
import { B24OAuth } from './oauth';

// Bitrix24's REST API through an inbound webhook or an OAuth app's token (oauth.ts): POST https://<portal>/rest/<user id>/<webhook key>/<method> with
// the parameters as JSON (b24restdocs: local-integrations/local-webhooks.md, settings/how-to-call-rest-api/
// general-principles.md). Answers are `{result, next?, total?, time}`; failures `{error, error_description}` with
// the HTTP statuses of b24restdocs _includes/system-errors.md. The rate limit is a leaky bucket (limits.md: 50
// requests before blocking, draining 2 per second on every plan but Enterprise), answered 503 QUERY_LIMIT_EXCEEDED.

export interface B24Answer<T> {
  result: T;
  next?: number;
  total?: number;
}

interface B24Error {
  error?: string;
  error_description?: string;
}

/** Leaky-bucket pacing (limits.md): bursts up to `capacity`, then no faster than `perSecond`, so the portal rarely says no. */
export class Pace {
  private level = 0;
  private at = 0;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {}

  /**
   * How long to wait before the next request. The bucket is reckoned at the moment the request will go (after the
   * wait), so a wait is drained once, whether it is really slept or only recorded (tests).
   */
  take(): number {
    const now = this.now();
    this.level = Math.max(0, this.level - (Math.max(0, now - this.at) / 1000) * this.perSecond);
    const waitMs = this.level + 1 > this.capacity ? Math.ceil(((this.level + 1 - this.capacity) / this.perSecond) * 1000) : 0;
    this.level = this.level + 1 - (waitMs / 1000) * this.perSecond;
    this.at = Math.max(this.at, now + waitMs);
    return waitMs;
  }
}

/** A QUERY_LIMIT_EXCEEDED answer: wait and retry (limits.md: "retry calls with increasing delay"). */
function limitVerdict(answer: HttpAnswer): RetryVerdict {
  if (answer.status !== 503 && answer.status !== 429) return { retry: false };
  const body = parseJson(answer) as B24Error | undefined;
  return body?.error === 'QUERY_LIMIT_EXCEEDED' || body?.error === 'OPERATION_TIME_LIMIT' ? { retry: true, afterMs: null } : { retry: false };
}

/** The user id a webhook acts as: a positive integer, as Bitrix24 shows it in the webhook URL. */
export function webhookUserId(username: string | null): string {
  const id = (username ?? '').trim();
  if (!/^[1-9]\d{0,9}$/.test(id)) {
    throw new ConnectorError('rejected', `--username must be the Bitrix24 user id of the inbound webhook (the number after /rest/ in its URL), not "${id}".`);
  }
  return id;
}

/** The webhook key: the last part of the inbound webhook URL. A whole URL pasted in its place is refused with what to do. */
export function webhookKey(secret: string): string {
  const key = secret.trim();
  const pasted = /^https?:\/\/[^/]+\/rest\/(\d+)\/[^/]+\/?/i.exec(key);
  if (pasted) {
    throw new ConnectorError('rejected', `HEADWAY_CRM_SECRET holds the whole webhook URL; put only its key there (the part after /rest/${pasted[1]}/), give the user id as --username ${pasted[1]} and the portal address as the origin.`);
  }
  if (key === '' || /[\s/?#]/.test(key)) {
    throw new ConnectorError('rejected', 'HEADWAY_CRM_SECRET must be the key of the Bitrix24 inbound webhook: the part after /rest/<user id>/ in its URL, without slashes or spaces.');
  }
  return encodeURIComponent(key);
}

export class B24Rest {
  /** Where methods are called: the webhook's address, or the portal's /rest/ for an OAuth app (its token from B24OAuth). */
  private readonly base: string;
  private readonly oauth: B24OAuth | null;
  private readonly pace: Pace;
  private readonly secrets: string[];

  constructor(
    credential: ConnectionCredential,
    private readonly http: ConnectorHttp,
    options: { rotation?: SecretRotation; authServer?: string } = {},
    now: () => number = Date.now,
  ) {
    if (credential.api === 'oauth') {
      this.oauth = new B24OAuth(credential, http, options.rotation, options.authServer, now);
      this.base = `${credential.origin}/rest`;
      this.secrets = this.oauth.secrets;
    } else {
      this.oauth = null;
      this.secrets = [credential.secret];
      this.base = `${credential.origin}/rest/${webhookUserId(credential.username)}/${webhookKey(credential.secret)}`;
    }
    this.pace = new Pace(50, 2, now);
  }

  /** One method call; the whole answer (for list methods' `next`/`total`). Throws ConnectorError in plain words. */
  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<B24Answer<T>> {
    for (let renewed = false; ; renewed = true) {
      const waitMs = this.pace.take();
      if (waitMs > 0) await this.http.sleep(waitMs);
      const token = this.oauth ? await this.oauth.token() : null;
      const answer = await this.http.request(
        {
          method: 'POST',
          url: `${this.base}/${method}`,
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(token === null ? params : { ...params, auth: token }),
        },
        limitVerdict,
      );
      const body = parseJson(answer) as (B24Answer<T> & B24Error) | undefined;
      if (answer.status === 200 && body && 'result' in body && !body.error) return body;
      // auto-renewal.md: on expired_token renew the pair and repeat the call with the same parameters.
      if (this.oauth && !renewed && answer.status === 401 && (body?.error === 'expired_token' || body?.error === 'invalid_token')) {
        await this.oauth.renewFrom(token);
        continue;
      }
      throw this.failure(answer, body, method);
    }
  }

  private failure(answer: HttpAnswer, body: B24Error | undefined, method: string): ConnectorError {
    const code = body?.error ?? '';
    const said = redact(body?.error_description ?? excerpt(answer.text), this.secrets);
    const what = `${code ? `${code}: ` : ''}${said}`;
    if (body === undefined) {
      // Not Bitrix24's REST (a login page, a proxy's 404): the portal address is wrong or REST is not published.
      return new ConnectorError('api_off', `No Bitrix24 REST API answers at this address (HTTP ${answer.status} to ${method}: ${excerpt(redact(answer.text, this.secrets), 120)}). Check the portal address.`);
    }
    switch (code) {
      case 'NO_AUTH_FOUND':
      case 'expired_token':
      case 'invalid_token':
      case 'WRONG_AUTH_TYPE':
        if (this.oauth) return new ConnectorError('bad_credential', `Bitrix24 refused the app's token even after renewing it (${what}). Check that the app is still installed on the portal, then run crm connect again.`);
        return new ConnectorError('bad_credential', `Bitrix24 refused the webhook (${what}). Check --username (the user id in the webhook URL) and HEADWAY_CRM_SECRET (its key), then run crm connect again.`);
      case 'insufficient_scope':
        return new ConnectorError('missing_rights', `The Bitrix24 webhook lacks a permission ${method} needs (${what}). Give the inbound webhook the scopes crm and user (README, "Connect Bitrix24").`);
      case 'INVALID_CREDENTIALS':
        return new ConnectorError('missing_rights', `The Bitrix24 user the webhook acts as may not do ${method} (${what}). Give that user read access to deals and write access to deal comments and activities.`);
      case 'ACCESS_DENIED':
        // The same code says "REST API is available only on commercial plans" and, per method, "Access denied".
        if (/commercial|tariff|plan/i.test(said)) return new ConnectorError('api_off', `Bitrix24's REST API is switched off for this portal (${what}).`);
        return new ConnectorError('missing_rights', `The Bitrix24 user the webhook acts as may not do ${method} (${what}). Check that user's CRM access permissions.`);
      case 'ERROR_METHOD_NOT_FOUND':
        return new ConnectorError('api_off', `This Bitrix24 has no REST method ${method} (${what}); update the portal's CRM module.`);
      case 'QUERY_LIMIT_EXCEEDED':
      case 'OPERATION_TIME_LIMIT':
        return new ConnectorError('rate_limited', `Bitrix24 keeps asking us to slow down (${what}); the sync resumes at its next run.`);
      default:
        break;
    }
    if (/access denied/i.test(said)) return new ConnectorError('missing_rights', `The Bitrix24 user the webhook acts as may not do ${method} (${what}).`);
    if (/^not found\.?$/i.test(said) || code === 'NOT_FOUND' || code === 'OWNER_NOT_FOUND') return new ConnectorError('not_found', `Bitrix24: ${what}`);
    if (answer.status === 400) return new ConnectorError('rejected', `Bitrix24 refused ${method}: ${what}`);
    return new ConnectorError('bad_response', `Bitrix24 answered HTTP ${answer.status} to ${method}: ${what}`);
  }
}
