import type { IncomingMessage, ServerResponse } from 'node:http';
import { apacheNotFound, listenOnLoopback, phpParams, proxyTooManyRequests, readBody, send, type PhpValue } from '../http-util';
import { EspoFake, espoTime, type EspoRow } from './state';

// EspoCRM's REST API as espocrm/espocrm (github, branch master, mirrored 2026-12) implements it. Sources, per shape:
// - Routes: application/Espo/Resources/routes.json under /api/v1/ (GET /App/user, GET /Metadata?key=,
//   GET|POST /:controller, GET|PUT /:controller/:id, GET /:controller/:id/posts, GET /:controller/:id/:link).
// - Auth: Core/Authentication/Logins/ApiKey.php reads `X-Api-Key`; a failure is 401 without a body (Core/Api/Auth.php).
// - Errors: Core/Api/ErrorOutput.php, the status with the reason in the `X-Status-Reason` header and no body;
//   a record that is not there is 404 (NotFound), a missing right 403 (Forbidden).
// - Lists: Core/Record/SearchParamsFetcher.php (`select`, `where[i][type|attribute|value]`, `orderBy`, `order`,
//   `offset`, `maxSize`, which above recordListMaxSizeLimit, 200 by default, is 403 "Max size should not exceed
//   200. Use offset and limit."); Core/Select/Order/Applier.php adds id, in the same direction, to an order that is
//   not unique; the answer is `{total, list}` (Core/Record/Collection.php). Where types: Core/Select/Where/Item/Type.php.
// - Opportunity: Modules/Crm/Resources/metadata/entityDefs/Opportunity.json (amount + amountCurrency, stage enum with
//   probabilityMap, closeDate, assignedUserId/Name, modifiedAt "Y-m-d H:i:s" UTC); collection order createdAt desc.
// - Notes: POST /Note {type: "Post", parentType, parentId, post}; the author is the API user (createdById cannot be
//   set: Core/Record/Service.php filterInputSystemAttributes drops id and createdById); GET /:scope/:id/posts lists a
//   record's posts newest first (Controllers/Stream.php getActionListPosts). Tasks: POST /Task, GET /Opportunity/:id/tasks.
// - Without URL rewriting for /api/v1/ the web server answers its own 404 page.

type Answer = { status: number; body?: unknown; reason?: string };

function single(value: PhpValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function selected(row: EspoRow, select: string | undefined): Record<string, unknown> {
  if (!select) return row;
  const out: Record<string, unknown> = { id: row.id };
  for (const name of select.split(',')) if (name in row) out[name] = row[name];
  return out;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1;
}

/** A `where` item as EspoCRM applies it to an attribute; null for a type the fake does not know (answered 400). */
function matcher(item: Record<string, PhpValue>): ((row: EspoRow) => boolean) | null {
  const attribute = single(item.attribute) ?? '';
  const value = single(item.value);
  switch (single(item.type)) {
    case 'equals': return (row) => String(row[attribute]) === value;
    case 'greaterThan': return (row) => compare(row[attribute], value) > 0;
    case 'greaterThanOrEquals': return (row) => compare(row[attribute], value) >= 0;
    case 'lessThan': return (row) => compare(row[attribute], value) < 0;
    case 'lessThanOrEquals': return (row) => compare(row[attribute], value) <= 0;
    default: return null;
  }
}

function list(fake: EspoFake, rows: EspoRow[], query: Record<string, PhpValue>, defaultOrder: { by: string; order: 'asc' | 'desc' }): Answer {
  const maxSize = query.maxSize === undefined ? fake.settings.maxSizeLimit : Number(single(query.maxSize));
  if (maxSize > fake.settings.maxSizeLimit) return { status: 403, reason: `Max size should not exceed ${fake.settings.maxSizeLimit}. Use offset and limit.` };
  const where = typeof query.where === 'object' && !Array.isArray(query.where) ? Object.values(query.where) : [];
  let filtered = rows;
  for (const item of where) {
    const match = typeof item === 'object' && !Array.isArray(item) ? matcher(item) : null;
    if (!match) return { status: 400, reason: 'Bad where item.' };
    filtered = filtered.filter(match);
  }
  const by = single(query.orderBy) ?? defaultOrder.by;
  const direction = (single(query.order) ?? (query.orderBy === undefined ? defaultOrder.order : 'asc')) === 'desc' ? -1 : 1;
  const sorted = [...filtered].sort((a, b) => (compare(a[by], b[by]) || compare(a.id, b.id)) * direction);
  const offset = Number(single(query.offset) ?? '0');
  return { status: 200, body: { total: sorted.length, list: sorted.slice(offset, offset + maxSize).map((row) => selected(row, single(query.select))) } };
}

function parseObject(raw: string): Record<string, unknown> | null {
  try {
    const body = JSON.parse(raw) as unknown;
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function route(fake: EspoFake, method: string, path: string, query: Record<string, PhpValue>, raw: string, userId: string): Answer {
  const user = fake.users.get(userId)!;
  const now = espoTime(Date.now());
  if (method === 'GET' && path === 'App/user') {
    return { status: 200, body: { user: { id: user.id, name: user.name, userName: user.userName, type: user.type, isActive: user.isActive }, acl: { table: {} }, preferences: {}, token: null } };
  }
  if (method === 'GET' && path === 'Metadata') {
    return { status: 200, body: single(query.key) === 'entityDefs.Opportunity.fields.stage' ? fake.stageField : null };
  }
  if (method === 'GET' && path === 'User') {
    const users = [...fake.users.values()].map((u) => ({ ...u, firstName: u.name.split(' ')[0], lastName: u.name.split(' ').slice(1).join(' '), deleted: false }));
    return list(fake, users, query, { by: 'userName', order: 'asc' });
  }
  if (method === 'GET' && path === 'Opportunity') return list(fake, [...fake.opportunities.values()], query, { by: 'createdAt', order: 'desc' });
  const record = /^Opportunity\/([^/]+)(?:\/(posts|tasks))?$/.exec(path);
  if (record) {
    const row = fake.opportunities.get(decodeURIComponent(record[1]!));
    if (!row) return { status: 404 };
    if (method === 'GET' && record[2] === 'posts') {
      const posts = [...fake.notes.values()].filter((note) => note.parentType === 'Opportunity' && note.parentId === row.id && note.type === 'Post');
      return list(fake, posts, query, { by: 'number', order: 'desc' });
    }
    if (method === 'GET' && record[2] === 'tasks') {
      return list(fake, [...fake.tasks.values()].filter((task) => task.parentType === 'Opportunity' && task.parentId === row.id), query, { by: 'createdAt', order: 'desc' });
    }
    if (method === 'GET' && !record[2]) return { status: 200, body: row };
    if (method === 'PUT' && !record[2]) {
      const patch = parseObject(raw);
      if (!patch) return { status: 400, reason: 'Bad payload.' };
      if (patch.assignedUserId !== undefined && !fake.users.has(String(patch.assignedUserId))) return { status: 400, reason: 'Not valid assignedUserId.' };
      return { status: 200, body: fake.editOpportunity(row.id, patch as Partial<EspoRow>, now, userId) };
    }
  }
  if (method === 'POST' && (path === 'Note' || path === 'Task')) {
    const data = parseObject(raw);
    if (!data) return { status: 400, reason: 'Bad payload.' };
    if (path === 'Note' && fake.settings.notesDenied) return { status: 403, reason: 'No create access.' };
    if (data.parentType !== 'Opportunity' || !fake.opportunities.has(String(data.parentId))) return { status: 400, reason: 'Not valid parent.' };
    const base = { ...data, id: fake.id(), createdAt: now, modifiedAt: now, createdById: userId, createdByName: user.name, deleted: false };
    if (path === 'Note') {
      if (data.type !== 'Post') return { status: 403, reason: 'Only posts can be created.' };
      const note: EspoRow = { ...base, number: fake.notes.size + 1, data: {}, isInternal: false };
      fake.notes.set(note.id, note);
      return { status: 200, body: note };
    }
    const task: EspoRow = { status: 'Not Started', dateEnd: null, dateEndDate: null, assignedUserId: null, ...base };
    fake.tasks.set(task.id, task);
    return { status: 200, body: task };
  }
  const note = /^Note\/([^/]+)$/.exec(path);
  if (method === 'PUT' && note) {
    const found = fake.notes.get(decodeURIComponent(note[1]!));
    if (!found) return { status: 404 };
    const data = parseObject(raw);
    if (!data) return { status: 400, reason: 'Bad payload.' };
    if (typeof data.post === 'string') found.post = data.post;
    found.modifiedAt = now;
    return { status: 200, body: found };
  }
  return { status: 404 };
}

async function handle(fake: EspoFake, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const raw = await readBody(request);
  const method = request.method ?? 'GET';
  if (!url.pathname.startsWith('/api/v1/') || fake.settings.apiOff) {
    fake.record({ method, path: url.pathname, status: 404 });
    return apacheNotFound(response, url.pathname);
  }
  const path = url.pathname.slice('/api/v1/'.length);
  const answer = (result: Answer) => {
    fake.record({ method, path, status: result.status });
    const headers: Record<string, string> = result.reason ? { 'X-Status-Reason': result.reason } : {};
    send(response, result.status, result.body === undefined ? '' : JSON.stringify(result.body), 'application/json', headers);
  };
  if (method === 'GET' && path === 'Opportunity' && fake.failListingAfter !== null) {
    if (fake.failListingAfter <= 0) {
      fake.record({ method, path, status: 0 });
      request.socket.destroy();
      return;
    }
    fake.failListingAfter -= 1;
  }
  if (fake.limited()) {
    fake.record({ method, path, status: 429 });
    return proxyTooManyRequests(response, fake.settings.rateLimit!.retryAfterSeconds);
  }
  const userId = fake.apiKeys.get(String(request.headers['x-api-key'] ?? ''));
  if (userId === undefined || !fake.users.get(userId)?.isActive) return answer({ status: 401 });
  answer(route(fake, method, path, phpParams(url.search.slice(1)), raw, userId));
}

export interface RunningEspoFake {
  fake: EspoFake;
  origin: string;
  close(): Promise<void>;
}

/** Starts the EspoCRM contract fake on a loopback port. */
export async function startEspoFake(): Promise<RunningEspoFake> {
  const fake = new EspoFake();
  return { fake, ...(await listenOnLoopback((request, response) => handle(fake, request, response))) };
}
