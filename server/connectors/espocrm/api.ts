import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, type ConnectorHttp } from '../http';

// EspoCRM's REST API with an API user's key (espocrm/espocrm application/Espo/Core/Authentication/Logins/ApiKey.php:
// the `X-Api-Key` header; a wrong key is a bare 401, Core/Api/Auth.php). Routes are application/Espo/Resources/
// routes.json (`/:controller`, `/:controller/:id`, `/:controller/:id/posts`, `/Metadata`, `/App/user`) under
// `/api/v1/`, which the web server rewrites to api/v1/index.php: without that rewrite (or at the wrong address) the
// web server answers its own 404 page. Errors carry their reason in the `X-Status-Reason` header and mostly no body
// (Core/Api/ErrorOutput.php). EspoCRM has no rate limit of its own; a proxy's 429 is retried by ConnectorHttp.

/** `where[i][type|attribute|value]` items as EspoCRM's list reads them (Core/Select/Where/Item/Type.php). */
export interface WhereItem {
  type: 'equals' | 'greaterThan' | 'greaterThanOrEquals';
  attribute: string;
  value: string;
}

export interface ListParams {
  select?: readonly string[];
  where?: readonly WhereItem[];
  orderBy?: string;
  order?: 'asc' | 'desc';
  offset?: number;
  maxSize: number;
}

/** A list answer: `{total, list}` (Core/Record/Collection.php toApiOutput). */
export interface EspoList<T> {
  total: number;
  list: T[];
}

export function listQuery(params: ListParams): string {
  const query = new URLSearchParams();
  if (params.select) query.set('select', params.select.join(','));
  (params.where ?? []).forEach((item, index) => {
    query.set(`where[${index}][type]`, item.type);
    query.set(`where[${index}][attribute]`, item.attribute);
    query.set(`where[${index}][value]`, item.value);
  });
  if (params.orderBy) query.set('orderBy', params.orderBy);
  if (params.order) query.set('order', params.order);
  query.set('offset', String(params.offset ?? 0));
  query.set('maxSize', String(params.maxSize));
  return query.toString();
}

export class EspoApi {
  constructor(
    private readonly origin: string,
    private readonly apiKey: string,
    private readonly http: ConnectorHttp,
  ) {}

  /** One call; null for a 404 when `missingIsNull` (a record that is not there). Throws ConnectorError otherwise. */
  async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, missingIsNull = false): Promise<T | null> {
    const answer = await this.http.request({
      method,
      url: `${this.origin}/api/v1/${path}`,
      headers: { 'X-Api-Key': this.apiKey, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = parseJson(answer);
    if (answer.status >= 200 && answer.status < 300 && json !== undefined) return json as T;
    const route = `${method} /api/v1/${path.split('?')[0]}`;
    // EspoCRM's own 404 (NotFound) has no body; a web server's 404 page is HTML: the API is not there at all.
    if (answer.status === 404 && missingIsNull && answer.text.trim() === '') return null;
    const reason = redact(answer.headers.get('x-status-reason') ?? excerpt(answer.text), [this.apiKey]);
    switch (answer.status) {
      case 401:
        return this.fail('bad_credential', `EspoCRM refused the API key (HTTP 401${reason ? `: ${reason}` : ''}). In EspoCRM, Administration → API Users: the user must be active with the authentication method "API Key"; put its key in HEADWAY_CRM_SECRET.`);
      case 403:
        return this.fail('missing_rights', `The EspoCRM API user may not do this (${route}: ${reason || 'HTTP 403'}). Give its role read access to Opportunities and Users, create access to Notes and Tasks, and edit access to Opportunities (for approved moves).`);
      case 404:
        return this.fail('api_off', `${this.origin} has no EspoCRM API at ${route} (HTTP 404). Give the address EspoCRM is installed at, and check that the web server rewrites /api/v1/ to api/v1/index.php (EspoCRM's server configuration).`);
      case 400:
        return this.fail('rejected', `EspoCRM refused ${route}: ${reason || 'HTTP 400'}`);
      default:
        return this.fail('bad_response', `EspoCRM answered HTTP ${answer.status} to ${route}${reason ? `: ${reason}` : ''}`);
    }
  }

  async list<T>(scope: string, params: ListParams): Promise<EspoList<T>> {
    const answer = await this.call<EspoList<T>>('GET', `${scope}?${listQuery(params)}`);
    if (!answer || !Array.isArray(answer.list)) throw new ConnectorError('bad_response', `EspoCRM answered GET /api/v1/${scope} without a list.`);
    return answer;
  }

  private fail(kind: ConstructorParameters<typeof ConnectorError>[0], message: string): never {
    throw new ConnectorError(kind, message);
  }
}
