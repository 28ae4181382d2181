import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apacheNotFound, readBody, send, startFake, type RunningFake } from '../http-util';
import { sortRows } from '../rows';
import { meets, ODataError, parseFilter, parseOrderBy } from './odata';
import { DynamicsFake, entitySets, statusReasons, type DvRow } from './state';

// Dynamics 365 (Dataverse) Web API v9.2 and the Microsoft identity platform, as Microsoft documents them
// (learn.microsoft.com/power-apps/developer/data-platform/webapi/…, /entra/identity-platform/…). Sources, per shape:
// - Authority discovery: an unauthenticated GET {org}/api/data/v9.2/ answers 401 with `WWW-Authenticate: Bearer
//   authorization_uri=https://login.microsoftonline.com/{tenant}/oauth2/authorize, resource_id={org}/` (Dataverse
//   ServiceClient, AuthorityResolver.ProbeForExpectedAuthentication). Here the fake's own origin plays
//   login.microsoftonline.com.
// - Token: POST /{tenant}/oauth2/v2.0/token, grant_type=client_credentials, client_id, client_secret,
//   scope={org}/.default → {token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token}; errors 400/401
//   {error, error_description: "AADSTS…: … Trace ID: … Correlation ID: … Timestamp: …", error_codes, timestamp,
//   trace_id, correlation_id} ("Microsoft identity platform and the OAuth 2.0 client credentials flow"; AADSTS7000215
//   invalid client secret, AADSTS700016 application not found, AADSTS90002 tenant not found).
// - Web API: OData 4.0 JSON {"@odata.context", value: […], "@odata.nextLink"?} with `Prefer: odata.maxpagesize=n`
//   (at most 5,000) and `Preference-Applied` ("Page results"); lookups as `_x_value`, formatted values with
//   `Prefer: odata.include-annotations="OData.Community.Display.V1.FormattedValue"`; WhoAmI → {BusinessUnitId,
//   UserId, OrganizationId}; statuscode options via EntityDefinitions(LogicalName='opportunity')/Attributes(…)/
//   Microsoft.Dynamics.CRM.StatusAttributeMetadata?$expand=OptionSet ("Query table definitions").
// - Writes: PATCH {set}({id}) is an upsert; with If-None-Match: * it only creates (412 when the row exists), with
//   If-Match: * it only updates (404 when it does not) ("Upsert a table row"); lookups set with
//   `{nav}@odata.bind: "/{set}({id})"`; 204 No Content.
// - Errors: {error: {code: "0x…", message}} ("Web API error handling"): 0x80040217 not found, 0x80042f09 a missing
//   privilege (403), 0x80060888 a query it cannot read; 429 with Retry-After and code 0x80072322 for the service
//   protection limits ("Service protection API limits"); 401 with the WWW-Authenticate challenge for an expired token.

type Answer = { status: number; body?: unknown; headers?: Record<string, string>; kind?: 'create' };

const webApi = '/api/data/v9.2';
const odataError = (status: number, code: string, message: string): Answer => ({ status, body: { error: { code, message } } });
const notFound = (set: string, id: string) => odataError(404, '0x80040217', `${set.replace(/ies$/, 'y').replace(/s$/, '')} With Id = ${id} Does Not Exist`);

function outward(set: string, row: DvRow, select: readonly string[], fake: DynamicsFake, annotate: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': `W/"${row.modifiedon ?? 1}"` };
  for (const column of select) {
    const value = row[column] ?? null;
    out[column] = entitySets[set]!.datetimes.includes(column) && typeof value === 'number' ? `${new Date(value).toISOString().slice(0, 19)}Z` : value;
    if (annotate && column === '_ownerid_value' && typeof value === 'string') {
      out['_ownerid_value@OData.Community.Display.V1.FormattedValue'] = fake.table('systemusers').get(value)?.fullname ?? '';
    }
  }
  return out;
}

function maxPageSize(request: IncomingMessage, fake: DynamicsFake): number {
  const asked = /odata\.maxpagesize=(\d+)/.exec(String(request.headers.prefer ?? ''))?.[1];
  return Math.min(fake.settings.maxPageSize, asked ? Number(asked) : 5000);
}

function page(fake: DynamicsFake, origin: string, set: string, rows: Record<string, unknown>[], size: number, list: boolean): Answer {
  const head = rows.slice(0, size);
  const rest = rows.slice(size);
  const body: Record<string, unknown> = { '@odata.context': `${origin}${webApi}/$metadata#${set}`, value: head };
  if (rest.length > 0) {
    const token = randomBytes(8).toString('hex');
    fake.pages.set(token, { set, rows: rest, size, list });
    body['@odata.nextLink'] = `${origin}${webApi}/${set}?$skiptoken=${encodeURIComponent(`<cookie pagenumber="2" pagingcookie="${token}" />`)}`;
  }
  return { status: 200, body, headers: { 'Preference-Applied': `odata.maxpagesize=${size}` } };
}

/** A page of opportunities as a sync lists them (not a read by id nor the reconciliation's ids), or its next page. */
function isListing(fake: DynamicsFake, method: string, url: URL): boolean {
  if (method !== 'GET' || url.pathname !== `${webApi}/opportunities`) return false;
  const skip = /pagingcookie="(\w+)"/.exec(url.searchParams.get('$skiptoken') ?? '')?.[1];
  if (skip) return fake.pages.get(skip)?.list === true;
  return (url.searchParams.get('$select') ?? '').split(',').includes('modifiedon');
}

function query(fake: DynamicsFake, origin: string, request: IncomingMessage, set: string, url: URL, list: boolean): Answer {
  const skip = /pagingcookie="(\w+)"/.exec(url.searchParams.get('$skiptoken') ?? '')?.[1];
  if (skip) {
    const rest = fake.pages.get(skip);
    if (!rest) return odataError(400, '0x80060888', 'The paging cookie is not valid.');
    fake.pages.delete(skip);
    return page(fake, origin, set, rest.rows, rest.size, rest.list);
  }
  const { columns } = entitySets[set]!;
  try {
    const select = (url.searchParams.get('$select') ?? columns.join(',')).split(',');
    const filter = parseFilter(url.searchParams.get('$filter'));
    const orderBy = parseOrderBy(url.searchParams.get('$orderby'));
    for (const column of [...select, ...filter.map((c) => c.field), ...orderBy.map((o) => o.field)]) {
      if (!columns.includes(column)) throw new ODataError(`Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.${set}'.`);
    }
    const top = url.searchParams.get('$top');
    const rows = sortRows([...fake.table(set).values()].filter((row) => meets(row, filter)), orderBy).slice(0, top === null ? undefined : Number(top));
    const annotate = /FormattedValue/.test(String(request.headers.prefer ?? ''));
    return page(fake, origin, set, rows.map((row) => outward(set, row, select, fake, annotate)), maxPageSize(request, fake), list);
  } catch (error) {
    if (error instanceof ODataError) return odataError(400, '0x80060888', error.message);
    throw error;
  }
}

/** Column values and `nav@odata.bind` lookups of a write, as the row's columns. */
function columnsOf(fake: DynamicsFake, set: string, body: Record<string, unknown>): { columns: DvRow } | { refused: Answer } {
  const columns: DvRow = {};
  for (const [name, value] of Object.entries(body)) {
    const bind = /^(\w+?)(?:_(opportunity|account|contact|lead)(?:_task)?)?@odata\.bind$/.exec(name);
    if (bind) {
      const target = /^\/(\w+)\(([0-9a-f-]{36})\)$/i.exec(String(value));
      if (!target || !fake.rows.has(target[1]!)) return { refused: odataError(400, '0x80060888', `Invalid value for navigation property ${name}: ${String(value)}`) };
      if (!fake.table(target[1]!).has(target[2]!.toLowerCase())) return { refused: notFound(target[1]!, target[2]!) };
      columns[`_${bind[1]}_value`] = target[2]!.toLowerCase();
      if (bind[2]) columns.objecttypecode = bind[2];
      continue;
    }
    if (!entitySets[set]!.columns.includes(name)) return { refused: odataError(400, '0x80060888', `The property '${name}' does not exist on type 'Microsoft.Dynamics.CRM.${set}'.`) };
    columns[name] = entitySets[set]!.datetimes.includes(name) && typeof value === 'string' ? Date.parse(value) : (value as DvRow[string]);
  }
  return { columns };
}

function upsert(fake: DynamicsFake, request: IncomingMessage, set: string, id: string, raw: string): Answer {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return odataError(400, '0x80060888', 'Invalid JSON. A token was not recognized in the JSON content.');
  }
  const exists = fake.table(set).has(id);
  if (request.headers['if-none-match'] === '*' && exists) return odataError(412, '0x80060882', 'A record with matching key values already exists.');
  if (request.headers['if-match'] === '*' && !exists) return notFound(set, id);
  if (set === 'annotations' && !exists && fake.settings.notesDenied) {
    return odataError(403, '0x80042f09', `Principal user (Id=${fake.applicationUserId}, type=8, roleCount=1) is missing prvCreateNote privilege on OTC=5 for entity 'annotation'.`);
  }
  const checked = columnsOf(fake, set, body);
  if ('refused' in checked) return checked.refused;
  if (exists) fake.update(set, id, checked.columns);
  else fake.insert(set, { _ownerid_value: fake.applicationUserId, ...checked.columns }, id);
  return { status: 204, headers: { 'OData-EntityId': `${webApi}/${set}(${id})` }, ...(exists ? {} : { kind: 'create' as const }) };
}

function route(fake: DynamicsFake, origin: string, request: IncomingMessage, method: string, url: URL, raw: string, list: boolean): Answer {
  const path = url.pathname.slice(webApi.length);
  if (method === 'GET' && path === '/WhoAmI') return { status: 200, body: { '@odata.context': `${origin}${webApi}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`, BusinessUnitId: fake.organizationId, UserId: fake.applicationUserId, OrganizationId: fake.organizationId } };
  if (method === 'GET' && path === "/EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata") {
    return {
      status: 200,
      body: {
        LogicalName: 'statuscode',
        MetadataId: '2c1b9a2e-0000-0000-0000-000000000001',
        OptionSet: { Options: statusReasons.map((reason) => ({ Value: reason.Value, State: reason.State, Color: null, IsManaged: true, Label: { LocalizedLabels: [{ Label: reason.label, LanguageCode: 1033 }], UserLocalizedLabel: { Label: reason.label, LanguageCode: 1033 } } })) },
      },
    };
  }
  const collection = /^\/(\w+)$/.exec(path);
  if (method === 'GET' && collection && fake.rows.has(collection[1]!)) return query(fake, origin, request, collection[1]!, url, list);
  const single = /^\/(\w+)\(([0-9a-fA-F-]{36})\)$/.exec(path);
  if (single && fake.rows.has(single[1]!)) {
    const [, set, rawId] = single as unknown as [string, string, string];
    const id = rawId.toLowerCase();
    if (method === 'GET') {
      const row = fake.table(set).get(id);
      if (!row) return notFound(set, id);
      const select = (url.searchParams.get('$select') ?? entitySets[set]!.columns.join(',')).split(',');
      return { status: 200, body: { '@odata.context': `${origin}${webApi}/$metadata#${set}/$entity`, ...outward(set, row, select, fake, /FormattedValue/.test(String(request.headers.prefer ?? ''))) } };
    }
    if (method === 'PATCH') return upsert(fake, request, set, id, raw);
  }
  return odataError(404, '0x80060888', `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`);
}

function token(fake: DynamicsFake, origin: string, tenant: string, raw: string): Answer {
  const form = new URLSearchParams(raw);
  const aad = (status: number, error: string, code: number, text: string): Answer => ({
    status,
    body: { error, error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${randomBytes(16).toString('hex')}\r\nCorrelation ID: ${randomBytes(16).toString('hex')}\r\nTimestamp: ${new Date().toISOString()}`, error_codes: [code], timestamp: new Date().toISOString() },
  });
  if (tenant !== fake.tenantId) return aad(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
  if (form.get('client_id') !== fake.app.clientId) return aad(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory.`);
  if (form.get('client_secret') !== fake.app.secret) return aad(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
  if (form.get('scope') !== `${origin}/.default`) return aad(400, 'invalid_scope', 500011, `The resource principal named ${form.get('scope')} was not found in the tenant.`);
  const access = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${randomBytes(24).toString('base64url')}`;
  fake.tokens.set(access, Date.now() + 3599 * 1000);
  return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: access } };
}

async function handle(fake: DynamicsFake, origin: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const raw = await readBody(request);
  const method = request.method ?? 'GET';
  const listing = isListing(fake, method, url);
  const answer = (result: Answer) => {
    const kind = result.kind ?? (listing && result.status === 200 ? 'list' : undefined);
    fake.record({ method, path: url.pathname, status: result.status, ...(kind ? { kind } : {}) });
    if (result.body === undefined) {
      response.writeHead(result.status, result.headers ?? {});
      response.end();
      return;
    }
    send(response, result.status, JSON.stringify(result.body), 'application/json; odata.metadata=minimal', { 'OData-Version': '4.0', ...result.headers });
  };
  const tokenPath = /^\/([\w-]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
  if (method === 'POST' && tokenPath) return answer(token(fake, origin, tokenPath[1]!, raw));
  if (fake.settings.disabled || !url.pathname.startsWith(webApi)) {
    fake.record({ method, path: url.pathname, status: 404 });
    return apacheNotFound(response, url.pathname);
  }
  const challenge = { 'WWW-Authenticate': `Bearer authorization_uri=${origin}/${fake.tenantId}/oauth2/authorize, resource_id=${origin}/` };
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (bearer === undefined) return answer({ status: 401, headers: challenge });
  if (listing && fake.listingFails()) {
    fake.record({ method, path: url.pathname, status: 0 });
    request.socket.destroy();
    return;
  }
  if (fake.limited(fake.settings.rateLimit)) {
    return answer({ ...odataError(429, '0x80072322', 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.'), headers: { 'Retry-After': String(fake.settings.rateLimit!.retryAfterSeconds) } });
  }
  const expires = fake.tokens.get(bearer);
  if (expires === undefined || expires < Date.now()) return answer({ status: 401, headers: { ...challenge, 'WWW-Authenticate': `${challenge['WWW-Authenticate']}, error=invalid_token` } });
  answer(route(fake, origin, request, method, url, raw, listing));
}

export type RunningDynamicsFake = RunningFake<DynamicsFake>;

/** Starts the Dynamics 365 contract fake on a loopback port: the environment's Web API and its tenant's sign-in. */
export function startDynamicsFake(): Promise<RunningDynamicsFake> {
  return startFake(new DynamicsFake(), handle);
}
