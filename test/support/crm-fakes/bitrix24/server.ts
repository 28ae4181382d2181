import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { phpParams, readBody, send } from '../http-util';
import { Bitrix24Fake } from './state';

// The Bitrix24 REST contract fake: a real HTTP server on loopback answering inbound-webhook calls,
// POST /rest/<user id>/<webhook key>/<method>[.json] with JSON (or form) parameters, and an OAuth app's calls,
// /rest/<method> with its access token as `auth`, beside the authorization server's /oauth/token/ (oauth.ts).
// Sources of each shape: state.ts and oauth.ts.

type Params = Record<string, unknown>;
type Row = Record<string, unknown>;

const pageSize = 50;

/** The scope a method needs (api-reference: "Scope: crm" / "Scope: user"); `profile` needs none. */
function scopeOf(method: string): string | null {
  if (method.startsWith('crm.')) return 'crm';
  if (method === 'user.get') return 'user';
  return null;
}

class B24Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const notFound = () => new B24Failure(400, '', 'Not found');
const accessDenied = () => new B24Failure(400, 'ACCESS_DENIED', 'Access denied.');

function timeOf(start: number) {
  const finish = Date.now() / 1000;
  return { start, finish, duration: finish - start, processing: finish - start, date_start: new Date(start * 1000).toISOString(), date_finish: new Date(finish * 1000).toISOString(), operating: 0 };
}

/** Compares a row's value with a filter value the way the CRM's ORM does for the field's type. */
function compare(field: string, a: unknown, b: unknown): number {
  if (field === 'ID' || (field.endsWith('_ID') && /^\d+$/.test(String(a ?? '')) && /^\d+$/.test(String(b ?? '')))) return Number(a) - Number(b);
  if (field.startsWith('DATE_') || field === 'CLOSEDATE' || field === 'CREATED') return Date.parse(String(a)) - Date.parse(String(b));
  return String(a ?? '').localeCompare(String(b ?? ''));
}

/** The filter prefixes of crm-deal-list.md (">=", ">", "<=", "<", "@", "!@", "!", "!=", "="). */
function matches(row: Row, filter: Params): boolean {
  for (const [key, value] of Object.entries(filter)) {
    const match = /^(>=|<=|!@|!=|>|<|@|!|=)?(.+)$/.exec(key)!;
    const [op = '=', field] = [match[1], match[2]!];
    const actual = row[field];
    const values = Array.isArray(value) ? value : [value];
    const ok = {
      '>=': () => compare(field, actual, value) >= 0,
      '<=': () => compare(field, actual, value) <= 0,
      '>': () => compare(field, actual, value) > 0,
      '<': () => compare(field, actual, value) < 0,
      '@': () => values.some((v) => compare(field, actual, v) === 0),
      '!@': () => !values.some((v) => compare(field, actual, v) === 0),
      '!': () => compare(field, actual, value) !== 0,
      '!=': () => compare(field, actual, value) !== 0,
      '=': () => compare(field, actual, value) === 0,
    }[op]!;
    if (!ok()) return false;
  }
  return true;
}

function sorted<T extends Row>(rows: T[], order: Params): T[] {
  const keys = Object.entries(order);
  return [...rows].sort((a, b) => {
    for (const [field, direction] of keys) {
      const c = compare(field, a[field], b[field]);
      if (c !== 0) return String(direction).toUpperCase() === 'DESC' ? -c : c;
    }
    return Number(a.ID) - Number(b.ID);
  });
}

/** A list method's answer: pages of 50 from `start`, with `next`/`total`; `start: -1` counts nothing (huge-data.md). */
function page<T>(rows: T[], params: Params): { result: T[]; next?: number; total: number } {
  const start = Number(params.start ?? 0);
  if (start === -1) return { result: rows.slice(0, pageSize), total: 0 };
  const from = Number.isFinite(start) && start > 0 ? start : 0;
  const result = rows.slice(from, from + pageSize);
  return { result, ...(from + pageSize < rows.length ? { next: from + pageSize } : {}), total: rows.length };
}

function selected(row: Row, select: unknown): Row {
  if (!Array.isArray(select) || select.length === 0 || select.includes('*')) return row;
  return Object.fromEntries(select.filter((field) => field in row).map((field) => [field, row[field as string]]));
}

function objectParam(params: Params, name: string): Params {
  const value = params[name] ?? params[name.toUpperCase()];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Params) : {};
}

function methods(fake: Bitrix24Fake, userId: string): Record<string, (params: Params) => unknown> {
  const deal = (id: unknown) => {
    if (!/^[1-9]\d*$/.test(String(id ?? ''))) throw new B24Failure(400, '', 'ID is not defined or invalid.');
    const found = fake.deals.get(Number(id));
    if (!found) throw notFound();
    return found;
  };
  return {
    profile: () => {
      const user = fake.users.get(userId)!;
      return { result: { ID: user.ID, ADMIN: false, NAME: user.NAME, LAST_NAME: user.LAST_NAME, PERSONAL_GENDER: '', TIME_ZONE: '' } };
    },
    'user.get': (params) => {
      const filter = objectParam(params, 'FILTER');
      const rows = [...fake.users.values()].filter((user) => matches(user as unknown as Row, filter));
      return page(sorted(rows as unknown as Row[], { [String(params.sort ?? 'ID')]: String(params.order ?? 'ASC') }), params);
    },
    'crm.deal.list': (params) => {
      const rows = [...fake.deals.values()].filter((row) => matches(row, objectParam(params, 'filter')));
      const answer = page(sorted(rows, objectParam(params, 'order')), params);
      return { ...answer, result: answer.result.map((row) => selected(row, params.select ?? params.SELECT)) };
    },
    'crm.deal.get': (params) => ({ result: deal(params.id ?? params.ID) }),
    'crm.deal.update': (params) => {
      const found = deal(params.id);
      const fields = objectParam(params, 'fields');
      if (fields.ASSIGNED_BY_ID !== undefined && !fake.users.has(String(fields.ASSIGNED_BY_ID))) throw new B24Failure(400, '', 'Responsible user not found.');
      fake.editDeal(found.ID, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])));
      return { result: true };
    },
    'crm.category.list': (params) => {
      if (Number(params.entityTypeId) !== 2) throw new B24Failure(400, 'NOT_FOUND', 'Smart process not found');
      const categories = [...fake.categories].sort((a, b) => a.sort - b.sort).map(({ id, name, sort, isDefault }) => ({ id, name, sort, entityTypeId: 2, isDefault, originId: '', originatorId: '' }));
      return { result: { categories }, total: categories.length };
    },
    'crm.status.list': (params) => {
      let ordinal = 100;
      const rows = fake.categories.flatMap((category) =>
        category.stages.map((stage, index) => ({
          ID: String((ordinal += 1)),
          ENTITY_ID: category.id === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${category.id}`,
          STATUS_ID: stage.STATUS_ID,
          NAME: stage.NAME,
          NAME_INIT: '',
          SORT: String((index + 1) * 10),
          SYSTEM: stage.SEMANTICS || index === 0 ? 'Y' : 'N',
          CATEGORY_ID: category.id === 0 ? null : String(category.id),
          COLOR: '#39A8EF',
          SEMANTICS: stage.SEMANTICS,
          EXTRA: { SEMANTICS: stage.SEMANTICS === 'S' ? 'success' : stage.SEMANTICS === 'F' ? 'failure' : 'process', COLOR: '#39A8EF' },
        })),
      );
      return page(sorted(rows.filter((row) => matches(row, objectParam(params, 'filter'))), objectParam(params, 'order')), params);
    },
    'crm.timeline.comment.list': (params) => {
      const filter = objectParam(params, 'filter');
      if (filter.ENTITY_ID === undefined || filter.ENTITY_TYPE === undefined) throw new B24Failure(400, '', 'ENTITY_ID and ENTITY_TYPE are required.');
      const rows = [...fake.comments.values()].filter((row) => matches(row as unknown as Row, filter)) as unknown as Row[];
      const answer = page(sorted(rows, objectParam(params, 'order')), params);
      return { ...answer, result: answer.result.map((row) => selected(row, params.select)) };
    },
    'crm.timeline.comment.add': (params) => {
      const fields = objectParam(params, 'fields');
      if (!fields.ENTITY_ID || !fields.ENTITY_TYPE) throw new B24Failure(400, '100', 'Required fields are not provided');
      if (!String(fields.COMMENT ?? '').trim()) throw new B24Failure(400, 'INVALID_ARG_VALUE', 'Empty comment');
      if (fake.settings.denied.has('crm.timeline.comment.add')) throw accessDenied();
      if (fields.ENTITY_TYPE === 'deal' && !fake.deals.has(Number(fields.ENTITY_ID))) throw new B24Failure(400, 'OWNER_NOT_FOUND', 'Owner of the item not found');
      const id = fake.addComment({ ENTITY_ID: String(fields.ENTITY_ID), ENTITY_TYPE: String(fields.ENTITY_TYPE), COMMENT: String(fields.COMMENT), AUTHOR_ID: String(fields.AUTHOR_ID ?? userId) });
      return { result: id };
    },
    'crm.timeline.comment.update': (params) => {
      const comment = fake.comments.get(Number(params.id));
      if (!comment) throw new B24Failure(400, 'NOT_FOUND', 'Not found.');
      if (fake.settings.denied.has('crm.timeline.comment.add')) throw accessDenied();
      const text = String(objectParam(params, 'fields').COMMENT ?? '');
      if (!text.trim()) throw new B24Failure(400, 'INVALID_ARG_VALUE', 'Empty comment');
      comment.COMMENT = text;
      return { result: comment.ID };
    },
    'crm.activity.list': (params) => {
      const rows = [...fake.todos.values()].filter((row) => matches(row as unknown as Row, objectParam(params, 'filter'))) as unknown as Row[];
      const answer = page(sorted(rows, objectParam(params, 'order')), params);
      return { ...answer, result: answer.result.map((row) => selected(row, params.select)) };
    },
    'crm.activity.todo.add': (params) => {
      if (Number(params.ownerTypeId) !== 2 || !fake.deals.has(Number(params.ownerId))) throw new B24Failure(400, 'OWNER_NOT_FOUND', 'Owner of the item not found');
      if (!params.deadline || Number.isNaN(Date.parse(String(params.deadline)))) throw new B24Failure(400, '100', 'Required fields are not provided: deadline');
      const id = fake.addTodo({
        OWNER_TYPE_ID: '2', OWNER_ID: String(params.ownerId), SUBJECT: String(params.title ?? ''), DESCRIPTION: String(params.description ?? ''),
        DEADLINE: fake.portalTime(Date.parse(String(params.deadline))), RESPONSIBLE_ID: String(params.responsibleId ?? userId),
      });
      return { result: { id } };
    },
  };
}

function parseParams(raw: string, contentType: string | undefined): Params {
  if (raw.trim() === '') return {};
  if ((contentType ?? '').includes('json')) return JSON.parse(raw) as Params;
  return phpParams(raw);
}

async function handle(fake: Bitrix24Fake, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const raw = await readBody(request);
  const started = Date.now() / 1000;
  const reply = (status: number, body: unknown) => send(response, status, JSON.stringify(body), 'application/json; charset=utf-8');
  const fail = (method: string, failure: B24Failure) => {
    fake.record({ method, status: failure.status });
    reply(failure.status, { error: failure.code, error_description: failure.description });
  };
  if (url.pathname === '/oauth/token/' || url.pathname === '/oauth/token') {
    // The authorization server (oauth.ts); it takes its parameters in the query, or as a form in a POST.
    const { status, body } = fake.auth.token(new URLSearchParams(request.method === 'POST' ? raw : url.search), `http://${request.headers.host}`);
    fake.record({ method: 'oauth.token', status });
    reply(status, body);
    return;
  }
  // An inbound webhook: /rest/<user id>/<key>/<method>; an app's token: /rest/<method> with `auth` among the parameters.
  const hook = /^\/rest\/(\d+)\/([^/]+)\/([a-z0-9_.]+?)(?:\.json)?$/i.exec(url.pathname);
  const app = hook ? null : /^\/rest\/([a-z0-9_.]+?)(?:\.json)?$/i.exec(url.pathname);
  if (!hook && !app) {
    fake.record({ method: url.pathname, status: 404 });
    send(response, 404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html');
    return;
  }
  const method = hook ? hook[3]! : app![1]!;
  const params = parseParams(raw, request.headers['content-type']);
  if (method === 'crm.deal.list' && fake.failListingAfter !== null) {
    if (fake.failListingAfter <= 0) {
      fake.record({ method: 'reset', status: 0 });
      request.socket.destroy();
      return;
    }
    fake.failListingAfter -= 1;
  }
  if (fake.limited()) return fail(method, new B24Failure(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'));
  let userId: string;
  let scopes: string[];
  if (hook) {
    const webhook = fake.webhooks.find((candidate) => candidate.userId === hook[1] && candidate.key === decodeURIComponent(hook[2]!));
    if (!webhook) return fail(method, new B24Failure(401, 'NO_AUTH_FOUND', 'Wrong authorization data'));
    userId = webhook.userId;
    scopes = webhook.scopes;
  } else {
    const who = fake.auth.userOf(String(params.auth ?? url.searchParams.get('auth') ?? ''));
    if ('error' in who) {
      return fail(method, who.error === 'expired_token' ? new B24Failure(401, 'expired_token', 'The access token provided has expired.') : new B24Failure(401, 'NO_AUTH_FOUND', 'Wrong authorization data'));
    }
    userId = who.userId;
    scopes = fake.auth.app.scopes;
  }
  if (fake.settings.restOff) return fail(method, new B24Failure(403, 'ACCESS_DENIED', 'REST API is available only on commercial plans'));
  const scope = scopeOf(method);
  if (scope && !scopes.includes(scope)) return fail(method, new B24Failure(403, 'insufficient_scope', 'The request requires higher privileges than provided by the webhook token'));
  const handler = methods(fake, userId)[method];
  if (!handler) return fail(method, new B24Failure(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'));
  try {
    const answer = handler(params) as Params;
    fake.record({ method, status: 200 });
    reply(200, { ...answer, time: timeOf(started) });
  } catch (error) {
    if (error instanceof B24Failure) return fail(method, error);
    throw error;
  }
}

export interface RunningBitrix24Fake {
  fake: Bitrix24Fake;
  origin: string;
  close(): Promise<void>;
}

export async function startBitrix24Fake(): Promise<RunningBitrix24Fake> {
  const fake = new Bitrix24Fake();
  const server: Server = createServer((request, response) => {
    handle(fake, request, response).catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: 'INTERNAL_SERVER_ERROR', error_description: String(error) }));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    fake,
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
