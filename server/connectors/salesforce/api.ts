import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, type ConnectorHttp, type HttpAnswer, type RetryVerdict } from '../http';
import type { ConnectionCredential } from '../types';

// Salesforce's REST API with the OAuth 2.0 client-credentials flow of a connected app (or external client app):
// POST {My Domain}/services/oauth2/token answers {access_token, instance_url, id, token_type, issued_at, signature}
// and no refresh token and no expiry (jsforce src/oauth2.ts TokenResponse); a token that lapses (the session
// timeout) or is revoked answers 401 with [{message, errorCode: "INVALID_SESSION_ID"}], and a new token is asked for
// (jsforce src/http-api.ts isSessionExpired/refresh). Every REST error is an array of {message, errorCode, fields?}
// (REST API Developer Guide, "Status Codes and Error Responses"). Limits: 403 REQUEST_LIMIT_EXCEEDED, whose message
// names the limit: "ConcurrentPerOrgLongTxn Limit exceeded" (concurrent long requests, passes in seconds: retried with
// backoff) or "TotalRequests Limit exceeded" (the rolling 24-hour allowance: the sync stops and says so).

/** The REST API version Headway speaks (Winter '25; every org since then answers it). */
export const apiVersion = 'v62.0';

export interface SalesforceError {
  message?: string;
  errorCode?: string;
}

interface Token {
  access: string;
  /** Where the org's API answers (instance_url); normally the My Domain itself. */
  instanceUrl: string;
  /** The user the token acts as (the connected app's "Run As" user), from the identity URL /id/{org}/{user}. */
  userId: string | null;
}

export interface QueryAnswer<R> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: R[];
}

function errorsOf(answer: HttpAnswer): SalesforceError[] {
  const body = parseJson(answer);
  if (Array.isArray(body)) return body as SalesforceError[];
  return body && typeof body === 'object' && 'errorCode' in body ? [body as SalesforceError] : [];
}

/** A concurrent-request limit passes in seconds: back off and retry. The daily allowance does not (see failure). */
function concurrencyLimited(answer: HttpAnswer): RetryVerdict {
  if (answer.status !== 403) return { retry: false };
  const busy = errorsOf(answer).some((error) => error.errorCode === 'REQUEST_LIMIT_EXCEEDED' && /Concurrent/i.test(error.message ?? ''));
  return busy ? { retry: true, afterMs: null } : { retry: false };
}

export class SalesforceApi {
  private token: Token | null = null;

  constructor(
    private readonly credential: ConnectionCredential,
    private readonly http: ConnectorHttp,
  ) {
    if (!credential.clientId) throw new ConnectorError('rejected', 'Salesforce needs --client-id: the consumer key of the connected app (README, "Connect salesforce").');
  }

  /** The user Headway acts as, by id (null when the identity URL did not say). */
  async runAsUserId(): Promise<string | null> {
    return (await this.validToken()).userId;
  }

  /**
   * One REST call under /services/data/{version} (or an absolute /services/… path such as a nextRecordsUrl), with a
   * valid token; an INVALID_SESSION_ID asks for a new token once and tries again. null for 204 No Content.
   */
  async call(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.validToken();
      const answer = await this.http.request(
        {
          method,
          url: `${token.instanceUrl}${path.startsWith('/services/') ? path : `/services/data/${apiVersion}${path}`}`,
          headers: { Authorization: `Bearer ${token.access}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
        concurrencyLimited,
      );
      if (answer.status === 401 && attempt === 0) {
        this.token = null;
        continue;
      }
      if (answer.status === 204) return null;
      const json = parseJson(answer);
      if (answer.status >= 200 && answer.status < 300 && json !== undefined) return json;
      throw this.failure(answer, method, path.split('?')[0]!);
    }
  }

  /**
   * Every record of a SOQL query: the first batch, then each nextRecordsUrl (queryMore) until done. `all` asks
   * queryAll, which also answers deleted records still in the recycle bin (IsDeleted = true).
   */
  async query<R>(soql: string, all = false): Promise<{ totalSize: number; records: R[] }> {
    const records: R[] = [];
    let answer = (await this.call('GET', `/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`)) as QueryAnswer<R>;
    records.push(...answer.records);
    while (!answer.done && answer.nextRecordsUrl) {
      answer = (await this.call('GET', answer.nextRecordsUrl)) as QueryAnswer<R>;
      records.push(...answer.records);
    }
    return { totalSize: answer.totalSize, records };
  }

  private failure(answer: HttpAnswer, method: string, path: string): ConnectorError {
    const errors = errorsOf(answer);
    const code = errors[0]?.errorCode ?? '';
    const said = redact(errors.map((error) => [error.errorCode, error.message].filter(Boolean).join(': ')).join('; ') || excerpt(answer.text), [this.credential.secret]);
    const where = `${method} ${path}`;
    if (answer.status === 401) return new ConnectorError('bad_credential', `Salesforce refused a new token as well (${said}). Check the connected app's consumer key and secret, its client-credentials "Run As" user, and its IP relaxation, then run crm connect again.`);
    if (code === 'REQUEST_LIMIT_EXCEEDED') return new ConnectorError('rate_limited', `The org has used up its API allowance (${said}); the sync resumes at its next run. Setup → Company Information shows the org's API requests of the last 24 hours.`);
    if (code === 'API_DISABLED_FOR_ORG') return new ConnectorError('api_off', `This Salesforce org has no API access (${said}): its edition (Enterprise, Unlimited, Performance or Developer) or an add-on must include the API.`);
    if (code === 'API_CURRENTLY_DISABLED') return new ConnectorError('missing_rights', `The connected app's "Run As" user may not use the API (${said}): give their profile or a permission set "API Enabled".`);
    if (answer.status === 403 || /^INSUFFICIENT_ACCESS/.test(code)) {
      return new ConnectorError('missing_rights', `The connected app's "Run As" user may not do this (${where}: ${said}). Give them read access to Opportunities and Users, create and edit access to Notes and Tasks, and edit access to Opportunities (only for applying approved moves).`);
    }
    if (answer.status === 404 && (code === 'NOT_FOUND' || code === 'ENTITY_IS_DELETED')) return new ConnectorError('not_found', `Salesforce has no such record (${where}: ${said}).`);
    if (answer.status === 404) return new ConnectorError('api_off', `${this.token?.instanceUrl ?? this.credential.origin} has no Salesforce REST API ${apiVersion} at ${path} (HTTP 404).`);
    if (answer.status === 400) return new ConnectorError('rejected', `Salesforce refused ${where}: ${said}`);
    return new ConnectorError('bad_response', `Salesforce answered HTTP ${answer.status} to ${where}: ${said}`);
  }

  private async validToken(): Promise<Token> {
    if (this.token) return this.token;
    const answer = await this.http.request({
      method: 'POST',
      url: `${this.credential.origin}/services/oauth2/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.credential.clientId ?? '', client_secret: this.credential.secret }),
    });
    const body = parseJson(answer) as { access_token?: string; instance_url?: string; id?: string; error?: string; error_description?: string } | undefined;
    if (answer.status === 200 && typeof body?.access_token === 'string') {
      const userId = /\/id\/[^/]+\/([^/?]+)/.exec(body.id ?? '')?.[1] ?? null;
      // The API is asked where the token says the org's instance is (normally its My Domain, which asked for it).
      const instanceUrl = body.instance_url ? new URL(body.instance_url).origin : this.credential.origin;
      return (this.token = { access: body.access_token, instanceUrl, userId });
    }
    if (body === undefined) {
      throw new ConnectorError('api_off', `${this.credential.origin} does not answer as a Salesforce org (HTTP ${answer.status} from /services/oauth2/token: ${excerpt(answer.text, 120)}). Give the org's My Domain address, such as https://acme.my.salesforce.com.`);
    }
    const said = redact([body.error, body.error_description].filter(Boolean).join(': '), [this.credential.secret]);
    if (body.error === 'unsupported_grant_type' || /client credentials user/i.test(said)) {
      throw new ConnectorError('bad_credential', `Salesforce does not allow the client-credentials flow for this app (${said}): in the connected app tick "Enable Client Credentials Flow" and choose its "Run As" user.`);
    }
    if (body.error === 'invalid_client' || body.error === 'invalid_client_id' || body.error === 'invalid_grant') {
      throw new ConnectorError('bad_credential', `Salesforce refused the credential (${said}). Check --client-id (the consumer key) and HEADWAY_CRM_SECRET (the consumer secret).`);
    }
    throw new ConnectorError('bad_response', `Salesforce's token endpoint answered HTTP ${answer.status}: ${said || excerpt(answer.text)}`);
  }
}
