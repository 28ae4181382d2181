import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, readBody, send } from '../http-util';
import { parseCoql, runCoql, ZohoFake } from './state';

// The Zoho CRM contract fake: a real HTTP server on loopback playing both the accounts server (POST /oauth/v2/token,
// as lib/models/authenticator/oauth_token.js of the Node SDK 8.0 calls it: a form with grant_type=refresh_token,
// client_id, client_secret, refresh_token; answering {access_token, api_domain, token_type, expires_in} or {error})
// and the API domain (/crm/v8/…, "Authorization: Zoho-oauthtoken …"). Errors {code, details, message, status:
// "error"} as Zoho's "Status Codes" page lists them: 401 INVALID_TOKEN "invalid oauth token", 403 NO_PERMISSION
// "permission denied", 429 TOO_MANY_REQUESTS (no Retry-After), 403 FEATURE_NOT_SUPPORTED; 204 for an empty list.
// Record shapes: state.ts. Lists page with page/per_page and info {per_page, count, page, more_records}.

type Row = Record<string, unknown>;

class ZohoFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const denied = () => new ZohoFailure(403, 'NO_PERMISSION', 'permission denied');

function paged(rows: Row[], url: URL, key = 'data'): { status: number; body?: unknown } {
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
  const perPage = Math.min(200, Math.max(1, Number(url.searchParams.get('per_page') ?? 200)));
  const slice = rows.slice((page - 1) * perPage, page * perPage);
  if (slice.length === 0) return { status: 204 };
  return { status: 200, body: { [key]: slice, info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < rows.length } } };
}

function written(id: string, status = 201): { status: number; body: unknown } {
  return { status, body: { data: [{ code: 'SUCCESS', details: { id, Modified_Time: new Date().toISOString() }, message: 'record added', status: 'success' }] } };
}

function api(fake: ZohoFake, method: string, url: URL, body: Row): { status: number; body?: unknown } {
  const path = url.pathname.replace(/^\/crm\/v8/, '');
  const user = (id: string) => fake.users.get(id);
  if (method === 'GET' && path === '/users') {
    const type = url.searchParams.get('type') ?? 'AllUsers';
    const users = [...fake.users.values()].filter((u) => type === 'AllUsers' || (type === 'CurrentUser' && u.id === fake.currentUserId) || (type === 'ActiveUsers' && u.status === 'active'));
    return paged(users as unknown as Row[], url, 'users');
  }
  if (method === 'GET' && path === '/org') return { status: 200, body: { org: [{ id: '20071234567', company_name: 'Acme', iso_code: fake.settings.homeCurrency, currency_symbol: '€' }] } };
  if (method === 'GET' && path === '/settings/layouts') {
    if (url.searchParams.get('module') !== 'Deals') throw new ZohoFailure(400, 'INVALID_MODULE', 'the module name given seems to be invalid');
    return { status: 200, body: { layouts: [{ id: '5725767000000091055', name: 'Standard', status: 'active' }] } };
  }
  if (method === 'GET' && path === '/settings/pipeline') {
    if (url.searchParams.get('layout_id') !== '5725767000000091055') throw new ZohoFailure(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing');
    const pipeline = fake.pipelines.map((p) => ({
      id: p.id, display_value: p.display_value, actual_value: p.display_value, default: p.default, child_available: false, parent: null,
      maps: p.stages.map((stage, index) => ({
        id: String(5725767000000006800n + BigInt(index)), display_value: stage.actual_value, actual_value: stage.actual_value, sequence_number: index + 1, colour_code: null,
        forecast_type: stage.forecast_type, forecast_category: { name: stage.forecast_type === 'Open' ? 'Pipeline' : 'Closed', id: '5725767000000006001' }, _delete: null,
      })),
    }));
    return { status: 200, body: { pipeline } };
  }
  if (method === 'POST' && path === '/coql') {
    if (fake.failListingAfter !== null) {
      if (fake.failListingAfter <= 0) throw new Error('reset');
      fake.failListingAfter -= 1;
    }
    fake.queries.push(String(body.select_query ?? ''));
    let query;
    try {
      query = parseCoql(String(body.select_query ?? ''));
    } catch (error) {
      throw new ZohoFailure(400, 'SYNTAX_ERROR', (error as Error).message);
    }
    if (query.module !== 'Deals') throw new ZohoFailure(400, 'INVALID_QUERY', 'invalid module');
    const rows = runCoql(query, [...fake.deals.values()].map((deal) => fake.record(deal)));
    if (rows.length === 0) return { status: 204 };
    return { status: 200, body: { data: rows, info: { count: rows.length, more_records: rows.length === query.limit } } };
  }
  if (method === 'GET' && path === '/Deals/deleted') {
    const rows = [...fake.deleted].sort((a, b) => b.deleted_time - a.deleted_time).map((d) => ({ ...d, deleted_time: fake.zohoTime(d.deleted_time), deleted_by: { name: 'Headway Integration', id: fake.currentUserId }, created_by: { id: fake.currentUserId } }));
    return paged(rows, url);
  }
  const related = /^\/Deals\/(\d+)\/(Notes|Tasks)$/.exec(path);
  if (method === 'GET' && related) {
    const [, dealId, list] = related as unknown as [string, string, string];
    if (!fake.deals.has(dealId)) throw new ZohoFailure(400, 'INVALID_DATA', 'the related id given seems to be invalid');
    const rows = list === 'Notes' ? [...fake.notes.values()].filter((n) => n.Parent_Id.id === dealId) : [...fake.tasks.values()].filter((t) => t.What_Id.id === dealId);
    return paged(rows as unknown as Row[], url);
  }
  const data = (Array.isArray(body.data) ? body.data[0] : undefined) as Row | undefined;
  if (!data) throw new ZohoFailure(400, 'INVALID_DATA', 'body is empty or data is missing');
  if (method === 'POST' && path === '/Notes') {
    if (fake.settings.notesDenied) throw denied();
    const parent = data.Parent_Id as ZohoNoteParent | undefined;
    if (parent?.module?.api_name !== 'Deals' || !fake.deals.has(String(parent.id))) throw new ZohoFailure(400, 'INVALID_DATA', 'the related id given seems to be invalid');
    if (!String(data.Note_Content ?? '').trim()) throw new ZohoFailure(400, 'MANDATORY_NOT_FOUND', 'required field not found');
    const owner = data.Owner ? String((data.Owner as Row).id) : fake.currentUserId;
    if (!user(owner)) throw new ZohoFailure(400, 'INVALID_DATA', 'invalid data');
    const id = fake.newId();
    fake.notes.set(id, { id, Note_Title: String(data.Note_Title ?? ''), Note_Content: String(data.Note_Content), Parent_Id: { module: { api_name: 'Deals' }, id: String(parent.id) }, Owner: { id: owner } });
    return written(id);
  }
  const noteId = /^\/Notes\/(\d+)$/.exec(path)?.[1];
  if (method === 'PUT' && noteId) {
    if (fake.settings.notesDenied) throw denied();
    const note = fake.notes.get(noteId);
    if (!note) throw new ZohoFailure(400, 'INVALID_DATA', 'the id given seems to be invalid');
    if (data.Note_Title !== undefined) note.Note_Title = String(data.Note_Title);
    if (data.Note_Content !== undefined) note.Note_Content = String(data.Note_Content);
    return written(noteId, 200);
  }
  if (method === 'POST' && path === '/Tasks') {
    const what = data.What_Id as Row | undefined;
    if (data.$se_module !== 'Deals' || !fake.deals.has(String(what?.id))) throw new ZohoFailure(400, 'INVALID_DATA', 'the related id given seems to be invalid');
    const id = fake.newId();
    fake.tasks.set(id, { id, Subject: String(data.Subject ?? ''), Description: String(data.Description ?? ''), Due_Date: data.Due_Date ? String(data.Due_Date) : null, What_Id: { id: String(what!.id) }, $se_module: 'Deals' });
    return written(id);
  }
  const dealId = /^\/Deals\/(\d+)$/.exec(path)?.[1];
  if (method === 'PUT' && dealId) {
    if (!fake.deals.has(dealId)) throw new ZohoFailure(400, 'INVALID_DATA', 'the id given seems to be invalid');
    const owner = user(String((data.Owner as Row | undefined)?.id));
    if (!owner) throw new ZohoFailure(400, 'INVALID_DATA', 'invalid data');
    fake.editDeal(dealId, { Owner: { name: owner.full_name, id: owner.id, email: owner.email } });
    return written(dealId, 200);
  }
  throw new ZohoFailure(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
}

interface ZohoNoteParent {
  module?: { api_name?: string };
  id?: unknown;
}

async function handle(fake: ZohoFake, origin: () => string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const raw = await readBody(request);
  const method = request.method ?? 'GET';
  const reply = (status: number, body?: unknown) => {
    fake.log.push({ method, path: url.pathname, status });
    if (status === 204) {
      response.writeHead(204);
      response.end();
      return;
    }
    send(response, status, JSON.stringify(body), 'application/json;charset=UTF-8');
  };
  if (url.pathname === '/oauth/v2/token' && method === 'POST') {
    const form = new URLSearchParams(raw.length > 0 ? raw : url.search);
    if (form.get('grant_type') !== 'refresh_token') return reply(200, { error: 'unsupported_grant_type' });
    if (form.get('client_id') !== fake.client.id || form.get('client_secret') !== fake.client.secret) return reply(200, { error: 'invalid_client' });
    if (form.get('refresh_token') !== fake.client.refreshToken) return reply(200, { error: 'invalid_code' });
    return reply(200, { access_token: fake.issueAccessToken(), scope: 'ZohoCRM.modules.ALL ZohoCRM.coql.READ ZohoCRM.settings.ALL ZohoCRM.users.READ ZohoCRM.org.READ', api_domain: origin(), token_type: 'Bearer', expires_in: 3600 });
  }
  if (!url.pathname.startsWith('/crm/v8/')) return reply(404, { code: 'INVALID_URL_PATTERN', details: {}, message: 'Please check if the URL trying to access is a correct one', status: 'error' });
  if (fake.limited()) return reply(429, { code: 'TOO_MANY_REQUESTS', details: { duration: 60 }, message: 'The number of API requests has exceeded the allowed limit', status: 'error' });
  const token = /^Zoho-oauthtoken (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const expiry = fake.accessTokens.get(token);
  if (expiry === undefined || expiry <= Date.now()) return reply(401, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
  if (fake.settings.apiOff) return reply(403, { code: 'FEATURE_NOT_SUPPORTED', details: {}, message: 'The API is not supported in your edition', status: 'error' });
  try {
    const answer = api(fake, method, url, raw.trim() === '' ? {} : (JSON.parse(raw) as Row));
    reply(answer.status, answer.body);
  } catch (error) {
    if (error instanceof ZohoFailure) return reply(error.status, { code: error.code, details: {}, message: error.message, status: 'error' });
    if ((error as Error).message === 'reset') {
      fake.log.push({ method, path: 'reset', status: 0 });
      request.socket.destroy();
      return;
    }
    throw error;
  }
}

export interface RunningZohoFake {
  fake: ZohoFake;
  origin: string;
  close(): Promise<void>;
}

export async function startZohoFake(): Promise<RunningZohoFake> {
  const fake = new ZohoFake();
  let origin = '';
  const server = await listenOnLoopback((request, response) => handle(fake, () => origin, request, response));
  origin = server.origin;
  return { fake, origin, close: server.close };
}
