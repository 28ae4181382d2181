import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, type ConnectorHttp, type HttpAnswer } from '../http';
import type { ConnectionCredential } from '../types';

// Dynamics 365 (Dataverse) Web API with an app registration's client-credentials grant on the Microsoft identity
// platform. The tenant is not asked for: an unauthenticated request to the Web API answers 401 with
// `WWW-Authenticate: Bearer authorization_uri=https://login.microsoftonline.com/{tenant id}/oauth2/authorize,
// resource_id={org}/` (learn.microsoft.com, Dataverse ServiceClient AuthorityResolver.ProbeForExpectedAuthentication),
// and the token comes from that authority: POST {authority}/oauth2/v2.0/token with scope {org}/.default, answering
// {token_type, expires_in, access_token} or {error, error_description: "AADSTS…", error_codes} (Microsoft identity
// platform, "OAuth 2.0 client credentials flow"). Web API errors are OData bodies {error: {code, message}}
// ("Web API error handling"); service protection limits answer 429 with Retry-After (handled by ConnectorHttp).

export const webApi = '/api/data/v9.2';

/** Where Microsoft's clouds sign in (public, US government, China); an authority elsewhere is not sent the secret. */
const loginHosts = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn']);

interface Token {
  access: string;
  expiresAt: number;
}

interface ODataError {
  error?: { code?: string; message?: string };
}

/** The authority (https://{login host}/{tenant}) a WWW-Authenticate challenge names, or null. */
export function authorityOf(challenge: string | null, org: string): string | null {
  const uri = /authorization_uri="?([^",\s]+)/i.exec(challenge ?? '')?.[1];
  if (!uri) return null;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  const tenant = url.pathname.split('/').filter(Boolean)[0];
  // The org's own origin is trusted like a Microsoft sign-in host: it already holds everything Headway reads.
  const trusted = (loginHosts.has(url.hostname) && url.protocol === 'https:') || url.origin === new URL(org).origin;
  return tenant && trusted ? `${url.origin}/${tenant}` : null;
}

export class DataverseApi {
  private token: Token | null = null;
  private authority: string | null = null;

  constructor(
    private readonly credential: ConnectionCredential,
    private readonly http: ConnectorHttp,
    private readonly now: () => number = Date.now,
  ) {
    if (!credential.clientId) throw new ConnectorError('rejected', 'Dynamics 365 needs --client-id: the application (client) id of the app registration (README, "Connect dynamics365").');
  }

  /** One Web API call with a valid token; a 401 asks for a new token once and tries again. null for 204 No Content. */
  async call(method: 'GET' | 'POST' | 'PATCH', path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<unknown> {
    const answer = await this.send(method, path, options);
    if (answer.status === 204) return null;
    const json = parseJson(answer);
    if (answer.status >= 200 && answer.status < 300 && json !== undefined) return json;
    throw this.failure(answer, method, path.split('?')[0]!);
  }

  /**
   * Creates a record under the id given, once: an upsert with If-None-Match: * ("Prevent update in upsert") answers
   * 412 Precondition Failed when a record with that id is already there (a replay), which is 'exists'.
   */
  async createOnce(path: string, body: unknown): Promise<'created' | 'exists'> {
    const answer = await this.send('PATCH', path, { body, headers: { 'If-None-Match': '*' } });
    if (answer.status === 412) return 'exists';
    if (answer.status >= 200 && answer.status < 300) return 'created';
    throw this.failure(answer, 'PATCH', path);
  }

  private async send(method: 'GET' | 'POST' | 'PATCH', path: string, options: { body?: unknown; headers?: Record<string, string> }): Promise<HttpAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.validToken();
      const answer = await this.http.request({
        method,
        url: path.startsWith('http') ? path : `${this.credential.origin}${webApi}${path}`,
        headers: {
          Authorization: `Bearer ${token.access}`,
          Accept: 'application/json',
          'OData-MaxVersion': '4.0',
          'OData-Version': '4.0',
          ...(options.body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      if (answer.status !== 401 || attempt > 0) return answer;
      this.token = null;
    }
  }

  private failure(answer: HttpAnswer, method: string, path: string): ConnectorError {
    const body = parseJson(answer) as ODataError | undefined;
    const said = redact([body?.error?.code, body?.error?.message].filter(Boolean).join(': ') || excerpt(answer.text), [this.credential.secret]);
    const where = `${method} ${path}`;
    if (answer.status === 401) {
      return new ConnectorError('bad_credential', `Dynamics 365 refused a new token as well (${said || 'HTTP 401'}). Add the app registration as an application user of this environment (Power Platform admin center → Environment → Settings → Application users) with a security role.`);
    }
    if (answer.status === 403) {
      return new ConnectorError('missing_rights', `The application user may not do this (${where}: ${said}). Give its security role read on Opportunities and Users (organization level), create and write on Notes and Tasks, and write on Opportunities (only for applying approved moves).`);
    }
    if (answer.status === 404 && body?.error) return new ConnectorError('not_found', `Dynamics 365 has no such record (${where}: ${said}).`);
    if (answer.status === 404) return new ConnectorError('api_off', `${this.credential.origin} has no Dataverse Web API at ${webApi}${path} (HTTP 404): the environment may be disabled, deleted or not a Dynamics 365 organization.`);
    if (answer.status === 400) return new ConnectorError('rejected', `Dynamics 365 refused ${where}: ${said}`);
    return new ConnectorError('bad_response', `Dynamics 365 answered HTTP ${answer.status} to ${where}: ${said}`);
  }

  /** The tenant's authority, from the Web API's own challenge (asked once per connector). */
  private async discoverAuthority(): Promise<string> {
    if (this.authority) return this.authority;
    const answer = await this.http.request({ method: 'GET', url: `${this.credential.origin}${webApi}/`, headers: { Accept: 'application/json' } });
    const authority = answer.status === 401 ? authorityOf(answer.headers.get('www-authenticate'), this.credential.origin) : null;
    if (!authority) {
      throw new ConnectorError('api_off', `${this.credential.origin} does not answer as a Dynamics 365 environment (HTTP ${answer.status} from ${webApi}/ without a Microsoft sign-in challenge). Give the environment's address, such as https://contoso.crm4.dynamics.com.`);
    }
    return (this.authority = authority);
  }

  private async validToken(): Promise<Token> {
    // A minute's margin: a token that expires mid-page would cost a retry.
    if (this.token && this.token.expiresAt - 60_000 > this.now()) return this.token;
    const authority = await this.discoverAuthority();
    const answer = await this.http.request({
      method: 'POST',
      url: `${authority}/oauth2/v2.0/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.credential.clientId ?? '', client_secret: this.credential.secret, scope: `${this.credential.origin}/.default` }),
    });
    const body = parseJson(answer) as { access_token?: string; expires_in?: number | string; error?: string; error_description?: string } | undefined;
    if (answer.status === 200 && typeof body?.access_token === 'string') {
      return (this.token = { access: body.access_token, expiresAt: this.now() + Number(body.expires_in ?? 3599) * 1000 });
    }
    // AADSTS descriptions run on with a trace id and timestamps; their first sentence says what is wrong.
    const said = redact([body?.error, body?.error_description?.split(/\r?\n|Trace ID/)[0]?.trim()].filter(Boolean).join(': ') || excerpt(answer.text), [this.credential.secret]);
    if (body?.error) {
      throw new ConnectorError('bad_credential', `Microsoft sign-in refused the credential (${said}). Check --client-id (the application id), HEADWAY_CRM_SECRET (a client secret's value, not its id) and that the app registration belongs to the environment's tenant.`);
    }
    throw new ConnectorError('bad_response', `Microsoft sign-in answered HTTP ${answer.status}: ${said}`);
  }
}
