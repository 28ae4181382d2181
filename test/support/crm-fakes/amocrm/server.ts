import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, phpParams, readBody, send, type PhpValue } from '../http-util';
import { AmoFake, type AmoLead, type AmoNote, type AmoTask } from './state';

// amoCRM API v4 as its vendor documents and its PHP SDK reads it. Sources, per shape:
// - Errors: RFC 7807 problem bodies {title, type: "https://httpstatus.es/{status}", status, detail}, and for a bad
//   request also `validation-errors` (amocrm/amocrm-api-php src/AmoCRM/Client/AmoCRMApiRequest.php checkHttpStatus);
//   401 for a bad, revoked or expired token (a long-lived token is never refreshed: same file, "LongLivedAccessToken");
//   204 No Content with an empty body for a list with nothing in it and for a record that does not exist
//   (AmoCRMApiNoContentException); 429 with a body that is not JSON (parseResponse: "Too many requests"), no
//   Retry-After; 402 for an account whose subscription lapsed and 403 for a user without the right or a blocked IP
//   (developers.kommo.com/docs/limitations: at most 7 requests per second, IP restricted after abuse).
// - Lists: HAL, {_page, _links: {self, next?}, _embedded: {leads|users|notes|tasks|pipelines: […]}}; `page` and `limit`
//   (at most 250); `filter[updated_at][from|to]` in unix seconds and `filter[id]` one id or several
//   (src/AmoCRM/Filters/LeadsFilter.php, BaseRangeFilter.php); `order[updated_at|id]=asc|desc` (OrderTrait).
// - Leads: LeadModel::fromArray (id, name, price, price_with_minor_units, responsible_user_id, status_id, pipeline_id,
//   closed_at, updated_at… in unix seconds); a deleted lead is no longer listed nor readable.
// - Pipelines: GET /api/v4/leads/pipelines with `_embedded.statuses` per pipeline; 142 "won" and 143 "lost" are in
//   every pipeline (StatusModel, Leads/Pipelines/Statuses).
// - Users: UserModel (id, name, email, rights.is_active); account: AccountModel (currency, current_user_id).
// - Notes: POST /api/v4/leads/{id}/notes with [{note_type: "common", params: {text}}] (NoteModel, CommonNote);
//   PATCH /api/v4/leads/notes/{id}; GET /api/v4/leads/{id}/notes. Tasks: TaskModel (text, complete_till,
//   entity_id, entity_type, task_type_id, responsible_user_id) on /api/v4/tasks. PATCH /api/v4/leads for owners.

type Answer = { status: number; body?: unknown };

const titles: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found' };

function problem(status: number, detail: string, extra: Record<string, unknown> = {}): Answer {
  return { status, body: { ...extra, title: titles[status], type: `https://httpstatus.es/${status}`, status, detail } };
}

function single(value: PhpValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function many(value: PhpValue | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return Object.values(value).filter((v): v is string => typeof v === 'string');
}

function range(value: PhpValue | undefined): { from?: number; to?: number } | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return { from: Number(value), to: Number(value) };
  if (Array.isArray(value)) return null;
  const from = single(value.from);
  const to = single(value.to);
  return { ...(from !== undefined ? { from: Number(from) } : {}), ...(to !== undefined ? { to: Number(to) } : {}) };
}

/** A page of a HAL list, or 204 when nothing is on it. */
function halPage<T>(origin: string, path: string, query: Record<string, PhpValue>, key: string, rows: T[], decorate: (row: T) => unknown): Answer {
  const limit = Math.min(250, Math.max(1, Number(single(query.limit) ?? '50')));
  const page = Math.max(1, Number(single(query.page) ?? '1'));
  const slice = rows.slice((page - 1) * limit, page * limit);
  if (slice.length === 0) return { status: 204 };
  const link = (n: number) => {
    const params = new URLSearchParams(Object.entries(flatQuery(query)));
    params.set('page', String(n));
    params.set('limit', String(limit));
    return { href: `${origin}${path}?${params.toString()}` };
  };
  const links: Record<string, { href: string }> = { self: link(page) };
  if (rows.length > page * limit) links.next = link(page + 1);
  if (page > 1) links.prev = link(page - 1);
  return { status: 200, body: { _page: page, _links: links, _embedded: { [key]: slice.map(decorate) } } };
}

function flatQuery(query: Record<string, PhpValue>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (typeof value === 'string') out[name] = value;
    else Object.assign(out, flatQuery(value as Record<string, PhpValue>, name));
  }
  return out;
}

function ordered<T extends { id: number; updated_at: number }>(rows: T[], order: PhpValue | undefined): T[] {
  const byUpdated = typeof order === 'object' && !Array.isArray(order) ? single(order.updated_at) : undefined;
  const byId = typeof order === 'object' && !Array.isArray(order) ? single(order.id) : undefined;
  if (byUpdated) return rows.sort((a, b) => (a.updated_at - b.updated_at || a.id - b.id) * (byUpdated === 'desc' ? -1 : 1));
  return rows.sort((a, b) => (a.id - b.id) * (byId === 'desc' ? -1 : 1));
}

function leadJson(origin: string, lead: AmoLead): unknown {
  return { ...lead, _links: { self: { href: `${origin}/api/v4/leads/${lead.id}` } }, _embedded: { tags: [], companies: [] } };
}

function parseArray(raw: string): Record<string, unknown>[] | null {
  try {
    const body = JSON.parse(raw) as unknown;
    return Array.isArray(body) ? (body as Record<string, unknown>[]) : null;
  } catch {
    return null;
  }
}

const badJson = problem(400, 'Request validation failed', { 'validation-errors': [{ request_id: '0', errors: [{ code: 'InvalidType', path: '', detail: 'This value should be of type array.' }] }] });

function route(fake: AmoFake, origin: string, method: string, path: string, query: Record<string, PhpValue>, raw: string, userId: number): Answer {
  const now = fake.now();
  if (method === 'GET' && path === '/api/v4/account') {
    return { status: 200, body: { ...fake.account, current_user_id: userId, created_at: 1_600_000_000, created_by: 0, updated_at: now, updated_by: 0, is_unsorted_on: true, is_loss_reason_enabled: false, is_helpbot_enabled: false, is_technical_account: false, contact_name_display_order: 1, _links: { self: { href: `${origin}/api/v4/account` } } } };
  }
  if (method === 'GET' && path === '/api/v4/users') {
    const users = [...fake.users.values()].sort((a, b) => a.id - b.id);
    return halPage(origin, path, query, 'users', users, (user) => ({
      id: user.id, name: user.name, email: user.email, lang: 'ru',
      rights: { leads: { view: 'A', edit: 'A', add: 'A', delete: 'A', export: 'A' }, is_admin: false, is_free: false, is_active: user.active, group_id: null, role_id: null },
      _links: { self: { href: `${origin}/api/v4/users/${user.id}` } },
    }));
  }
  if (method === 'GET' && path === '/api/v4/leads/pipelines') {
    return {
      status: 200,
      body: {
        _total_items: fake.pipelines.length,
        _links: { self: { href: `${origin}${path}` } },
        _embedded: { pipelines: fake.pipelines.map(({ statuses, ...pipeline }) => ({ ...pipeline, _links: { self: { href: `${origin}${path}/${pipeline.id}` } }, _embedded: { statuses: statuses.map((status) => ({ ...status, _links: { self: { href: `${origin}${path}/${pipeline.id}/statuses/${status.id}` } } })) } })) },
      },
    };
  }
  if (method === 'GET' && path === '/api/v4/leads') {
    if (fake.settings.leadsDenied) return problem(403, 'Access denied');
    const filter = (typeof query.filter === 'object' && !Array.isArray(query.filter) ? query.filter : {}) as Record<string, PhpValue>;
    const updated = range(filter.updated_at);
    const ids = new Set(many(filter.id).map(Number));
    const rows = [...fake.leads.values()].filter(
      (lead) => (updated === null || ((updated.from === undefined || lead.updated_at >= updated.from) && (updated.to === undefined || lead.updated_at <= updated.to))) && (ids.size === 0 || ids.has(lead.id)),
    );
    return halPage(origin, path, query, 'leads', ordered(rows, query.order), (lead) => leadJson(origin, lead));
  }
  const lead = /^\/api\/v4\/leads\/(\d+)$/.exec(path);
  if (method === 'GET' && lead) {
    const found = fake.leads.get(Number(lead[1]));
    return found ? { status: 200, body: leadJson(origin, found) } : { status: 204 };
  }
  if (method === 'PATCH' && path === '/api/v4/leads') {
    const items = parseArray(raw);
    if (!items) return badJson;
    const answered = [];
    for (const [index, item] of items.entries()) {
      const target = fake.leads.get(Number(item.id));
      const owner = item.responsible_user_id === undefined ? undefined : Number(item.responsible_user_id);
      if (!target || (owner !== undefined && !fake.users.has(owner))) {
        return problem(400, 'Request validation failed', { 'validation-errors': [{ request_id: String(index), errors: [{ code: target ? 'NotSupportedChoice' : 'NotFound', path: target ? 'responsible_user_id' : 'id', detail: 'The value you selected is not a valid choice.' }] }] });
      }
      fake.editLead(target.id, owner !== undefined ? { responsible_user_id: owner, updated_by: userId } : { updated_by: userId });
      answered.push({ id: target.id, updated_at: target.updated_at, request_id: String(index), _links: { self: { href: `${origin}/api/v4/leads/${target.id}` } } });
    }
    return { status: 200, body: { _links: { self: { href: `${origin}/api/v4/leads` } }, _embedded: { leads: answered } } };
  }
  const notes = /^\/api\/v4\/leads\/(\d+)\/notes$/.exec(path);
  if (notes) {
    const entityId = Number(notes[1]);
    if (method === 'GET') {
      const filter = (typeof query.filter === 'object' && !Array.isArray(query.filter) ? query.filter : {}) as Record<string, PhpValue>;
      const types = new Set(many(filter.note_type));
      const rows = [...fake.notes.values()].filter((note) => note.entity_id === entityId && (types.size === 0 || types.has(note.note_type)));
      return halPage(origin, path, query, 'notes', ordered(rows, query.order), (note) => ({ ...note, _links: { self: { href: `${origin}/api/v4/leads/${entityId}/notes/${note.id}` } } }));
    }
    if (method === 'POST') {
      if (fake.settings.notesDenied) return problem(403, 'Access denied');
      if (!fake.leads.has(entityId)) return problem(400, 'Request validation failed', { 'validation-errors': [{ request_id: '0', errors: [{ code: 'NotFound', path: 'entity_id', detail: 'Entity not found' }] }] });
      const items = parseArray(raw);
      if (!items) return badJson;
      const made = items.map((item, index) => {
        const note: AmoNote = {
          id: fake.id(), entity_id: entityId, created_by: userId, updated_by: userId, created_at: now, updated_at: now,
          responsible_user_id: Number(item.responsible_user_id ?? userId), group_id: 0, note_type: String(item.note_type), params: { text: String((item.params as { text?: unknown } | undefined)?.text ?? '') }, account_id: fake.account.id,
        };
        fake.notes.set(note.id, note);
        return { id: note.id, entity_id: entityId, request_id: String(index), _links: { self: { href: `${origin}/api/v4/leads/${entityId}/notes/${note.id}` } } };
      });
      return { status: 200, body: { _links: { self: { href: `${origin}/api/v4/leads/notes` } }, _embedded: { notes: made } } };
    }
  }
  const note = /^\/api\/v4\/leads\/notes\/(\d+)$/.exec(path);
  if (method === 'PATCH' && note) {
    const found = fake.notes.get(Number(note[1]));
    if (!found) return { status: 204 };
    let body: { params?: { text?: unknown } };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return badJson;
    }
    if (typeof body.params?.text === 'string') found.params.text = body.params.text;
    found.updated_at = now;
    return { status: 200, body: { id: found.id, entity_id: found.entity_id, updated_at: now, _links: { self: { href: `${origin}/api/v4/leads/notes/${found.id}` } } } };
  }
  if (path === '/api/v4/tasks') {
    if (method === 'GET') {
      const filter = (typeof query.filter === 'object' && !Array.isArray(query.filter) ? query.filter : {}) as Record<string, PhpValue>;
      const entityIds = new Set(many(filter.entity_id).map(Number));
      const rows = [...fake.tasks.values()].filter((task) => task.entity_type === single(filter.entity_type) && (entityIds.size === 0 || entityIds.has(task.entity_id)));
      return halPage(origin, path, query, 'tasks', ordered(rows, query.order), (task) => task);
    }
    if (method === 'POST') {
      const items = parseArray(raw);
      if (!items) return badJson;
      const made = items.map((item, index) => {
        const task: AmoTask = {
          id: fake.id(), created_by: userId, updated_by: userId, created_at: now, updated_at: now, responsible_user_id: Number(item.responsible_user_id ?? userId), group_id: 0,
          entity_id: Number(item.entity_id), entity_type: String(item.entity_type), is_completed: false, task_type_id: Number(item.task_type_id ?? 1), text: String(item.text ?? ''),
          duration: 0, complete_till: Number(item.complete_till), result: [], account_id: fake.account.id,
        };
        fake.tasks.set(task.id, task);
        return { id: task.id, request_id: String(index), _links: { self: { href: `${origin}/api/v4/tasks/${task.id}` } } };
      });
      return { status: 200, body: { _links: { self: { href: `${origin}/api/v4/tasks` } }, _embedded: { tasks: made } } };
    }
  }
  return problem(404, `${method} ${path} is not a method of the API`);
}

async function handle(fake: AmoFake, origin: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const raw = await readBody(request);
  const method = request.method ?? 'GET';
  const answer = (result: Answer) => {
    const limit = url.searchParams.get('limit');
    fake.record({ method, path: url.pathname, status: result.status, ...(limit ? { limit: Number(limit) } : {}) });
    if (result.status === 204) {
      response.writeHead(204);
      response.end();
      return;
    }
    send(response, result.status, JSON.stringify(result.body), result.status >= 400 ? 'application/problem+json' : 'application/hal+json');
  };
  const isListing = method === 'GET' && url.pathname === '/api/v4/leads';
  if (isListing && fake.listingFails()) {
    fake.record({ method, path: url.pathname, status: 0 });
    request.socket.destroy();
    return;
  }
  if (fake.limited(fake.settings.rateLimit?.everyNth)) {
    fake.record({ method, path: url.pathname, status: 429 });
    send(response, 429, '', 'text/html');
    return;
  }
  const userId = fake.tokens.get(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
  if (userId === undefined) return answer(problem(401, 'Unauthorized'));
  if (!fake.settings.paid) return answer(problem(402, 'Account is not paid'));
  if (isListing && fake.deleteBeforeListing) {
    fake.deleteBeforeListing.at -= 1;
    if (fake.deleteBeforeListing.at <= 0) {
      fake.leads.delete(fake.deleteBeforeListing.id);
      fake.deleteBeforeListing = null;
    }
  }
  answer(route(fake, origin, method, url.pathname, phpParams(url.search.slice(1)), raw, userId));
}

export interface RunningAmoFake {
  fake: AmoFake;
  origin: string;
  close(): Promise<void>;
}

/** Starts the amoCRM contract fake on a loopback port. */
export async function startAmoFake(): Promise<RunningAmoFake> {
  const fake = new AmoFake();
  let origin = '';
  const running = await listen((request, response) => handle(fake, origin, request, response));
  origin = running.origin;
  return { fake, ...running };
}
