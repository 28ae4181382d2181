import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, readBody, send } from '../http-util';
import { PipedriveFake, type PipedriveActivity, type PipedriveDeal, type PipedriveNote } from './state';

// Pipedrive's API as its vendor documents it and its Node SDK (pipedrive/client-nodejs) reads it. Sources:
// - Auth: an API token in the `x-api-token` header or the `api_token` query parameter (src/versions/v1/
//   configuration.ts, v2/configuration.ts apiKey); the company's own domain serves the API.
// - Deals, API v2 (src/versions/v2/api/deals-api.ts getDeals): `updated_since` (update_time ≥, RFC 3339),
//   `updated_until` (<), `status` open|won|lost|deleted, comma-separated, deleted deals kept 30 days, default every
//   status but deleted; `sort_by` id|update_time|add_time, `sort_direction`, `limit` (default 100, at most 500) and
//   `cursor`, "the marker representing the first item on the next page"; answers {success, data, additional_data:
//   {next_cursor}}. A deal: v2/models/add-deal-request.ts (owner_id, value, currency, pipeline_id, stage_id,
//   status, probability, expected_close_date, won_time, lost_time, close_time, custom_fields…). PATCH
//   /api/v2/deals/{id}. Pipelines and stages: GET /api/v2/pipelines, /api/v2/stages (v2/models/stage-item.ts).
// - Users: GET /api/v1/users and /api/v1/users/me (v1/models/base-user.ts; me adds company_id, company_name,
//   company_domain). Notes, API v1 (v1/api/notes-api.ts): GET /api/v1/notes?deal_id&start&limit with
//   additional_data.pagination {start, limit, more_items_in_collection, next_start}; POST /api/v1/notes {content,
//   deal_id|person_id|org_id|lead_id, user_id}; PUT /api/v1/notes/{id}. Activities, API v2 (v2/api/activities-api.ts,
//   v2/models/add-activity-request.ts): GET /api/v2/activities?deal_id&cursor, POST {subject, type, owner_id,
//   deal_id, due_date, note}.
// - Errors {success: false, error, error_info, data: null, additional_data: null}: 401 "unauthorized access", 402
//   company account not open (trial ended, unpaid), 403 no permission, 404 "… not found". Rate limits
//   (pipedrive.readme.io/docs/core-api-concepts-rate-limiting): 429 with x-ratelimit-limit, x-ratelimit-remaining
//   and x-ratelimit-reset (seconds until the 2-second window resets).

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

const errorInfo = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

function failure(status: number, error: string): Answer {
  return { status, body: { success: false, error, error_info: errorInfo, data: null, additional_data: null } };
}

const rfc3339 = (ms: number | null) => (ms === null ? null : `${new Date(ms).toISOString().slice(0, 19)}Z`);

function dealJson(deal: PipedriveDeal): unknown {
  return {
    ...deal,
    add_time: rfc3339(deal.add_time), update_time: rfc3339(deal.update_time), won_time: rfc3339(deal.won_time), lost_time: rfc3339(deal.lost_time), close_time: rfc3339(deal.close_time),
    is_deleted: deal.status === 'deleted', is_archived: false, archive_time: null, person_id: null, org_id: null, lost_reason: null, visible_to: 3, label_ids: [], stage_change_time: rfc3339(deal.update_time), origin: 'API',
  };
}

function noteJson(note: PipedriveNote): unknown {
  return { ...note, add_time: new Date(note.add_time).toISOString().slice(0, 19).replace('T', ' '), update_time: new Date(note.update_time).toISOString().slice(0, 19).replace('T', ' '), active_flag: true, pinned_to_deal_flag: false };
}

function activityJson(activity: PipedriveActivity): unknown {
  return { ...activity, add_time: rfc3339(activity.add_time), update_time: rfc3339(activity.update_time), is_deleted: false, busy: false, priority: null, due_time: null, duration: null };
}

/** The cursor: the sort key and id of the first item of the next page, opaque to the client. */
function cursorOf(key: number, id: number): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

function readCursor(cursor: string | null): [number, number] | null {
  if (cursor === null) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'number') ? (value as [number, number]) : null;
  } catch {
    return null;
  }
}

/** One page of a v2 list sorted by `key` then id, from the cursor's item on. */
function cursorPage<T extends { id: number }>(rows: T[], query: URLSearchParams, key: (row: T) => number, json: (row: T) => unknown): Answer {
  const limit = Number(query.get('limit') ?? '100');
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) return failure(400, 'Invalid limit: it must be an integer from 1 to 500');
  const descending = query.get('sort_direction') === 'desc';
  const sorted = rows.sort((a, b) => (key(a) - key(b) || a.id - b.id) * (descending ? -1 : 1));
  const marker = readCursor(query.get('cursor'));
  if (query.get('cursor') !== null && marker === null) return failure(400, 'Invalid cursor');
  const from = marker === null ? 0 : sorted.findIndex((row) => (descending ? -1 : 1) * (key(row) - marker[0] || row.id - marker[1]) >= 0);
  const page = from < 0 ? [] : sorted.slice(from, from + limit);
  const after = from < 0 ? undefined : sorted[from + limit];
  return { status: 200, body: { success: true, data: page.map(json), additional_data: { next_cursor: after ? cursorOf(key(after), after.id) : null } } };
}

function parse(raw: string): Record<string, unknown> | null {
  try {
    const body = JSON.parse(raw) as unknown;
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const links = ['deal_id', 'person_id', 'org_id', 'lead_id'] as const;

function linked(query: URLSearchParams, row: Record<(typeof links)[number], number | string | null>): boolean {
  return links.every((link) => query.get(link) === null || String(row[link]) === query.get(link));
}

function route(fake: PipedriveFake, method: string, path: string, query: URLSearchParams, raw: string, userId: number): Answer {
  const now = Date.now();
  if (method === 'GET' && path === '/api/v1/users/me') {
    const me = fake.users.get(userId)!;
    return { status: 200, body: { success: true, data: { ...me, company_id: fake.company.id, company_name: fake.company.name, company_domain: fake.company.domain, default_currency: fake.company.currency, locale: 'de_DE', timezone_name: 'Europe/Berlin' } } };
  }
  if (method === 'GET' && path === '/api/v1/users') {
    return { status: 200, body: { success: true, data: [...fake.users.values()].map((user) => ({ ...user, default_currency: fake.company.currency, locale: 'de_DE', is_you: user.id === userId })) } };
  }
  if (method === 'GET' && path === '/api/v2/pipelines') return cursorPage([...fake.pipelines], query, (pipeline) => pipeline.order_nr, (pipeline) => ({ ...pipeline, is_deleted: false, is_deal_probability_enabled: true }));
  if (method === 'GET' && path === '/api/v2/stages') return cursorPage([...fake.stages], query, (stage) => stage.id, (stage) => ({ ...stage, is_deleted: false, is_deal_rot_enabled: false, days_to_rotten: null }));
  if (method === 'GET' && path === '/api/v2/deals') {
    const statuses = new Set((query.get('status') ?? 'open,won,lost').split(','));
    const since = query.get('updated_since');
    const until = query.get('updated_until');
    for (const time of [since, until]) if (time !== null && Number.isNaN(Date.parse(time))) return failure(400, `Invalid date-time: ${time}`);
    const rows = [...fake.deals.values()].filter(
      (deal) => statuses.has(deal.status) && (since === null || deal.update_time >= Date.parse(since)) && (until === null || deal.update_time < Date.parse(until)),
    );
    const sortBy = query.get('sort_by') ?? 'id';
    const key = sortBy === 'update_time' ? (deal: PipedriveDeal) => deal.update_time : sortBy === 'add_time' ? (deal: PipedriveDeal) => deal.add_time : (deal: PipedriveDeal) => deal.id;
    return cursorPage(rows, query, key, dealJson);
  }
  const deal = /^\/api\/v2\/deals\/(\d+)$/.exec(path);
  if (deal) {
    const found = fake.deals.get(Number(deal[1]));
    if (!found) return failure(404, 'Deal not found');
    if (method === 'GET') return { status: 200, body: { success: true, data: dealJson(found) } };
    if (method === 'PATCH') {
      const body = parse(raw);
      if (!body) return failure(400, 'Invalid JSON body');
      if (body.owner_id !== undefined && !fake.users.has(Number(body.owner_id))) return failure(400, 'Owner not found');
      fake.editDeal(found.id, body.owner_id !== undefined ? { owner_id: Number(body.owner_id) } : {});
      return { status: 200, body: { success: true, data: dealJson(found) } };
    }
  }
  if (path === '/api/v1/notes') {
    if (method === 'GET') {
      const start = Number(query.get('start') ?? '0');
      const limit = Math.min(500, Number(query.get('limit') ?? '100'));
      const rows = [...fake.notes.values()].filter((note) => linked(query, note)).sort((a, b) => a.id - b.id);
      const page = rows.slice(start, start + limit);
      const more = start + limit < rows.length;
      return { status: 200, body: { success: true, data: page.length ? page.map(noteJson) : null, additional_data: { pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } } } };
    }
    if (method === 'POST') {
      if (fake.settings.notesDenied) return failure(403, "You don't have permission to add notes to this deal.");
      const body = parse(raw);
      if (!body || typeof body.content !== 'string' || body.content === '') return failure(400, 'Content is required.');
      if (!links.some((link) => body[link] !== undefined)) return failure(400, 'Note must be linked to a deal, person, organization, lead or project.');
      if (body.deal_id !== undefined && !fake.deals.has(Number(body.deal_id))) return failure(400, 'Deal not found.');
      const note: PipedriveNote = {
        id: fake.id(), content: body.content, deal_id: body.deal_id === undefined ? null : Number(body.deal_id), person_id: body.person_id === undefined ? null : Number(body.person_id),
        org_id: body.org_id === undefined ? null : Number(body.org_id), lead_id: typeof body.lead_id === 'string' ? body.lead_id : null, user_id: body.user_id === undefined ? userId : Number(body.user_id), add_time: now, update_time: now,
      };
      fake.notes.set(note.id, note);
      return { status: 201, body: { success: true, data: noteJson(note) } };
    }
  }
  const note = /^\/api\/v1\/notes\/(\d+)$/.exec(path);
  if (method === 'PUT' && note) {
    const found = fake.notes.get(Number(note[1]));
    if (!found) return failure(404, 'Note not found.');
    const body = parse(raw);
    if (!body || typeof body.content !== 'string') return failure(400, 'Content is required.');
    found.content = body.content;
    found.update_time = now;
    return { status: 200, body: { success: true, data: noteJson(found) } };
  }
  if (path === '/api/v2/activities') {
    if (method === 'GET') return cursorPage([...fake.activities.values()].filter((activity) => linked(query, activity)), query, (activity) => activity.id, activityJson);
    if (method === 'POST') {
      const body = parse(raw);
      if (!body || typeof body.subject !== 'string') return failure(400, 'Subject is required.');
      if (body.deal_id !== undefined && !fake.deals.has(Number(body.deal_id))) return failure(400, 'Deal not found.');
      const activity: PipedriveActivity = {
        id: fake.id(), subject: body.subject, type: typeof body.type === 'string' ? body.type : 'task', owner_id: body.owner_id === undefined ? userId : Number(body.owner_id),
        deal_id: body.deal_id === undefined ? null : Number(body.deal_id), person_id: body.person_id === undefined ? null : Number(body.person_id), org_id: body.org_id === undefined ? null : Number(body.org_id),
        lead_id: typeof body.lead_id === 'string' ? body.lead_id : null, due_date: typeof body.due_date === 'string' ? body.due_date : null, note: typeof body.note === 'string' ? body.note : null, done: false, add_time: now, update_time: now,
      };
      fake.activities.set(activity.id, activity);
      return { status: 200, body: { success: true, data: activityJson(activity) } };
    }
  }
  return failure(404, `Unknown method ${method} ${path}`);
}

async function handle(fake: PipedriveFake, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const method = request.method ?? 'GET';
  const raw = await readBody(request);
  const sortBy = url.searchParams.get('sort_by') ?? undefined;
  const answer = (result: Answer) => {
    fake.record({ method, path: url.pathname, status: result.status, sortBy });
    send(response, result.status, JSON.stringify(result.body), 'application/json', result.headers ?? {});
  };
  const isListing = method === 'GET' && url.pathname === '/api/v2/deals' && sortBy === 'update_time';
  if (isListing && fake.listingFails()) {
    fake.record({ method, path: url.pathname, status: 0 });
    request.socket.destroy();
    return;
  }
  if (fake.limited(fake.settings.rateLimit)) {
    const reset = String(fake.settings.rateLimit!.resetSeconds);
    return answer({ ...failure(429, 'Request over limit'), headers: { 'x-ratelimit-limit': '80', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } });
  }
  const token = request.headers['x-api-token'] ?? url.searchParams.get('api_token') ?? '';
  const userId = fake.tokens.get(String(token));
  if (userId === undefined) return answer(failure(401, 'unauthorized access'));
  if (!fake.settings.paid) return answer(failure(402, 'Company account is not open (possible reason: trial expired, payment details not entered).'));
  answer(route(fake, method, url.pathname, url.searchParams, raw, userId));
}

export interface RunningPipedriveFake {
  fake: PipedriveFake;
  origin: string;
  close(): Promise<void>;
}

/** Starts the Pipedrive contract fake on a loopback port. */
export async function startPipedriveFake(): Promise<RunningPipedriveFake> {
  const fake = new PipedriveFake();
  return { fake, ...(await listenOnLoopback((request, response) => handle(fake, request, response))) };
}
