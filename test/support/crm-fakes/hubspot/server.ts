import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, readBody, send } from '../http-util';
import { HubSpotFake, type HubSpotRecord } from './state';

// HubSpot's CRM API v3 as its vendor documents it and its Node SDK (HubSpot/hubspot-api-nodejs) reads it. Sources:
// - Search: POST /crm/v3/objects/deals/search (codegen/crm/deals/apis/SearchApi.ts) with PublicObjectSearchRequest
//   {filterGroups: [{filters: [{propertyName, operator, value}]}], sorts, properties, limit, after}
//   (models/PublicObjectSearchRequest.ts, Filter.ts: EQ, NEQ, LT, LTE, GT, GTE…); the answer
//   CollectionResponseWithTotalSimplePublicObjectForwardPaging {total, results, paging.next.after}. At most 200
//   results a page, and no further than 10,000 results into one search (developers.hubspot.com/docs/api/crm/search,
//   "Limitations"): after + limit beyond it is a 400.
// - Objects: SimplePublicObject {id, properties (strings or null), createdAt, updatedAt, archived, archivedAt}
//   (models/SimplePublicObject.ts); GET /crm/v3/objects/deals?limit&after&archived (BasicApi.getPage) with forward
//   paging; GET /crm/v3/objects/deals/{dealId}?properties (BasicApi.getById); PATCH the same path; an unknown id is
//   404 category OBJECT_NOT_FOUND. Notes and tasks are created with SimplePublicObjectInputForCreate {properties,
//   associations: [{to: {id}, types: [AssociationSpec {associationCategory, associationTypeId}]}]} (214 note→deal,
//   216 task→deal); POST /crm/v3/objects/{notes,tasks}/batch/read {properties, inputs: [{id}]}; the record's
//   associations by GET /crm/v4/objects/deals/{id}/associations/{toObjectType} {results: [{toObjectId,
//   associationTypes}], paging}.
// - Pipelines: GET /crm/v3/pipelines/deals {results: [Pipeline {id, label, displayOrder, stages: [PipelineStage {id,
//   label, metadata: {isClosed, probability}}]}]} (codegen/crm/pipelines/models). Owners: GET /crm/v3/owners
//   {results: [PublicOwner {id, email, firstName, lastName, userId, archived}], paging} (codegen/crm/owners/models).
// - Account: GET /account-info/v3/details {portalId, companyCurrency, timeZone, uiDomain, …}.
// - Errors: ModelError {status: "error", message, correlationId, category, errors?} (models/ModelError.ts): 401
//   INVALID_AUTHENTICATION; 403 MISSING_SCOPES; 429 {status, message, errorType: "RATE_LIMIT", correlationId,
//   policyName} — the app's TEN_SECONDLY_ROLLING limit with X-HubSpot-RateLimit-* headers, and the search endpoints'
//   "You have reached your secondly limit." without them (src/services/decorators/RetryDecorator.ts).

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

const searchCap = 10_000;

function error(status: number, category: string, message: string, extra: Record<string, unknown> = {}): Answer {
  return { status, body: { status: 'error', message, correlationId: randomUUID(), category, ...extra } };
}

const notFound = (id: string) => error(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [id] } });

function objectJson(record: HubSpotRecord, properties: readonly string[] | null): unknown {
  const base: Record<string, string | null> = { hs_object_id: String(record.id), hs_createdate: new Date(record.createdAt).toISOString(), hs_lastmodifieddate: new Date(record.modifiedAt).toISOString() };
  const picked = properties === null ? record.properties : Object.fromEntries(properties.map((name) => [name, record.properties[name] ?? null]));
  return {
    id: String(record.id),
    properties: { ...picked, ...base },
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.archivedAt ?? record.modifiedAt).toISOString(),
    archived: record.archivedAt !== null,
    ...(record.archivedAt !== null ? { archivedAt: new Date(record.archivedAt).toISOString() } : {}),
  };
}

interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
}

/** A property's value for filtering and sorting: times and ids as numbers, everything else as text. */
function valueOf(record: HubSpotRecord, name: string): string | number | null {
  if (name === 'hs_lastmodifieddate') return record.modifiedAt;
  if (name === 'hs_object_id') return record.id;
  return record.properties[name] ?? null;
}

function matches(record: HubSpotRecord, filter: Filter): boolean {
  const have = valueOf(record, filter.propertyName);
  const raw = filter.value ?? '';
  const want = typeof have === 'number' ? (/^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)) : raw;
  if (have === null) return filter.operator === 'NOT_HAS_PROPERTY';
  switch (filter.operator) {
    case 'EQ': return have === want;
    case 'NEQ': return have !== want;
    case 'GT': return have > want;
    case 'GTE': return have >= want;
    case 'LT': return have < want;
    case 'LTE': return have <= want;
    case 'HAS_PROPERTY': return true;
    default: return false;
  }
}

function search(fake: HubSpotFake, raw: string): Answer {
  let body: { filterGroups?: { filters?: Filter[] }[]; sorts?: { propertyName: string; direction?: string }[] | string[]; properties?: string[]; limit?: number; after?: string };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return error(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1');
  }
  const limit = body.limit ?? 10;
  if (limit > 200) return error(400, 'VALIDATION_ERROR', 'Invalid input: limit must be at most 200');
  const offset = Number(body.after ?? '0');
  if (offset + limit > searchCap) return error(400, 'VALIDATION_ERROR', `There was a problem with the request. Search results are limited to ${searchCap} results; after (${offset}) plus limit (${limit}) exceeds it.`);
  const groups = body.filterGroups ?? [];
  const rows = [...fake.deals.values()].filter((deal) => deal.archivedAt === null && (groups.length === 0 || groups.some((group) => (group.filters ?? []).every((filter) => matches(deal, filter)))));
  const sort = body.sorts?.[0];
  const by = typeof sort === 'string' ? sort : sort?.propertyName;
  const descending = typeof sort === 'object' && sort?.direction === 'DESCENDING';
  // Without a sort HubSpot orders by id; records equal in the sort key come in id order.
  rows.sort((a, b) => {
    const x = by ? valueOf(a, by) : a.id;
    const y = by ? valueOf(b, by) : b.id;
    const order = x === y ? a.id - b.id : (x ?? '') < (y ?? '') ? -1 : 1;
    return descending && x !== y ? -order : order;
  });
  const page = rows.slice(offset, offset + limit);
  return {
    status: 200,
    body: {
      total: rows.length,
      results: page.map((deal) => objectJson(deal, body.properties ?? ['dealname', 'amount', 'closedate', 'pipeline', 'dealstage'])),
      ...(offset + limit < rows.length ? { paging: { next: { after: String(offset + limit) } } } : {}),
    },
  };
}

function listPage<T>(rows: T[], query: URLSearchParams, maxLimit: number, idOf: (row: T) => string, json: (row: T) => unknown): Answer {
  const limit = Math.min(maxLimit, Math.max(1, Number(query.get('limit') ?? '10')));
  const after = query.get('after');
  const start = after === null ? 0 : rows.findIndex((row) => Number(idOf(row)) > Number(after));
  const slice = start < 0 ? [] : rows.slice(start, start + limit);
  const more = start >= 0 && start + limit < rows.length;
  return { status: 200, body: { results: slice.map(json), ...(more ? { paging: { next: { after: idOf(slice.at(-1)!), link: '' } } } : {}) } };
}

function parse(raw: string): Record<string, unknown> | null {
  try {
    const body = JSON.parse(raw) as unknown;
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const engagementTypes = { notes: { deals: 214, contacts: 202, companies: 190 }, tasks: { deals: 216, contacts: 204, companies: 192 } } as const;

function createEngagement(fake: HubSpotFake, kind: 'notes' | 'tasks', raw: string): Answer {
  if (kind === 'notes' && fake.settings.notesDenied) {
    return error(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }],
    });
  }
  const body = parse(raw);
  if (!body || typeof body.properties !== 'object') return error(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties are required');
  const associations = (body.associations ?? []) as { to?: { id?: string }; types?: { associationCategory?: string; associationTypeId?: number }[] }[];
  for (const association of associations) {
    const typeId = association.types?.[0]?.associationTypeId;
    const deal = fake.deals.get(Number(association.to?.id));
    if (typeId !== engagementTypes[kind].deals) return error(400, 'VALIDATION_ERROR', `Association type ${typeId} is not valid from ${kind} to deals`);
    if (!deal || deal.archivedAt !== null) return error(400, 'VALIDATION_ERROR', `One or more associations are invalid: deal ${association.to?.id} does not exist`);
  }
  const now = Date.now();
  const id = fake.id();
  const record: HubSpotRecord = { id, properties: Object.fromEntries(Object.entries(body.properties as Record<string, unknown>).map(([key, value]) => [key, value === null ? null : String(value)])), createdAt: now, modifiedAt: now, archivedAt: null };
  (kind === 'notes' ? fake.notes : fake.tasks).set(id, record);
  for (const association of associations) fake.associations.push({ fromType: 'deals', fromId: Number(association.to!.id), toType: kind, toId: id, typeId: engagementTypes[kind].deals });
  return { status: 201, body: objectJson(record, null) };
}

function route(fake: HubSpotFake, method: string, path: string, query: URLSearchParams, raw: string): Answer {
  if (method === 'GET' && path === '/account-info/v3/details') {
    return { status: 200, body: { ...fake.portal, accountType: 'STANDARD', utcOffset: '+01:00', utcOffsetMilliseconds: 3_600_000 } };
  }
  if (method === 'POST' && path === '/crm/v3/objects/deals/search') return search(fake, raw);
  if (method === 'GET' && path === '/crm/v3/pipelines/deals') {
    const now = new Date(0).toISOString();
    return { status: 200, body: { results: fake.pipelines.map((pipeline) => ({ ...pipeline, archived: false, createdAt: now, updatedAt: now, stages: pipeline.stages.map((stage) => ({ ...stage, archived: false, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT', createdAt: now, updatedAt: now })) })) } };
  }
  if (method === 'GET' && path === '/crm/v3/owners') {
    const archived = query.get('archived') === 'true';
    const owners = [...fake.owners.values()].filter((owner) => owner.archived === archived).sort((a, b) => Number(a.id) - Number(b.id));
    const now = new Date(0).toISOString();
    return listPage(owners, query, 500, (owner) => owner.id, (owner) => ({ ...owner, type: 'PERSON', userIdIncludingInactive: owner.userId, createdAt: now, updatedAt: now, teams: [] }));
  }
  if (method === 'GET' && path === '/crm/v3/objects/deals') {
    const archived = query.get('archived') === 'true';
    const properties = query.get('properties')?.split(',') ?? ['dealname', 'amount'];
    const deals = [...fake.deals.values()].filter((deal) => (deal.archivedAt !== null) === archived).sort((a, b) => a.id - b.id);
    return listPage(deals, query, 100, (deal) => String(deal.id), (deal) => objectJson(deal, properties));
  }
  const deal = /^\/crm\/v3\/objects\/deals\/(\d+)$/.exec(path);
  if (deal) {
    const found = fake.deals.get(Number(deal[1]));
    if (!found || found.archivedAt !== null) return notFound(deal[1]!);
    if (method === 'GET') return { status: 200, body: objectJson(found, query.get('properties')?.split(',') ?? ['dealname', 'amount']) };
    if (method === 'PATCH') {
      const body = parse(raw);
      if (!body || typeof body.properties !== 'object') return error(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties are required');
      const properties = body.properties as Record<string, string>;
      if (properties.hubspot_owner_id !== undefined && !fake.owners.has(properties.hubspot_owner_id)) {
        return error(400, 'VALIDATION_ERROR', `Property values were not valid: [{"isValid":false,"message":"${properties.hubspot_owner_id} is not a valid owner id","error":"INVALID_OWNER_ID","name":"hubspot_owner_id"}]`);
      }
      fake.editDeal(found.id, properties);
      return { status: 200, body: objectJson(found, null) };
    }
  }
  const engagement = /^\/crm\/v3\/objects\/(notes|tasks)(?:\/(\d+|batch\/read))?$/.exec(path);
  if (engagement) {
    const kind = engagement[1] as 'notes' | 'tasks';
    const store = kind === 'notes' ? fake.notes : fake.tasks;
    if (method === 'POST' && engagement[2] === undefined) return createEngagement(fake, kind, raw);
    if (method === 'POST' && engagement[2] === 'batch/read') {
      const body = parse(raw) as { properties?: string[]; inputs?: { id: string }[] } | null;
      if (!body?.inputs || body.inputs.length > 100) return error(400, 'VALIDATION_ERROR', 'Invalid input: inputs must hold 1 to 100 ids');
      const results = body.inputs.map((input) => store.get(Number(input.id))).filter((found): found is HubSpotRecord => found !== undefined);
      const now = new Date().toISOString();
      return { status: 200, body: { status: 'COMPLETE', results: results.map((found) => objectJson(found, body.properties ?? [])), startedAt: now, completedAt: now } };
    }
    if (method === 'PATCH' && engagement[2] && engagement[2] !== 'batch/read') {
      const found = store.get(Number(engagement[2]));
      if (!found) return notFound(engagement[2]);
      const body = parse(raw);
      if (!body || typeof body.properties !== 'object') return error(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties are required');
      Object.assign(found.properties, body.properties);
      found.modifiedAt = Date.now();
      return { status: 200, body: objectJson(found, null) };
    }
  }
  const associations = /^\/crm\/v4\/objects\/deals\/(\d+)\/associations\/(notes|tasks)$/.exec(path);
  if (method === 'GET' && associations) {
    const dealId = Number(associations[1]);
    if (!fake.deals.has(dealId)) return notFound(associations[1]!);
    const rows = fake.associations.filter((a) => a.fromType === 'deals' && a.fromId === dealId && a.toType === associations[2]).sort((a, b) => a.toId - b.toId);
    return listPage(rows, query, 500, (a) => String(a.toId), (a) => ({ toObjectId: a.toId, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: a.typeId, label: null }] }));
  }
  return error(404, 'OBJECT_NOT_FOUND', `No route for ${method} ${path}`);
}

async function handle(fake: HubSpotFake, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const method = request.method ?? 'GET';
  const raw = await readBody(request);
  const answer = (result: Answer) => {
    fake.record({ method, path: url.pathname, status: result.status });
    send(response, result.status, result.body === undefined ? '' : JSON.stringify(result.body), 'application/json;charset=utf-8', result.headers ?? {});
  };
  if (fake.settings.apiOff) {
    fake.record({ method, path: url.pathname, status: 404 });
    send(response, 404, '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>', 'text/html');
    return;
  }
  const isSearch = method === 'POST' && url.pathname === '/crm/v3/objects/deals/search';
  if (isSearch && fake.listingFails()) {
    fake.record({ method, path: url.pathname, status: 0 });
    request.socket.destroy();
    return;
  }
  if (fake.limited(fake.settings.rateLimit)) {
    return answer(isSearch
      ? { status: 429, body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID() } }
      : {
          status: 429,
          body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'TEN_SECONDLY_ROLLING', groupName: 'privateapps:147506535' },
          headers: { 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000', 'X-HubSpot-RateLimit-Max': '190', 'X-HubSpot-RateLimit-Remaining': '0' },
        });
  }
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  if (!fake.tokens.has(token)) {
    return answer(error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview'));
  }
  answer(route(fake, method, url.pathname, url.searchParams, raw));
}

export interface RunningHubSpotFake {
  fake: HubSpotFake;
  origin: string;
  close(): Promise<void>;
}

/** Starts the HubSpot contract fake on a loopback port. */
export async function startHubSpotFake(): Promise<RunningHubSpotFake> {
  const fake = new HubSpotFake();
  return { fake, ...(await listenOnLoopback((request, response) => handle(fake, request, response))) };
}
