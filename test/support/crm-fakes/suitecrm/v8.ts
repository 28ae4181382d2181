import type { IncomingMessage, ServerResponse } from 'node:http';
import { apacheNotFound, phpParams, send, type PhpValue } from '../http-util';
import { listRows, type Op, type Where } from './query';
import type { FakeUser, SuiteFake } from './state';
import { hiddenFields, moduleFields, newId, objectNames, type Row } from './tables';

// SuiteCRM's V8 JSON:API as its code answers (SuiteCRM 7.14.6 Api/ and SuiteCRM-Core 8.8 public/legacy/Api/, which
// are the same): routes in Api/V8/Config/routes.php; token endpoint by league/oauth2-server 8.4 with SuiteCRM's
// repositories (Api/V8/OAuth2/Repository/*.php, Api/V8/Config/services/middlewares.php: 1 h tokens, refresh for
// the password grant); records by Api/V8/Service/ModuleService.php; errors by Api/V8/Controller/BaseController.php.

const jsonApi = 'application/vnd.api+json';
/** The routes answer under these prefixes, depending on the install (see FakeSettings.v8). */
const rewrittenBases = ['/Api', '/legacy/Api'];
const scriptBase = '/Api/index.php';

type Answer = { status: number; body: unknown; contentType?: string; headers?: Record<string, string> };

/** BaseController::generateErrorResponse: every exception is HTTP 400 with one error object (not an array). */
function apiError(detail: string, status = 400): Answer {
  return { status, body: { errors: { status, title: null, detail } }, contentType: jsonApi };
}

/** OAuthServerException::generateHttpResponse (8.x payload: error, error_description, hint, and the deprecated message). */
function oauthError(status: number, error: string, description: string, hint?: string): Answer {
  return {
    status,
    body: { error, error_description: description, ...(hint ? { hint } : {}), message: description },
    contentType: 'application/json',
    headers: error === 'invalid_client' ? { 'WWW-Authenticate': 'Basic realm="OAuth"' } : {},
  };
}

/** AttributeObjectHelper::getAttributes: database datetimes become ISO 8601 (DateTime::ATOM), the rest stays. */
function attributesOf(row: Row, fields: readonly string[] | null, module: string): Record<string, string> {
  const names = (fields ?? moduleFields[module]!).filter((field) => field !== 'id' && !hiddenFields.has(field));
  const attributes: Record<string, string> = {};
  for (const name of names) {
    const value = row[name] ?? '';
    attributes[name] = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}+00:00` : value;
  }
  return attributes;
}

function dataOf(fake: SuiteFake, module: string, row: Row, fields: readonly string[] | null, path: string) {
  return {
    type: objectNames[module],
    id: row.id,
    attributes: attributesOf(fake.withDerived(module, row), fields, module),
    relationships: module === 'Opportunities'
      ? { Accounts: { links: { related: `${path}/relationships/accounts` } }, Notes: { links: { related: `${path}/relationships/notes` } } }
      : {},
  };
}

function bodyParams(request: IncomingMessage, raw: string): Record<string, PhpValue> {
  if ((request.headers['content-type'] ?? '').includes('json')) {
    try {
      return JSON.parse(raw) as Record<string, PhpValue>;
    } catch {
      return {};
    }
  }
  return phpParams(raw);
}

function accessToken(fake: SuiteFake, params: Record<string, PhpValue>): Answer {
  const grant = String(params.grant_type ?? '');
  if (!['client_credentials', 'password', 'refresh_token'].includes(grant)) {
    return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.', 'Check that all required parameters have been provided');
  }
  const clientId = String(params.client_id ?? '');
  if (!clientId) return oauthError(400, 'invalid_request', 'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.', 'Check the `client_id` parameter');
  const client = fake.clients.get(clientId);
  // ClientRepository::getClientEntity uses getBeanSafe, whose exception league answers as a 500 unknown_error.
  if (!client) return oauthError(500, 'unknown_error', `OAuth2Clients module with id ${clientId} is not found`);
  if (String(params.client_secret ?? '') !== client.secret || (grant !== client.grant && grant !== 'refresh_token')) {
    return oauthError(401, 'invalid_client', 'Client authentication failed');
  }
  if (grant === 'client_credentials') return { status: 200, body: { token_type: 'Bearer', ...fake.issueToken(client.userId, false, client.id) } };
  if (grant === 'refresh_token') {
    const refresh = fake.refreshTokens.get(String(params.refresh_token ?? ''));
    if (!refresh || refresh.clientId !== clientId) return oauthError(401, 'invalid_request', 'The refresh token is invalid.', 'Cannot decrypt the refresh token');
    fake.refreshTokens.delete(String(params.refresh_token));
    return { status: 200, body: { token_type: 'Bearer', ...fake.issueToken(refresh.userId, true, clientId) } };
  }
  const userName = String(params.username ?? '');
  const user = [...fake.users.values()].find((u) => u.userName === userName);
  // UserRepository::getUserEntityByUserCredentials throws plain InvalidArgumentExceptions, which league turns into
  // 500 unknown_error, password and all.
  if (!user) return oauthError(500, 'unknown_error', `No user found with this username: ${userName}`);
  if (user.password !== String(params.password ?? '')) return oauthError(500, 'unknown_error', `The password is invalid: ${String(params.password ?? '')}`);
  return { status: 200, body: { token_type: 'Bearer', ...fake.issueToken(user.id, true, clientId) } };
}

const operators: Record<string, Op> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE' };

/** Api/V8/JsonApi/Repository/Filter.php::parseWhere: one level, one operator for all, `deleted` apart. */
function parseFilter(module: string, filter: PhpValue | undefined): { where: Where | null; deleted: 0 | 1 } | Answer {
  if (filter === undefined) return { where: null, deleted: 0 };
  if (typeof filter !== 'object' || Array.isArray(filter)) return apiError('Filter must be an array');
  const { operator, deleted, ...rest } = filter;
  const joiner = operator === undefined ? 'and' : String(operator).toLowerCase();
  if (joiner !== 'and' && joiner !== 'or') return apiError(`Filter operator ${String(operator)} is invalid`);
  const parts: Where[] = [];
  for (const [field, expression] of Object.entries(rest)) {
    if (!moduleFields[module]!.includes(field)) return apiError(`Filter field ${field} in ${objectNames[module]} module is not found`);
    if (typeof expression !== 'object' || Array.isArray(expression)) return apiError(`Filter field ${field} must be an array`);
    for (const [op, value] of Object.entries(expression)) {
      const sql = operators[op.toLowerCase()];
      if (!sql) return apiError(`Filter operator ${op} is invalid`);
      parts.push({ kind: 'cmp', field, op: sql, value: String(value) });
    }
  }
  const wantDeleted = typeof deleted === 'object' && !Array.isArray(deleted) && String(deleted.eq) === '1' ? 1 : 0;
  return { where: parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { kind: joiner, parts }, deleted: wantDeleted };
}

function fieldsParam(module: string, fields: PhpValue | undefined): string[] | null | Answer {
  if (fields === undefined) return null;
  if (typeof fields !== 'object' || Array.isArray(fields)) return apiError('Fields must be an array');
  const [key, value] = Object.entries(fields)[0] ?? [];
  if (key === undefined || typeof value !== 'string' || /[^\w\-,]/.test(value)) return apiError('Fields are invalid');
  const listModule = moduleFields[key] ? key : module;
  const names = value.split(',');
  const invalid = names.filter((name) => !moduleFields[listModule]!.includes(name));
  if (invalid.length > 0) {
    return apiError(`The following field${invalid.length > 1 ? 's' : ''} in ${objectNames[listModule]} module ${invalid.length > 1 ? 'are' : 'is'} not found: ${invalid.join(', ')}`);
  }
  return names;
}

function isAnswer(value: unknown): value is Answer {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
}

const accessDenied = () => apiError('[SuiteCRM] [AccessDeniedException] ');

async function listRecords(fake: SuiteFake, user: FakeUser, module: string, query: Record<string, PhpValue>, path: string): Promise<Answer> {
  if (!fake.tables[module]) return apiError(`Module with name ${module} is not found`);
  if (!fake.may(user, module)) return accessDenied();
  const fields = fieldsParam(module, query.fields);
  if (isAnswer(fields)) return fields;
  const filter = parseFilter(module, query.filter);
  if (isAnswer(filter)) return filter;
  const page = typeof query.page === 'object' && !Array.isArray(query.page) ? query.page : {};
  for (const key of ['size', 'number'] as const) {
    const value = page[key];
    if (value !== undefined && (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) <= 0)) return apiError(`Page ${key} must be a number greater than 0`);
  }
  const size = page.size === undefined ? null : Number(page.size);
  const number = page.number === undefined ? 0 : Number(page.number);
  let orderBy: { field: string; desc: boolean }[] = [];
  if (query.sort !== undefined) {
    const sort = String(query.sort);
    const desc = sort.startsWith('-');
    const field = sort.replace(/^-/, '');
    if (!moduleFields[module]!.includes(field)) return apiError(`Sort field ${field} in ${objectNames[module]} module is not found`);
    orderBy = [{ field, desc }];
  }
  const offset = number !== 0 && size !== null ? (number - 1) * size : 0;
  if (fake.settings.listDelayMs > 0) await new Promise((done) => setTimeout(done, fake.settings.listDelayMs));
  const { rows, total } = listRows(fake.tables[module]!, { where: filter.where, deleted: filter.deleted, orderBy, offset, limit: size ?? 1_000_000 });
  // getRecords re-reads every row with getBeanSafe, which refuses deleted beans: listing deleted records fails.
  if (filter.deleted === 1 && rows[0]) return apiError(`${module} module with id ${rows[0].id} is not found`);
  const data = rows.map((row) => dataOf(fake, module, row, fields, `${path}/${row.id}`));
  if (data.length === 0) return { status: 200, body: { meta: { message: 'Request was successful, but there is no result' }, data: [] }, contentType: jsonApi };
  if (size === null) return { status: 200, body: { data }, contentType: jsonApi };
  const totalPages = Math.ceil(total / size);
  const link = (n: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of new URLSearchParams(path.includes('?') ? path.split('?')[1] : '')) params.set(key, value);
    return `${path}?${decodeURIComponent(new URLSearchParams({ ...Object.fromEntries(params), 'page[number]': String(n) }).toString())}`;
  };
  return {
    status: 200,
    contentType: jsonApi,
    body: {
      meta: { 'total-pages': totalPages, 'records-on-this-page': data.length },
      data,
      links: { first: number > 1 ? link(1) : null, prev: number > 1 ? link(number - 1) : null, next: number + 1 <= totalPages ? link(number + 1) : null, last: number + 1 <= totalPages ? link(totalPages) : null },
    },
  };
}

function getRecord(fake: SuiteFake, user: FakeUser, module: string, id: string, query: Record<string, PhpValue>, path: string): Answer {
  if (!fake.tables[module]) return apiError(`Module with name ${module} is not found`);
  const fields = fieldsParam(module, query.fields);
  if (isAnswer(fields)) return fields;
  const row = module === 'Currencies' && id === '-99' ? fake.systemCurrencyRow() : fake.tables[module]!.rows.get(id);
  if (!row || row.deleted === '1') return apiError(`${module} module with id ${id} is not found`);
  if (!fake.may(user, module)) return accessDenied();
  return { status: 200, body: { data: dataOf(fake, module, row, fields, path) }, contentType: jsonApi };
}

type Payload = { data?: { type?: string; id?: string; attributes?: Record<string, unknown> } };

async function createRecord(fake: SuiteFake, user: FakeUser, payload: Payload): Promise<Answer> {
  const module = payload.data?.type ?? '';
  if (!fake.tables[module]) return apiError(`Module with name ${module} is not found`);
  const id = payload.data?.id;
  const table = fake.tables[module]!;
  if (id !== undefined && table.rows.has(id)) return apiError(`Bean ${module} with id ${id} is already exist`);
  if (!fake.may(user, module)) return accessDenied();
  if (fake.settings.createDelayMs > 0) await new Promise((done) => setTimeout(done, fake.settings.createDelayMs));
  // ModuleService::processAttributes sets whatever it is sent; only real columns are saved.
  const now = fake.stamp();
  const row: Row = { id: id ?? newId(), date_entered: now, date_modified: now, created_by: user.id, modified_user_id: user.id, deleted: '0' };
  for (const [name, value] of Object.entries(payload.data?.attributes ?? {})) if (moduleFields[module]!.includes(name) && name !== 'id') row[name] = String(value);
  table.insert(row);
  return { status: 201, body: { data: dataOf(fake, module, row, null, `/V8/module/${row.id}`) }, contentType: jsonApi };
}

function updateRecord(fake: SuiteFake, user: FakeUser, payload: Payload): Answer {
  const module = payload.data?.type ?? '';
  if (!fake.tables[module]) return apiError(`Module with name ${module} is not found`);
  const id = payload.data?.id ?? '';
  const row = fake.tables[module]!.rows.get(id);
  if (!id || !row || row.deleted === '1') return apiError(`${module} module with id ${id} is not found`);
  if (!fake.may(user, module)) return accessDenied();
  const patch: Row = { date_modified: fake.stamp(), modified_user_id: user.id };
  for (const [name, value] of Object.entries(payload.data?.attributes ?? {})) if (moduleFields[module]!.includes(name) && name !== 'id') patch[name] = String(value);
  fake.tables[module]!.update(id, patch);
  return { status: 200, body: { data: dataOf(fake, module, row, null, `/V8/module/${id}`) }, contentType: jsonApi };
}

/** Answers when `path` is a V8 route for this install; null when the web server would not route it to the API. */
function routedPath(fake: SuiteFake, path: string): string | null {
  if (fake.settings.v8 === 'off') return null;
  const bases = fake.settings.v8 === 'no-rewrite' ? [scriptBase] : [scriptBase, ...rewrittenBases];
  for (const base of bases) if (path.startsWith(`${base}/`)) return path.slice(base.length);
  return null;
}

export async function handleV8(fake: SuiteFake, request: IncomingMessage, response: ServerResponse, url: URL, raw: string): Promise<boolean> {
  const route = routedPath(fake, url.pathname);
  if (route === null) {
    if (!url.pathname.startsWith('/Api/') && !url.pathname.startsWith('/legacy/Api/')) return false;
    apacheNotFound(response, url.pathname);
    fake.record({ method: request.method ?? '', path: url.pathname, call: 'not found', status: 404 });
    return true;
  }
  let answer: Answer;
  if (fake.settings.v8 === 'no-keys') {
    // CryptKey cannot find Api/V8/OAuth2/private.key; Slim's error handler shows it (displayErrorDetails is on).
    const message = 'Key path "file:///var/www/html/Api/V8/OAuth2/private.key" does not exist or is not readable';
    answer = (request.headers.accept ?? '').includes('json')
      ? { status: 500, body: { message: 'Slim Application Error', exception: [{ type: 'LogicException', code: 0, message, file: '/var/www/html/vendor/league/oauth2-server/src/CryptKey.php', line: 64 }] }, contentType: 'application/json' }
      : { status: 500, body: `<html><head><title>Slim Application Error</title></head><body><h1>Slim Application Error</h1><p>${message}</p></body></html>`, contentType: 'text/html' };
  } else if (route === '/access_token' && request.method === 'POST') {
    answer = accessToken(fake, bodyParams(request, raw));
  } else {
    const user = fake.userOfToken(request.headers.authorization);
    const query = phpParams(url.search.slice(1));
    const module = /^\/V8\/module\/([^/]+)$/.exec(route);
    const record = /^\/V8\/module\/([^/]+)\/([^/]+)$/.exec(route);
    if (!request.headers.authorization) answer = oauthError(401, 'access_denied', 'The resource owner or authorization server denied the request.', 'Missing "Authorization" header');
    else if (!user) answer = oauthError(401, 'access_denied', 'The resource owner or authorization server denied the request.', 'Access token could not be verified');
    else if (route === '/V8/current-user' && request.method === 'GET') {
      const row = fake.tables.Users!.rows.get(user.id)!;
      answer = { status: 200, body: { data: dataOf(fake, 'Users', row, null, route) }, contentType: jsonApi };
    } else if (module && request.method === 'GET') answer = await listRecords(fake, user, module[1]!, query, route);
    else if (record && request.method === 'GET') answer = getRecord(fake, user, record[1]!, decodeURIComponent(record[2]!), query, route);
    else if (route === '/V8/module' && (request.method === 'POST' || request.method === 'PATCH')) {
      let payload: Payload;
      try {
        payload = JSON.parse(raw) as Payload;
      } catch {
        payload = {};
      }
      answer = request.method === 'POST' ? await createRecord(fake, user, payload) : updateRecord(fake, user, payload);
    } else {
      // Slim's notFoundHandler.
      answer = { status: 404, body: { message: 'Not found' }, contentType: 'application/json' };
    }
  }
  fake.record({ method: request.method ?? '', path: url.pathname, call: route, status: answer.status });
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body, null, answer.contentType === jsonApi ? 4 : undefined);
  send(response, answer.status, body, answer.contentType ?? 'application/json', answer.headers);
  return true;
}
