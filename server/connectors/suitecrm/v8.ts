import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, type ConnectorHttp, type HttpAnswer } from '../http';
import type { ConnectionCredential } from '../types';
import type { ListQuery, SuiteApi } from './api';
import { isoToSuiteDb, systemCurrencyId, type SuiteRecord } from './mapping';

// The V8 JSON:API of SuiteCRM 7.10+ and 8 (Api/V8/Config/routes.php). Shapes as the vendor's code writes them:
// token errors by league/oauth2-server 8 (`{error, error_description, hint?, message}`), API errors by
// Api/V8/Controller/BaseController.php (HTTP 400 `{errors: {status, title, detail}}` for every exception),
// lists by Api/V8/Service/ModuleService.php::getRecords (`meta['total-pages']`, `links.next`).

const mediaType = 'application/vnd.api+json';
/** Where the API answers: with URL rewriting (7.x .htaccess, 8.x Symfony), without it, and 8.x's legacy folder. */
const apiBases = ['/Api', '/Api/index.php', '/legacy/Api'];

interface Token {
  access: string;
  refresh: string | null;
  expiresAt: number;
}

interface OAuthError {
  error?: string;
  error_description?: string;
  hint?: string;
  message?: string;
  /** Slim's error handler (displayErrorDetails is on in Api/Core/Config/slim.php) when the API itself breaks. */
  exception?: { type?: string; message?: string }[];
}

/** `password` grant: HEADWAY_CRM_SECRET is "<client secret>:<password>" (the admin chooses the client secret). */
function grantOf(credential: ConnectionCredential): URLSearchParams {
  if (!credential.clientId) throw new ConnectorError('rejected', 'The V8 API needs --client-id (the OAuth2 client SuiteCRM shows under Admin → OAuth2 Clients and Tokens).');
  if (credential.username === null) {
    return new URLSearchParams({ grant_type: 'client_credentials', client_id: credential.clientId, client_secret: credential.secret });
  }
  const colon = credential.secret.indexOf(':');
  if (colon < 0) throw new ConnectorError('rejected', 'With --username the V8 password grant needs HEADWAY_CRM_SECRET as "<client secret>:<password>".');
  return new URLSearchParams({
    grant_type: 'password',
    client_id: credential.clientId,
    client_secret: credential.secret.slice(0, colon),
    username: credential.username,
    password: credential.secret.slice(colon + 1),
    scope: '',
  });
}

export class SuiteV8 implements SuiteApi {
  readonly name = 'v8';
  private base: string | null = null;
  private token: Token | null = null;
  private readonly secrets: string[];

  constructor(
    private readonly credential: ConnectionCredential,
    private readonly http: ConnectorHttp,
    private readonly now: () => number = Date.now,
  ) {
    const colon = credential.secret.indexOf(':');
    this.secrets = [credential.secret, ...(colon >= 0 ? [credential.secret.slice(0, colon), credential.secret.slice(colon + 1)] : [])];
  }

  async whoAmI(): Promise<string> {
    const body = (await this.call('GET', '/V8/current-user')) as { data?: { attributes?: { user_name?: string } } };
    return body.data?.attributes?.user_name ?? 'the API user';
  }

  async list(query: ListQuery): Promise<SuiteRecord[]> {
    const params = new URLSearchParams();
    params.set(`fields[${query.module}]`, query.fields.join(','));
    params.set('page[size]', String(query.size));
    params.set('page[number]', '1');
    const k = query.keyset;
    if (k.phase === 'ids') {
      if (k.afterId !== null) params.set('filter[id][gt]', k.afterId);
      params.set('sort', 'id');
    } else if (k.phase === 'tie') {
      params.set('filter[date_modified][eq]', isoToSuiteDb(k.at));
      if (k.afterId !== null) params.set('filter[id][gt]', k.afterId);
      params.set('sort', 'id');
    } else {
      if (k.from !== null) params.set(`filter[date_modified][${k.inclusive ? 'gte' : 'gt'}]`, isoToSuiteDb(k.from));
      params.set('sort', 'date_modified');
    }
    // One level of AND only (Api/V8/JsonApi/Repository/Filter.php); deleted records cannot be listed at all:
    // getRecords re-reads each row with getBeanSafe, which refuses deleted beans (400). Deletions: reconcile ids.
    params.set('filter[operator]', 'and');
    const body = (await this.call('GET', `/V8/module/${query.module}?${params.toString().replace(/%5B/g, '[').replace(/%5D/g, ']')}`)) as {
      data?: { id: string; attributes?: Record<string, unknown> }[];
    };
    return (body.data ?? []).map((item) => ({ id: item.id, fields: item.attributes ?? {} }));
  }

  async count(module: string): Promise<number | null> {
    // With page[size]=1, ModuleService::getRecords' meta['total-pages'] is the number of records.
    const body = (await this.call('GET', `/V8/module/${module}?fields[${module}]=name&page[size]=1&page[number]=1`)) as { meta?: Record<string, unknown> };
    const pages = body.meta?.['total-pages'];
    return typeof pages === 'number' ? pages : Array.isArray((body as { data?: unknown[] }).data) ? 0 : null;
  }

  async get(module: string, id: string, fields: readonly string[]): Promise<SuiteRecord | null> {
    try {
      const body = (await this.call('GET', `/V8/module/${module}/${encodeURIComponent(id)}?fields[${module}]=${fields.join(',')}`)) as {
        data?: { id: string; attributes?: Record<string, unknown> };
      };
      return body.data ? { id: body.data.id, fields: body.data.attributes ?? {} } : null;
    } catch (error) {
      // BeanManager::getBeanSafe: "%s module with id %s is not found" (deleted records included).
      if (error instanceof ConnectorError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  async create(module: string, id: string, fields: Record<string, string>): Promise<'created' | 'exists'> {
    try {
      await this.call('POST', '/V8/module', { data: { type: module, id, attributes: fields } });
      return 'created';
    } catch (error) {
      // ModuleService::createRecord refuses an id it already has: "Bean %s with id %s is already exist".
      if (error instanceof ConnectorError && error.kind === 'rejected' && /already exist/i.test(error.message)) return 'exists';
      throw error;
    }
  }

  async update(module: string, id: string, fields: Record<string, string>): Promise<void> {
    await this.call('PATCH', '/V8/module', { data: { type: module, id, attributes: fields } });
  }

  async currencies(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    // Currency::retrieve('-99') builds the system currency from config, so it answers although no row holds it.
    const system = await this.get('Currencies', systemCurrencyId, ['iso4217']);
    const iso = system?.fields.iso4217;
    if (typeof iso === 'string' && iso) found.set(systemCurrencyId, iso.toUpperCase());
    let afterId: string | null = null;
    for (;;) {
      const page = await this.list({ module: 'Currencies', fields: ['iso4217'], keyset: { phase: 'ids', afterId }, withDeleted: false, size: 100 });
      for (const row of page) if (typeof row.fields.iso4217 === 'string' && row.fields.iso4217) found.set(row.id, row.fields.iso4217.toUpperCase());
      if (page.length < 100) return found;
      afterId = page.at(-1)?.id ?? null;
    }
  }

  async salesStages(): Promise<null> {
    return null;
  }

  /** One API call with a valid token; a 401 fetches a new token once and tries again. */
  private async call(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.validToken();
      const answer = await this.http.request({
        method,
        url: `${this.credential.origin}${this.base}${path}`,
        headers: { Authorization: `Bearer ${token.access}`, Accept: mediaType, ...(body ? { 'Content-Type': mediaType } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (answer.status === 401 && attempt === 0) {
        // Expired or revoked (league: access_denied "Access token could not be verified"): refresh, then retry.
        this.token = { ...token, expiresAt: 0 };
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return parseJson(answer) ?? {};
      throw this.apiFailure(answer, path);
    }
  }

  private apiFailure(answer: HttpAnswer, path: string): ConnectorError {
    const body = parseJson(answer) as { errors?: { detail?: string } } & OAuthError | undefined;
    const detail = redact(body?.errors?.detail ?? body?.hint ?? body?.error_description ?? excerpt(answer.text), this.secrets);
    if (answer.status === 401) return new ConnectorError('bad_credential', `SuiteCRM refused Headway's token (${detail}). Check the OAuth2 client, then run crm connect again.`);
    if (/AccessDenied|not allowed|access/i.test(detail) && answer.status === 400) {
      return new ConnectorError('missing_rights', `The SuiteCRM user Headway acts as may not do this (${path.split('?')[0]}): ${detail || 'access denied'}. Give that user's role access to Opportunities, Notes, Tasks and Users.`);
    }
    if (answer.status === 400 && /is not found/.test(detail)) return new ConnectorError('not_found', detail);
    if (answer.status === 400) return new ConnectorError('rejected', `SuiteCRM refused ${path.split('?')[0]}: ${detail}`);
    if (answer.status === 404) return new ConnectorError('api_off', `SuiteCRM has no V8 API at ${this.base}${path.split('?')[0]} (HTTP 404).`);
    return new ConnectorError('bad_response', `SuiteCRM answered HTTP ${answer.status} to ${path.split('?')[0]}: ${detail}`);
  }

  private async validToken(): Promise<Token> {
    // A minute's margin: a token that expires mid-page would cost a retry.
    if (this.token && this.token.expiresAt - 60_000 > this.now()) return this.token;
    if (this.token?.refresh) {
      const refreshed = await this.requestToken(
        new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.token.refresh, client_id: this.credential.clientId ?? '', client_secret: grantOf(this.credential).get('client_secret') ?? '' }),
      ).catch(() => null);
      if (refreshed) return (this.token = refreshed);
    }
    return (this.token = await this.requestToken(grantOf(this.credential)));
  }

  private async requestToken(form: URLSearchParams): Promise<Token> {
    const bases = this.base === null ? apiBases : [this.base];
    let answer: HttpAnswer | null = null;
    for (const base of bases) {
      answer = await this.http.request({
        method: 'POST',
        url: `${this.credential.origin}${base}/access_token`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form,
      });
      const json = parseJson(answer);
      if (answer.status !== 404 && json !== undefined && typeof json === 'object') {
        this.base = base;
        break;
      }
    }
    if (!answer || this.base === null) {
      throw new ConnectorError('api_off', `SuiteCRM's V8 API does not answer at ${this.credential.origin}${apiBases.join(', ')} (${answer ? `HTTP ${answer.status}` : 'no answer'}: ${excerpt(answer?.text ?? '', 120)}). Set up the OAuth2 keys and URL rewriting (README, "Connect SuiteCRM"), or use --api legacy.`);
    }
    const body = parseJson(answer) as OAuthError & { access_token?: string; refresh_token?: string; expires_in?: number };
    if (answer.status === 200 && typeof body.access_token === 'string') {
      return { access: body.access_token, refresh: body.refresh_token ?? null, expiresAt: this.now() + (body.expires_in ?? 3600) * 1000 };
    }
    const said = redact([body.error, body.error_description ?? body.exception?.[0]?.message ?? body.message, body.hint].filter(Boolean).join(': '), this.secrets);
    // SuiteCRM's UserRepository throws plain exceptions for an unknown user or a wrong password, which league
    // answers as 500 "unknown_error" whose text names the password; only the redacted form ever leaves here.
    if (body.error === 'invalid_client' || body.error === 'invalid_grant' || body.error === 'invalid_credentials' || /password is invalid|No user found/i.test(said)) {
      throw new ConnectorError('bad_credential', `SuiteCRM refused the credential (${said}). Check --client-id, --username and HEADWAY_CRM_SECRET.`);
    }
    if (/key/i.test(said) && answer.status >= 500) {
      throw new ConnectorError('api_off', `SuiteCRM's V8 API is not set up: ${said}. Create the OAuth2 keys (README, "Connect SuiteCRM") or use --api legacy.`);
    }
    throw new ConnectorError('bad_response', `SuiteCRM's token endpoint answered HTTP ${answer.status}: ${said || excerpt(answer.text)}`);
  }
}
