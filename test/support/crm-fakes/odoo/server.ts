import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, proxyTooManyRequests, readBody, send } from '../http-util';
import { OdooFake, odooTime, type OdooRow } from './state';

// Odoo's external JSON-RPC API as odoo/odoo and odoo/documentation describe it. Sources, per shape:
// - Transport: odoo/documentation content/developer/reference/external_api.rst (POST /jsonrpc, services "common"
//   and "object"); odoo/odoo odoo/service/common.py exp_authenticate (uid or false), exp_login;
//   odoo/service/model.py execute_kw(db, uid, password, model, method, args, kwargs), which raises AccessDenied
//   for a wrong password or API key.
// - Errors: odoo/http.py JsonRPCDispatcher.handle_error + serialize_exception: HTTP 200 with {"jsonrpc": "2.0",
//   "id", "error": {"code": 200, "message": "Odoo Server Error", "data": {"name": "odoo.exceptions.AccessError",
//   "debug", "message", "arguments", "context"}}}.
// - ORM: search_read(domain, fields, offset, limit, order) with an implicit AND of [field, operator, value] terms,
//   inactive records hidden unless the domain names `active` (active_test); many2one read as [id, display_name] or
//   false; Datetime "YYYY-MM-DD HH:MM:SS" UTC, Date "YYYY-MM-DD", false for empty (odoo/fields.py).
// - crm.lead: addons/crm/models/crm_lead.py (type, active, stage_id, user_id, expected_revenue, company_currency,
//   probability, date_deadline, date_closed, team_id; action_set_lost archives with probability 0); crm.stage:
//   crm_stage.py (name, sequence, is_won).
// - Messages: addons/mail/models/mail_thread.py message_post(body, message_type, subtype_xmlid, author_id) answers
//   the new mail.message id; mail.activity with res_model_id, res_id, activity_type_id, summary, note, date_deadline.
// - Werkzeug's 404 page where no /jsonrpc route is served.

type Domain = unknown[];

class RpcFault extends Error {
  constructor(readonly name: string, message: string) {
    super(message);
  }
}

function many2one(fake: OdooFake, model: string, id: unknown): unknown {
  if (typeof id !== 'number') return false;
  const row = fake.table(model).get(id);
  return row ? [id, String(row.name ?? row.display_name ?? id)] : false;
}

/** A record as read answers it: many2one fields as [id, name]. */
function readRow(fake: OdooFake, model: string, row: OdooRow): Record<string, unknown> {
  const links: Record<string, Record<string, string>> = {
    'crm.lead': { stage_id: 'crm.stage', user_id: 'res.users', company_currency: 'res.currency', team_id: 'crm.team' },
    'res.users': { partner_id: 'res.partner' },
  };
  const out: Record<string, unknown> = { ...row };
  for (const [field, target] of Object.entries(links[model] ?? {})) out[field] = many2one(fake, target, row[field]);
  return out;
}

function term(row: Record<string, unknown>, [field, operator, value]: [string, string, unknown]): boolean {
  const raw = row[field];
  const actual = Array.isArray(raw) ? raw[0] : raw;
  switch (operator) {
    case '=': return actual === value || (value === false && (actual === null || actual === undefined || actual === false));
    case '!=': return actual !== value;
    case '>': return (actual as number | string) > (value as number | string);
    case '>=': return (actual as number | string) >= (value as number | string);
    case '<': return (actual as number | string) < (value as number | string);
    case '<=': return (actual as number | string) <= (value as number | string);
    case 'in': return Array.isArray(value) && value.includes(actual);
    case 'ilike': return String(actual ?? '').toLowerCase().includes(String(value).toLowerCase());
    default: throw new RpcFault('ValueError', `Invalid leaf ${JSON.stringify([field, operator, value])}`);
  }
}

function search(fake: OdooFake, model: string, domain: Domain, kwargs: Record<string, unknown>): Record<string, unknown>[] {
  const terms = domain.filter((item): item is [string, string, unknown] => Array.isArray(item));
  const activeTest = !terms.some(([field]) => field === 'active');
  let rows = [...fake.table(model).values()].map((row) => readRow(fake, model, row)).filter((row) => !activeTest || row.active !== false);
  rows = rows.filter((row) => terms.every((item) => term(row, item)));
  const order = String(kwargs.order ?? 'id asc').split(',').map((part) => part.trim().split(/\s+/) as [string, string?]);
  rows.sort((a, b) => {
    for (const [field, direction] of order) {
      const x = Array.isArray(a[field]) ? (a[field] as unknown[])[0] : a[field];
      const y = Array.isArray(b[field]) ? (b[field] as unknown[])[0] : b[field];
      if (x !== y) return ((x as number) < (y as number) ? -1 : 1) * (direction?.toLowerCase() === 'desc' ? -1 : 1);
    }
    return 0;
  });
  const offset = Number(kwargs.offset ?? 0);
  return rows.slice(offset, kwargs.limit ? offset + Number(kwargs.limit) : undefined);
}

function pick(row: Record<string, unknown>, fields: unknown): Record<string, unknown> {
  if (!Array.isArray(fields) || fields.length === 0) return row;
  return Object.fromEntries([['id', row.id], ...fields.map((field: string) => [field, row[field] ?? false])]);
}

function executeKw(fake: OdooFake, uid: number, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const now = Date.now();
  if (method === 'search_read') return search(fake, model, (args[0] ?? []) as Domain, kwargs).map((row) => pick(row, kwargs.fields));
  if (method === 'search_count') return search(fake, model, (args[0] ?? []) as Domain, {}).length;
  if (method === 'read') {
    const ids = args[0] as number[];
    return ids.map((id) => fake.table(model).get(id)).filter((row): row is OdooRow => row !== undefined).map((row) => pick(readRow(fake, model, row), kwargs.fields));
  }
  if (method === 'write') {
    const [ids, values] = args as [number[], Record<string, unknown>];
    for (const id of ids) {
      if (!fake.table(model).has(id)) throw new RpcFault('odoo.exceptions.MissingError', `Record does not exist or has been deleted. (Record: ${model}(${id},), User: ${uid})`);
      if (values.user_id !== undefined && !fake.table('res.users').has(Number(values.user_id))) throw new RpcFault('odoo.exceptions.ValidationError', 'The salesperson does not exist.');
      fake.write(model, id, model === 'mail.message' ? { body: escapeHtml(String(values.body ?? '')) } : values, now);
    }
    return true;
  }
  if (model === 'crm.lead' && method === 'message_post') {
    if (fake.settings.notesDenied) throw new RpcFault('odoo.exceptions.AccessError', 'You are not allowed to modify \'Lead/Opportunity\' (crm.lead) records.');
    const [ids] = args as [number[]];
    const lead = fake.table('crm.lead').get(ids[0]!);
    if (!lead) throw new RpcFault('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.');
    const author = typeof kwargs.author_id === 'number' ? kwargs.author_id : fake.table('res.users').get(uid)!.partner_id;
    // A plain-text body (not Markup) is escaped and its line breaks kept (mail_thread._message_post_process_body).
    const message = fake.insert('mail.message', { model: 'crm.lead', res_id: lead.id, body: escapeHtml(String(kwargs.body ?? '')), message_type: kwargs.message_type ?? 'notification', subtype_xmlid: kwargs.subtype_xmlid ?? null, author_id: author }, now);
    return message.id;
  }
  if (model === 'mail.activity' && method === 'create') {
    const values = args[0] as Record<string, unknown>;
    const crmModel = [...fake.table('ir.model').values()].find((row) => row.model === 'crm.lead');
    if (values.res_model_id !== crmModel?.id || !fake.table('crm.lead').has(Number(values.res_id))) throw new RpcFault('odoo.exceptions.ValidationError', 'Invalid document.');
    return fake.insert('mail.activity', { ...values, res_model: 'crm.lead', note: escapeHtml(String(values.note ?? '')), user_id: values.user_id ?? uid }, now).id;
  }
  throw new RpcFault('AttributeError', `The method '${method}' does not exist on the model '${model}'`);
}

function escapeHtml(text: string): string {
  return `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>')}</p>`;
}

function fault(id: unknown, name: string, message: string): unknown {
  return { jsonrpc: '2.0', id, error: { code: 200, message: 'Odoo Server Error', data: { name, debug: `Traceback (most recent call last):\n${name}: ${message}\n`, message, arguments: [message], context: {} } } };
}

function dispatch(fake: OdooFake, body: { id?: unknown; params?: { service?: string; method?: string; args?: unknown[] } }): unknown {
  const { service, method, args = [] } = body.params ?? {};
  const ok = (result: unknown) => ({ jsonrpc: '2.0', id: body.id ?? null, result });
  if (service === 'common' && (method === 'authenticate' || method === 'login')) {
    const [db, login, secret] = args as [string, string, string];
    if (db !== fake.database) return fault(body.id, 'psycopg2.OperationalError', `connection to server failed: FATAL:  database "${db}" does not exist`);
    const found = fake.secrets.get(secret);
    return ok(found && found.login === login ? found.uid : false);
  }
  if (service === 'common' && method === 'version') return ok({ server_version: '18.0', server_version_info: [18, 0, 0, 'final', 0, ''], server_serie: '18.0', protocol_version: 1 });
  if (service === 'object' && method === 'execute_kw') {
    const [db, uid, secret, model, kwMethod, kwArgs = [], kwargs = {}] = args as [string, number, string, string, string, unknown[], Record<string, unknown>];
    if (db !== fake.database) return fault(body.id, 'psycopg2.OperationalError', `database "${db}" does not exist`);
    const found = fake.secrets.get(secret);
    if (!found || found.uid !== uid) return fault(body.id, 'odoo.exceptions.AccessDenied', 'Access Denied');
    fake.record({ model, method: kwMethod, status: 200 });
    try {
      return ok(executeKw(fake, uid, model, kwMethod, kwArgs, kwargs));
    } catch (error) {
      if (error instanceof RpcFault) return fault(body.id, error.name, error.message);
      throw error;
    }
  }
  return fault(body.id, 'odoo.exceptions.UserError', `Unknown service or method ${String(service)}.${String(method)}`);
}

async function handle(fake: OdooFake, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const raw = await readBody(request);
  if (url.pathname !== '/jsonrpc' || request.method !== 'POST' || fake.settings.apiOff) {
    return send(response, 404, '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n', 'text/html; charset=utf-8');
  }
  let body: Parameters<typeof dispatch>[1];
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return send(response, 200, JSON.stringify(fault(null, 'werkzeug.exceptions.BadRequest', 'Invalid JSON data')), 'application/json');
  }
  const args = body.params?.args ?? [];
  if (body.params?.service === 'object' && args[3] === 'crm.lead' && args[4] === 'search_read' && fake.failListingAfter !== null) {
    if (fake.failListingAfter <= 0) {
      request.socket.destroy();
      return;
    }
    fake.failListingAfter -= 1;
  }
  if (fake.limited()) return proxyTooManyRequests(response, fake.settings.rateLimit!.retryAfterSeconds);
  send(response, 200, JSON.stringify(dispatch(fake, body)), 'application/json');
}

export interface RunningOdooFake {
  fake: OdooFake;
  origin: string;
  close(): Promise<void>;
}

/** Starts the Odoo contract fake on a loopback port. */
export async function startOdooFake(): Promise<RunningOdooFake> {
  const fake = new OdooFake();
  return { fake, ...(await listenOnLoopback((request, response) => handle(fake, request, response))) };
}

export { odooTime, type OdooRow };
