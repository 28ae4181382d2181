import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, send, startFake, type RunningFake } from '../http-util';
import { sortRows } from '../rows';
import { matches, parseSoql, SoqlError, type SoqlQuery } from './soql';
import { objectFields, SalesforceFake, type SfRecord } from './state';

// Salesforce's REST API as its vendor documents it and jsforce (github.com/jsforce/jsforce) reads it. Sources:
// - Token: POST /services/oauth2/token, grant_type=client_credentials with client_id and client_secret; answers
//   {access_token, signature, scope, instance_url, id: "…/id/{orgId}/{userId}", token_type: "Bearer", issued_at}
//   without refresh token or expiry (jsforce src/oauth2.ts TokenResponse; api-evangelist/salesforce json-schema
//   salesforce-successful-client-credentials-flow-*.json); failures 400 {error, error_description}: invalid_client_id
//   "client identifier invalid", invalid_client "invalid client credentials", invalid_grant "no client credentials
//   user enabled" (Salesforce Help, "OAuth 2.0 Client Credentials Flow for Server-to-Server Integration").
// - Errors: an array [{message, errorCode, fields?}] (REST API Developer Guide "Status Codes and Error Responses";
//   jsforce src/http-api.ts getError); 401 INVALID_SESSION_ID "Session expired or invalid" for a lapsed or revoked
//   token (jsforce isSessionExpired); 403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded." or
//   "TotalRequests Limit exceeded.", without Retry-After; 403 API_DISABLED_FOR_ORG; 404 NOT_FOUND; 400 MALFORMED_QUERY,
//   INVALID_FIELD, INVALID_CROSS_REFERENCE_KEY, INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY.
// - Query: GET /services/data/vXX.X/query?q=SOQL and /queryAll (also deleted records, IsDeleted) answer
//   {totalSize, done, nextRecordsUrl?, records: [{attributes: {type, url}, …}]}; the rest is read at nextRecordsUrl
//   (queryMore), batches of 2000 unless `Sforce-Query-Options: batchSize=n` (200–2000) asks fewer (jsforce
//   src/query.ts). Datetimes "2026-01-15T10:22:33.000+0000", dates "2026-01-15".
// - Records: POST /sobjects/{Object} → 201 {id, success, errors}; PATCH /sobjects/{Object}/{id} → 204;
//   GET /sobjects/{Object}/describe → {name, fields: [{name, type, …}]}. Deleting sets IsDeleted and SystemModstamp
//   (recycle bin); a purged record is gone from queryAll too.

type Answer = { status: number; body?: unknown; kind?: 'create' };

const sfError = (status: number, errorCode: string, message: string, fields: string[] = []): Answer => ({ status, body: [{ message, errorCode, fields }] });

const pad = (n: number) => String(n).padStart(2, '0');

function sfDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.000+0000`;
}

function outward(object: string, record: SfRecord, fields: readonly string[], version: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: object, url: `/services/data/${version}/sobjects/${object}/${record.Id}` } };
  for (const field of fields) {
    const value = record[field] ?? null;
    out[field] = objectFields[object]![field] === 'datetime' && typeof value === 'number' ? sfDateTime(value) : value;
  }
  return out;
}

function batchSizeOf(request: IncomingMessage, fake: SalesforceFake): number {
  const asked = /batchSize=(\d+)/.exec(String(request.headers['sforce-query-options'] ?? ''))?.[1];
  return Math.min(fake.settings.batchSize, asked ? Math.max(200, Math.min(2000, Number(asked))) : 2000);
}

/** A batch of rows, with a locator for the rest (queryMore). */
function batch(fake: SalesforceFake, version: string, object: string, rows: Record<string, unknown>[], totalSize: number, size: number, list: boolean): Answer {
  const head = rows.slice(0, size);
  const rest = rows.slice(size);
  let nextRecordsUrl: string | undefined;
  if (rest.length > 0) {
    const locator = `01g${randomBytes(6).toString('hex')}-${size}`;
    fake.locators.set(locator, { object, rows: rest, totalSize, list });
    nextRecordsUrl = `/services/data/${version}/query/${locator}`;
  }
  return { status: 200, body: { totalSize, done: rest.length === 0, ...(nextRecordsUrl ? { nextRecordsUrl } : {}), records: head } };
}

/** A page of opportunities as a sync lists them (not a lookup by id nor the reconciliation's ids), or its queryMore. */
function isListing(fake: SalesforceFake, method: string, url: URL): boolean {
  if (method !== 'GET') return false;
  const more = /\/query(?:All)?\/([\w-]+)$/.exec(url.pathname);
  if (more) return fake.locators.get(more[1]!)?.list === true;
  if (!/\/query(?:All)?$/.test(url.pathname)) return false;
  const [select = '', from = ''] = (url.searchParams.get('q') ?? '').split(/\sFROM\s/i);
  return /\bSystemModstamp\b/.test(select) && /^Opportunity\b/.test(from) && !/\bId = '/.test(from);
}

function runQuery(fake: SalesforceFake, version: string, soql: string, all: boolean, size: number, list: boolean): Answer {
  let query: SoqlQuery;
  try {
    query = parseSoql(soql);
    const known = objectFields[query.object];
    if (!known) throw new SoqlError('INVALID_TYPE', `sObject type '${query.object}' is not supported.`);
    for (const field of [...query.fields, ...query.where.map((c) => c.field), ...query.orderBy.map((o) => o.field)]) {
      if (!known[field] || (field === 'CurrencyIsoCode' && !fake.settings.multiCurrency)) throw new SoqlError('INVALID_FIELD', `No such column '${field}' on entity '${query.object}'.`);
    }
  } catch (error) {
    if (error instanceof SoqlError) return sfError(400, error.errorCode, error.message);
    throw error;
  }
  const rows = sortRows([...fake.table(query.object).values()].filter((record) => (all || record.IsDeleted !== true) && matches(record, query.where)), query.orderBy);
  const limited = query.limit === null ? rows : rows.slice(0, query.limit);
  if (query.count) return { status: 200, body: { totalSize: limited.length, done: true, records: [] } };
  return batch(fake, version, query.object, limited.map((record) => outward(query.object, record, query.fields, version)), limited.length, size, list);
}

/**
 * The body of a REST insert or update as field values: JSON, fields the object has and may be written, references to
 * records that exist. Anything else is refused as Salesforce refuses it.
 */
function writable(fake: SalesforceFake, object: string, raw: string): { fields: SfRecord } | { refused: Answer } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = null;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { refused: sfError(400, 'JSON_PARSER_ERROR', 'Unexpected character at [line:1, column:1]') };
  const fields: SfRecord = {};
  for (const [name, value] of Object.entries(body)) {
    if (!objectFields[object]![name] || ['Id', 'IsDeleted', 'SystemModstamp', 'IsClosed', 'IsWon'].includes(name)) {
      return { refused: sfError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${object}`) };
    }
    fields[name] = value === null || ['string', 'number', 'boolean'].includes(typeof value) ? (value as SfRecord[string]) : JSON.stringify(value);
  }
  for (const name of ['ParentId', 'WhatId', 'WhoId', 'OwnerId']) {
    const id = fields[name];
    if (id === undefined || id === null) continue;
    if (!['Opportunity', 'User'].some((target) => fake.table(target).get(String(id))?.IsDeleted === false)) {
      return { refused: sfError(400, name === 'OwnerId' ? 'INVALID_CROSS_REFERENCE_KEY' : 'FIELD_INTEGRITY_EXCEPTION', 'invalid cross reference id', [name]) };
    }
  }
  return { fields };
}

function route(fake: SalesforceFake, request: IncomingMessage, method: string, url: URL, raw: string, list: boolean): Answer {
  const data = /^\/services\/data\/(v\d+\.\d)(\/.*)$/.exec(url.pathname);
  if (!data) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const [, version, rest] = data as unknown as [string, string, string];
  const size = batchSizeOf(request, fake);
  if (method === 'GET' && (rest === '/query' || rest === '/queryAll')) {
    const soql = url.searchParams.get('q');
    if (!soql) return sfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    return runQuery(fake, version, soql, rest === '/queryAll', size, list);
  }
  const more = /^\/query(?:All)?\/([\w-]+)$/.exec(rest);
  if (method === 'GET' && more) {
    const locator = fake.locators.get(more[1]!);
    if (!locator) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    fake.locators.delete(more[1]!);
    return batch(fake, version, locator.object, locator.rows, locator.totalSize, size, locator.list);
  }
  const describe = /^\/sobjects\/(\w+)\/describe$/.exec(rest);
  if (method === 'GET' && describe) {
    const fields = objectFields[describe[1]!];
    if (!fields) return sfError(404, 'NOT_FOUND', `The requested resource does not exist`);
    const names = Object.entries(fields).filter(([name]) => name !== 'CurrencyIsoCode' || fake.settings.multiCurrency);
    return { status: 200, body: { name: describe[1], label: describe[1], queryable: true, createable: true, fields: names.map(([name, type]) => ({ name, type, label: name, nillable: type !== 'id' })) } };
  }
  const insert = /^\/sobjects\/(Note|Task)$/.exec(rest);
  if (method === 'POST' && insert) {
    const object = insert[1]!;
    const checked = writable(fake, object, raw);
    if ('refused' in checked) return checked.refused;
    const { fields } = checked;
    if (object === 'Note' && fake.settings.notesDenied) return sfError(400, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', 'insufficient access rights on cross-reference id', []);
    if (object === 'Note' && (typeof fields.ParentId !== 'string' || typeof fields.Title !== 'string')) return sfError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [ParentId, Title]', ['ParentId', 'Title']);
    const made = fake.insert(object, { OwnerId: fake.runAsUserId, ...fields });
    return { status: 201, body: { id: made.Id, success: true, errors: [] }, kind: 'create' };
  }
  const update = /^\/sobjects\/(Note|Task|Opportunity)\/(\w+)$/.exec(rest);
  if (method === 'PATCH' && update) {
    const [, object, id] = update as unknown as [string, string, string];
    const current = fake.table(object).get(id);
    if (!current || current.IsDeleted) return sfError(404, current ? 'ENTITY_IS_DELETED' : 'NOT_FOUND', current ? 'entity is deleted' : 'Provided external ID field does not exist or is not accessible: ' + id);
    const checked = writable(fake, object, raw);
    if ('refused' in checked) return checked.refused;
    fake.update(object, id, checked.fields);
    return { status: 204 };
  }
  return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

function token(fake: SalesforceFake, origin: string, raw: string): Answer {
  const form = new URLSearchParams(raw);
  if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
  if (form.get('client_id') !== fake.app.clientId) return { status: 400, body: { error: 'invalid_client_id', error_description: 'client identifier invalid' } };
  if (form.get('client_secret') !== fake.app.clientSecret) return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
  if (!fake.runAsUserId) return { status: 400, body: { error: 'invalid_grant', error_description: 'no client credentials user enabled' } };
  const access = `${fake.orgId.slice(0, 15)}!AQ${randomBytes(24).toString('base64url')}`;
  fake.tokens.add(access);
  return {
    status: 200,
    body: { access_token: access, signature: randomBytes(32).toString('base64'), scope: 'api', instance_url: origin, id: `${origin}/id/${fake.orgId}/${fake.runAsUserId}`, token_type: 'Bearer', issued_at: String(Date.now()) },
  };
}

async function handle(fake: SalesforceFake, origin: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const raw = await readBody(request);
  const method = request.method ?? 'GET';
  const listing = isListing(fake, method, url);
  const answer = (result: Answer) => {
    const kind = result.kind ?? (listing && result.status === 200 ? 'list' : undefined);
    fake.record({ method, path: url.pathname, status: result.status, ...(kind ? { kind } : {}) });
    if (result.status === 204) {
      response.writeHead(204);
      response.end();
      return;
    }
    send(response, result.status, JSON.stringify(result.body), 'application/json;charset=UTF-8');
  };
  if (method === 'POST' && url.pathname === '/services/oauth2/token') return answer(token(fake, origin, raw));
  if (listing && fake.listingFails()) {
    fake.record({ method, path: url.pathname, status: 0 });
    request.socket.destroy();
    return;
  }
  if (fake.limited(fake.settings.rateLimit)) return answer(sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'));
  if (fake.settings.dailyAllowanceUsed) return answer(sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
  if (!fake.tokens.has(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '')) return answer(sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'));
  if (fake.settings.apiDisabled) return answer(sfError(403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.'));
  answer(route(fake, request, method, url, raw, listing));
}

export type RunningSalesforceFake = RunningFake<SalesforceFake>;

/** Starts the Salesforce contract fake on a loopback port: the org's My Domain, token endpoint and REST API. */
export function startSalesforceFake(): Promise<RunningSalesforceFake> {
  return startFake(new SalesforceFake(), handle);
}
