import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, type ConnectorHttp, type HttpAnswer, type RetryVerdict } from '../http';
import { clientSecretAndRefreshToken } from '../oauth-secret';
import type { ConnectionCredential } from '../types';

// Zoho CRM's REST API v8 with a self-client's (or server-based client's) refresh token. Shapes as Zoho documents
// them and its Node SDK (github.com/zoho/zohocrm-nodejs-sdk-8.0) encodes them:
// - token: POST {accounts server}/oauth/v2/token with grant_type=refresh_token, client_id, client_secret,
//   refresh_token (lib/models/authenticator/oauth_token.js refreshAccessToken) answers {access_token, api_domain,
//   token_type, expires_in}; a refused one answers {error} and no access_token (parseResponse). The refresh token
//   does not change. Accounts servers per data centre: lib/routes/dc/*_data_center.js (Canada: accounts.zohocloud.ca).
// - calls go to {api_domain}/crm/v8/… with "Authorization: Zoho-oauthtoken <token>" (oauth_token.js authenticate);
//   errors are {code, details, message, status: "error"} (INVALID_TOKEN / AUTHENTICATION_FAILURE 401,
//   OAUTH_SCOPE_MISMATCH 401, NO_PERMISSION 403, TOO_MANY_REQUESTS 429, INVALID_DATA 400; API docs "Status Codes");
//   204 No Content answers a list with nothing in it.

/** The API version Headway speaks. */
export const apiVersion = 'v8';

export interface ZohoError {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  status?: string;
}

/** Data centre of a Zoho CRM host (crm.zoho.eu → eu) and its accounts server (lib/routes/dc). */
const accountsByDc: Record<string, string> = {
  com: 'https://accounts.zoho.com',
  eu: 'https://accounts.zoho.eu',
  in: 'https://accounts.zoho.in',
  'com.au': 'https://accounts.zoho.com.au',
  jp: 'https://accounts.zoho.jp',
  ca: 'https://accounts.zohocloud.ca',
  'com.cn': 'https://accounts.zoho.com.cn',
  sa: 'https://accounts.zoho.sa',
};

function dcOf(origin: string): string | null {
  return /^(?:crm|crmsandbox)\.zoho\.(com|eu|in|com\.au|jp|ca|com\.cn|sa)$/.exec(new URL(origin).hostname)?.[1] ?? null;
}

/**
 * Where the refresh token is exchanged: the data centre's accounts server. An address off Zoho's hosts (a proxy in
 * front of Zoho, a contract fake) answers for itself, as Dynamics 365's org does for its authority.
 */
export function accountsServerOf(origin: string, override?: string): string {
  if (override) return override;
  const dc = dcOf(origin);
  return dc ? accountsByDc[dc]! : new URL(origin).origin;
}

/** The token goes only to a Zoho API host of Zoho's data centres, or back to an address off Zoho's hosts that issued it. */
function trustedApiDomain(apiDomain: string, accounts: string): boolean {
  const url = new URL(apiDomain);
  if (!/\.zoho(?:cloud)?\.[a-z.]+$/.test(new URL(accounts).hostname)) return url.origin === new URL(accounts).origin;
  return url.protocol === 'https:' && /^(?:www|sandbox|developer)\.zohoapis\.(?:com|eu|in|com\.au|jp|ca|com\.cn|sa)$/.test(url.hostname);
}

interface Token {
  access: string;
  apiDomain: string;
}

function errorOf(answer: HttpAnswer): ZohoError {
  const body = parseJson(answer) as ZohoError | { data?: ZohoError[] } | undefined;
  if (body && 'data' in body && Array.isArray(body.data) && body.data[0]?.status === 'error') return body.data[0];
  return (body as ZohoError | undefined) ?? {};
}

/** TOO_MANY_REQUESTS comes as 429 without Retry-After: back off and try again. */
function throttled(answer: HttpAnswer): RetryVerdict {
  return answer.status === 429 || errorOf(answer).code === 'TOO_MANY_REQUESTS' ? { retry: true, afterMs: null } : { retry: false };
}

export class ZohoApi {
  private token: Token | null = null;
  private readonly clientSecret: string;
  private readonly refreshToken: string;
  private readonly accounts: string;
  /** The org the instance names (/crm/org{id}), sent as X-CRM-ORG for a user of several orgs. */
  private readonly orgId: string | null;

  constructor(
    private readonly credential: ConnectionCredential,
    private readonly http: ConnectorHttp,
    authServer?: string,
  ) {
    if (!credential.clientId) throw new ConnectorError('rejected', 'Zoho CRM needs --client-id: the client id of the API client (README, "Connect Zoho CRM").');
    ({ clientSecret: this.clientSecret, refreshToken: this.refreshToken } = clientSecretAndRefreshToken(credential.secret, 'Connect Zoho CRM'));
    this.accounts = accountsServerOf(credential.origin, authServer);
    this.orgId = /\/crm\/org(\d+)/.exec(credential.origin)?.[1] ?? null;
  }

  /**
   * One call under /crm/v8; INVALID_TOKEN or AUTHENTICATION_FAILURE (the hour passed, or the token was revoked)
   * asks for a new token once and tries again. null for 204 No Content.
   */
  async call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.validToken();
      const answer = await this.http.request(
        {
          method,
          url: `${token.apiDomain}/crm/${apiVersion}${path}`,
          headers: {
            Authorization: `Zoho-oauthtoken ${token.access}`,
            Accept: 'application/json',
            ...(this.orgId ? { 'X-CRM-ORG': this.orgId } : {}),
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
        throttled,
      );
      if (answer.status === 401 && attempt === 0 && ['INVALID_TOKEN', 'AUTHENTICATION_FAILURE'].includes(errorOf(answer).code ?? '')) {
        this.token = null;
        continue;
      }
      if (answer.status === 204) return null;
      const json = parseJson(answer);
      if (answer.status >= 200 && answer.status < 300 && json !== undefined) return json;
      throw this.failure(answer, `${method} ${path.split('?')[0]}`);
    }
  }

  private failure(answer: HttpAnswer, where: string): ConnectorError {
    const error = errorOf(answer);
    const said = redact([error.code, error.message].filter(Boolean).join(': ') || excerpt(answer.text), [this.credential.secret]);
    switch (error.code) {
      case 'INVALID_TOKEN':
      case 'AUTHENTICATION_FAILURE':
        return new ConnectorError('bad_credential', `Zoho CRM refused a new token as well (${said}). Check that the API client and the org user who authorized it are still active, then run crm connect again.`);
      case 'OAUTH_SCOPE_MISMATCH':
        return new ConnectorError('missing_rights', `The refresh token lacks a scope ${where} needs (${said}). Authorize again with the scopes in the README ("Connect Zoho CRM").`);
      case 'NO_PERMISSION':
        return new ConnectorError('missing_rights', `The Zoho CRM user who authorized Headway may not do this (${where}: ${said}). Give their profile read access to Deals and Users and create/edit access to Notes and Tasks.`);
      case 'FEATURE_NOT_SUPPORTED':
      case 'FEATURE_NOT_ENABLED':
        return new ConnectorError('api_off', `This Zoho CRM edition does not offer the API Headway uses (${said}).`);
      case 'TOO_MANY_REQUESTS':
        return new ConnectorError('rate_limited', `Zoho CRM keeps asking us to slow down (${said}); the sync resumes at its next run.`);
      default:
        break;
    }
    if (answer.status === 404 || parseJson(answer) === undefined) {
      return new ConnectorError('api_off', `${this.token?.apiDomain ?? this.credential.origin} has no Zoho CRM API ${apiVersion} at ${where} (HTTP ${answer.status}).`);
    }
    if (answer.status === 400) return new ConnectorError('rejected', `Zoho CRM refused ${where}: ${said}`);
    if (answer.status === 403) return new ConnectorError('missing_rights', `Zoho CRM denied ${where}: ${said}`);
    return new ConnectorError('bad_response', `Zoho CRM answered HTTP ${answer.status} to ${where}: ${said}`);
  }

  private async validToken(): Promise<Token> {
    if (this.token) return this.token;
    const answer = await this.http.request({
      method: 'POST',
      url: `${this.accounts}/oauth/v2/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: this.credential.clientId ?? '', client_secret: this.clientSecret, refresh_token: this.refreshToken }),
    });
    const body = parseJson(answer) as { access_token?: string; api_domain?: string; error?: string } | undefined;
    if (body?.access_token && body.api_domain) {
      if (!trustedApiDomain(body.api_domain, this.accounts)) throw new ConnectorError('rejected', `Zoho's accounts server named ${body.api_domain} as the API address, which is no Zoho API host; Headway sends the token nowhere else.`);
      return (this.token = { access: body.access_token, apiDomain: new URL(body.api_domain).origin });
    }
    if (body === undefined) throw new ConnectorError('unreachable', `${this.accounts} did not answer as Zoho's accounts server (HTTP ${answer.status}: ${excerpt(answer.text, 120)}).`);
    const said = redact(body.error ?? excerpt(answer.text), [this.credential.secret, this.refreshToken, this.clientSecret]);
    if (body.error === 'invalid_client' || body.error === 'invalid_code' || body.error === 'invalid_client_secret') {
      throw new ConnectorError('bad_credential', `Zoho refused the credential (${said}). Check --client-id, the client secret and the refresh token, and that they belong to this data centre (${this.accounts}).`);
    }
    throw new ConnectorError('bad_response', `Zoho's accounts server answered HTTP ${answer.status}: ${said}`);
  }
}
