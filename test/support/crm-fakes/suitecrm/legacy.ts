import type { IncomingMessage, ServerResponse } from 'node:http';
import { apacheNotFound, phpParams, send } from '../http-util';
import { listRows } from './query';
import { BadClause, parseOrderBy, parseWhere } from './sql-where';
import { md5, type FakeUser, type SuiteFake } from './state';
import { moduleFields, newId, type Row } from './tables';

// SuiteCRM's legacy REST service, service/v4_1/rest.php, as its code answers: service/core/REST/SugarRestJSON.php
// (method + rest_data; arguments positional, or by name on PHP 8), methods of service/v4/SugarWebServiceImplv4.php
// and service/core/SugarWebServiceImpl.php, values by SoapHelperWebService::get_name_value_list_for_fields
// (database formats, every value a string), errors as SoapError objects with HTTP 200 (soap/SoapErrorDefinitions.php).

const paths = ['/service/v4_1/rest.php', '/legacy/service/v4_1/rest.php'];

const faults = {
  invalid_login: { name: 'Invalid Login', number: 10, description: 'Login attempt failed please check the username and password' },
  invalid_session: { name: 'Invalid Session ID', number: 11, description: 'The session ID is invalid' },
  no_module: { name: 'Module Does Not Exist', number: 20, description: 'This module is not available on this server' },
  no_access: { name: 'Access Denied', number: 40, description: 'You do not have access' },
  invalid_call: { name: 'An Undefined Error - invalid_call occurred', number: '-1', description: 'There is no error definition for invalid_call' },
};

/** Parameter names in declaration order: PHP 8 binds an object's keys to these by name. */
const signatures: Record<string, string[]> = {
  login: ['user_auth', 'application', 'name_value_list'],
  logout: ['session'],
  get_user_id: ['session'],
  get_entry_list: ['session', 'module_name', 'query', 'order_by', 'offset', 'select_fields', 'link_name_to_fields_array', 'max_results', 'deleted', 'favorites'],
  get_entry: ['session', 'module_name', 'id', 'select_fields', 'link_name_to_fields_array', 'track_view'],
  set_entry: ['session', 'module_name', 'name_value_list'],
  get_module_fields: ['session', 'module_name', 'fields'],
};

type Args = Record<string, unknown>;

function nameValues(row: Row, fields: readonly string[]): Record<string, { name: string; value: string }> {
  const list: Record<string, { name: string; value: string }> = {};
  for (const field of fields) if (field in row) list[field] = { name: field, value: row[field]! };
  return list;
}

function selected(module: string, select: unknown): string[] {
  const all = moduleFields[module]!.filter((field) => field !== 'user_hash');
  if (!Array.isArray(select) || select.length === 0) return all;
  // filter_fields keeps only fields the bean has.
  return select.map(String).filter((field) => all.includes(field));
}

function session(fake: SuiteFake, args: Args, module?: string): FakeUser | typeof faults[keyof typeof faults] {
  const user = fake.userOfSession(args.session);
  if (!user) return faults.invalid_session;
  if (module !== undefined && !fake.tables[module]) return faults.no_module;
  if (module !== undefined && !fake.may(user, module)) return faults.no_access;
  return user;
}

function isFault(value: unknown): value is typeof faults[keyof typeof faults] {
  return typeof value === 'object' && value !== null && 'number' in value;
}

const methods: Record<string, (fake: SuiteFake, args: Args) => unknown> = {
  login(fake, args) {
    const auth = (args.user_auth ?? {}) as { user_name?: string; password?: string; encryption?: string };
    const password = auth.encryption === 'PLAIN' ? md5(String(auth.password ?? '')) : String(auth.password ?? '');
    const id = fake.login(String(auth.user_name ?? ''), password);
    if (!id) return faults.invalid_login;
    const user = fake.userOfSession(id)!;
    return {
      id,
      module_name: 'Users',
      name_value_list: nameValues(
        { user_id: user.id, user_name: user.userName, user_language: 'en_us', user_currency_id: '-99', user_is_admin: false as unknown as string, user_currency_name: fake.systemCurrencyRow().name! },
        ['user_id', 'user_name', 'user_language', 'user_currency_id', 'user_is_admin', 'user_currency_name'],
      ),
    };
  },
  logout(fake, args) {
    fake.sessions.delete(String(args.session));
    return null;
  },
  get_user_id(fake, args) {
    const user = session(fake, args);
    return isFault(user) ? user : user.id;
  },
  get_entry_list(fake, args) {
    const module = String(args.module_name ?? '');
    const user = session(fake, args, module);
    if (isFault(user)) return user;
    const table = module.toLowerCase();
    let where;
    let orderBy;
    try {
      where = parseWhere(String(args.query ?? ''), table, moduleFields[module]!);
      orderBy = parseOrderBy(String(args.order_by ?? ''), table, moduleFields[module]!);
    } catch (error) {
      if (error instanceof BadClause) return faults.no_access;
      throw error;
    }
    const offset = Math.max(0, Number(args.offset ?? 0) || 0);
    const max = Number(args.max_results ?? 0) > 0 ? Number(args.max_results) : 20;
    const withDeleted = args.deleted === true || String(args.deleted) === '1' || args.deleted === 'true';
    const { rows, total } = listRows(fake.tables[module]!, { where, deleted: withDeleted ? null : 0, orderBy, offset, limit: max });
    const fields = selected(module, args.select_fields);
    return {
      result_count: rows.length,
      total_count: String(total),
      next_offset: offset + rows.length,
      entry_list: rows.map((row) => ({ id: row.id, module_name: module, name_value_list: nameValues(fake.withDerived(module, row), fields) })),
      relationship_list: [],
    };
  },
  get_entry(fake, args) {
    const module = String(args.module_name ?? '');
    const user = session(fake, args, module);
    if (isFault(user)) return user;
    const id = String(args.id ?? '');
    const row = module === 'Currencies' && id === '-99' ? fake.systemCurrencyRow() : fake.tables[module]!.rows.get(id);
    const fields = selected(module, args.select_fields);
    if (!row || row.deleted === '1') {
      // get_entries: a missing or deleted bean comes back as a warning in place of its fields.
      return { entry_list: [{ id, module_name: module, name_value_list: { warning: { name: 'warning', value: 'Access to this object is denied since it has been deleted or does not exist' }, deleted: { name: 'deleted', value: '1' } } }], relationship_list: [] };
    }
    return { entry_list: [{ id: row.id, module_name: module, name_value_list: nameValues(fake.withDerived(module, row), fields) }], relationship_list: [] };
  },
  set_entry(fake, args) {
    const module = String(args.module_name ?? '');
    const user = session(fake, args, module);
    if (isFault(user)) return user;
    const input = args.name_value_list;
    const values: Record<string, string> = {};
    for (const item of Array.isArray(input) ? input : Object.entries(input ?? {}).map(([name, value]) => (typeof value === 'object' && value !== null ? value : { name, value }))) {
      const { name, value } = item as { name: string; value: unknown };
      values[name] = String(value);
    }
    const table = fake.tables[module]!;
    const now = fake.stamp();
    const fields: Row = {};
    for (const [name, value] of Object.entries(values)) if (moduleFields[module]!.includes(name) && name !== 'id') fields[name] = value;
    const id = values.id;
    if (id !== undefined && table.rows.has(id)) {
      if (values.new_with_id === '1' || values.new_with_id === 'true') throw new DatabaseFailure();
      table.update(id, { ...fields, date_modified: now, modified_user_id: user.id });
      return { id };
    }
    if (id !== undefined && !(values.new_with_id === '1' || values.new_with_id === 'true')) {
      // SugarBean::save updates a row that is not there: nothing is stored, yet the id comes back.
      return { id };
    }
    const row: Row = { id: id ?? newId(), date_entered: now, date_modified: now, created_by: user.id, modified_user_id: user.id, deleted: '0', ...fields };
    table.insert(row);
    return { id: row.id };
  },
  get_module_fields(fake, args) {
    const module = String(args.module_name ?? '');
    const user = session(fake, args, module);
    if (isFault(user)) return user;
    const stages = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
    const labels: Record<string, string> = { 'Id. Decision Makers': 'Identifying Decision Makers' };
    const options = Object.fromEntries(stages.map((key) => [key, { name: key, value: labels[key] ?? key }]));
    return {
      module_name: module,
      table_name: module.toLowerCase(),
      module_fields: module === 'Opportunities'
        ? { sales_stage: { name: 'sales_stage', type: 'enum', group: '', id_name: '', label: 'Sales Stage:', required: 1, options, related_module: '', calculated: false, len: '255' } }
        : {},
      link_fields: [],
    };
  },
};

/** A PHP fatal error inside a method: SugarBean::save inserting an id twice ("Database failure"). */
class DatabaseFailure extends Error {}

function argumentsOf(method: string, data: unknown): Args {
  const names = signatures[method] ?? [];
  if (Array.isArray(data)) return Object.fromEntries(names.map((name, index) => [name, data[index]]));
  if (typeof data === 'object' && data !== null) return data as Args;
  return {};
}

export async function handleLegacy(fake: SuiteFake, request: IncomingMessage, response: ServerResponse, url: URL, raw: string): Promise<boolean> {
  if (!paths.includes(url.pathname)) return false;
  if (fake.settings.legacy === 'off') {
    apacheNotFound(response, url.pathname);
    return true;
  }
  const params = { ...phpParams(url.search.slice(1)), ...phpParams(raw) };
  const method = String(params.method ?? '');
  let body: unknown;
  let status = 200;
  let module: string | undefined;
  if (!methods[method]) {
    body = faults.invalid_call;
  } else {
    let data: unknown = [];
    try {
      data = JSON.parse(String(params.rest_data ?? '[]'));
    } catch {
      data = [];
    }
    const args = argumentsOf(method, data);
    if (typeof args.module_name === 'string') module = args.module_name;
    try {
      body = methods[method]!(fake, args);
    } catch (error) {
      if (!(error instanceof DatabaseFailure)) throw error;
      status = 500;
      body = 'Database failure. Please refer to suitecrm.log for details.';
    }
  }
  fake.record({ method: request.method ?? '', path: url.pathname, call: method, ...(module ? { module } : {}), status });
  send(response, status, typeof body === 'string' ? body : JSON.stringify(body), status === 200 ? 'application/json; charset=UTF-8' : 'text/html');
  return true;
}
