import { createHash } from 'node:crypto';
import { ConnectorError, excerpt, redact } from '../errors';
import type { ConnectorHttp, HttpAnswer } from '../http';
import type { ConnectionCredential } from '../types';
import type { ListQuery, SuiteApi } from './api';
import { isoToSuiteDb, systemCurrencyId, type SuiteRecord } from './mapping';

// The legacy REST API, service/v4_1/rest.php, for installs without the V8 API (no OAuth2 keys, no URL rewriting).
// service/core/REST/SugarRestJSON.php reads `method` and `rest_data` (JSON) and calls the method with rest_data as
// its arguments; we send them as a JSON array, positional, which works on PHP 7 and 8 alike (an object would be
// taken as named arguments on PHP 8). A failure is HTTP 200 with a SoapError object `{name, number, description}`
// (soap/SoapErrorDefinitions.php); methods are in service/v4/SugarWebServiceImplv4.php and service/core.

const bases = ['', '/legacy'];

interface Fault {
  name: string;
  number: number;
  description: string;
}

type NameValues = Record<string, { name: string; value: unknown }> | { name: string; value: unknown }[];

interface Entry {
  id: string;
  module_name: string;
  name_value_list: NameValues;
}

function isFault(body: unknown): body is Fault {
  return typeof body === 'object' && body !== null && 'number' in body && 'name' in body && !('id' in body && 'module_name' in body);
}

function flatten(list: NameValues): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const item of Array.isArray(list) ? list : Object.values(list)) fields[item.name] = item.value;
  return fields;
}

/** A literal inside the SQL where clause get_entry_list takes as it is. */
function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** get_entry_list's `query` and `order_by` for a page (columns prefixed by the module's table). */
export function legacyClauses(query: ListQuery): { where: string; orderBy: string } {
  const table = query.module.toLowerCase();
  const k = query.keyset;
  if (k.phase === 'ids') {
    return { where: k.afterId === null ? '' : `${table}.id > ${quoted(k.afterId)}`, orderBy: `${table}.id` };
  }
  if (k.phase === 'tie') {
    const tie = `${table}.date_modified = ${quoted(isoToSuiteDb(k.at))}`;
    return { where: k.afterId === null ? tie : `${tie} AND ${table}.id > ${quoted(k.afterId)}`, orderBy: `${table}.id` };
  }
  const where = k.from === null ? '' : `${table}.date_modified ${k.inclusive ? '>=' : '>'} ${quoted(isoToSuiteDb(k.from))}`;
  return { where, orderBy: `${table}.date_modified` };
}

export class SuiteLegacy implements SuiteApi {
  readonly name = 'legacy';
  private base: string | null = null;
  private session: string | null = null;
  private userName = '';

  constructor(
    private readonly credential: ConnectionCredential,
    private readonly http: ConnectorHttp,
  ) {
    if (!credential.username) throw new ConnectorError('rejected', 'The legacy API logs in as a SuiteCRM user: give --username (the password goes in HEADWAY_CRM_SECRET).');
  }

  async whoAmI(): Promise<string> {
    await this.login();
    return this.userName;
  }

  async list(query: ListQuery): Promise<SuiteRecord[]> {
    const { where, orderBy } = legacyClauses(query);
    const body = (await this.call('get_entry_list', (session) => [
      session, query.module, where, orderBy, 0, [...query.fields, 'deleted'], [], query.size, query.withDeleted ? 1 : 0, false,
    ])) as { entry_list?: Entry[] };
    return (body.entry_list ?? []).map((entry) => ({ id: entry.id, fields: flatten(entry.name_value_list) }));
  }

  async count(module: string): Promise<number | null> {
    const body = (await this.call('get_entry_list', (session) => [session, module, '', '', 0, ['id'], [], 1, 0, false])) as { total_count?: unknown };
    const total = Number(body.total_count);
    // total_count is -1 when the install switched count queries off (disable_count_query).
    return Number.isFinite(total) && total >= 0 ? total : null;
  }

  async get(module: string, id: string, fields: readonly string[]): Promise<SuiteRecord | null> {
    const table = module.toLowerCase();
    const body = (await this.call('get_entry_list', (session) => [
      session, module, `${table}.id = ${quoted(id)}`, '', 0, [...fields, 'deleted'], [], 1, 1, false,
    ])) as { entry_list?: Entry[] };
    const entry = body.entry_list?.[0];
    if (!entry) return null;
    const record = { id: entry.id, fields: flatten(entry.name_value_list) };
    return String(record.fields.deleted) === '1' ? null : record;
  }

  async create(module: string, id: string, fields: Record<string, string>): Promise<'created' | 'exists'> {
    // set_entry with an id it does not know would update nothing; new_with_id makes SugarBean::save insert it.
    // Deleted records count as existing: a note the CRM's users deleted is not written again.
    const table = module.toLowerCase();
    const existing = (await this.call('get_entry_list', (session) => [session, module, `${table}.id = ${quoted(id)}`, '', 0, ['id'], [], 1, 1, false])) as { entry_list?: Entry[] };
    if ((existing.entry_list ?? []).length > 0) return 'exists';
    const values = Object.entries({ ...fields, id, new_with_id: '1' }).map(([name, value]) => ({ name, value }));
    const body = (await this.call('set_entry', (session) => [session, module, values])) as { id?: string };
    if (body.id !== id) throw new ConnectorError('bad_response', `SuiteCRM stored the ${module} record under ${String(body.id)} instead of ${id}.`);
    return 'created';
  }

  async update(module: string, id: string, fields: Record<string, string>): Promise<void> {
    const values = Object.entries({ ...fields, id }).map(([name, value]) => ({ name, value }));
    await this.call('set_entry', (session) => [session, module, values]);
  }

  async currencies(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    // get_entry runs Currency::retrieve('-99'), which builds the system currency from config.
    const system = (await this.call('get_entry', (session) => [session, 'Currencies', systemCurrencyId, ['iso4217'], [], false])) as { entry_list?: Entry[] };
    const iso = system.entry_list?.[0] ? flatten(system.entry_list[0].name_value_list).iso4217 : undefined;
    if (typeof iso === 'string' && iso) found.set(systemCurrencyId, iso.toUpperCase());
    for (const row of await this.list({ module: 'Currencies', fields: ['iso4217'], keyset: { phase: 'ids', afterId: null }, withDeleted: false, size: 200 })) {
      if (typeof row.fields.iso4217 === 'string' && row.fields.iso4217) found.set(row.id, row.fields.iso4217.toUpperCase());
    }
    return found;
  }

  async salesStages(): Promise<[string, string][] | null> {
    const body = (await this.call('get_module_fields', (session) => [session, 'Opportunities', ['sales_stage']])) as {
      module_fields?: { sales_stage?: { options?: NameValues } };
    };
    const options = body.module_fields?.sales_stage?.options;
    if (!options) return null;
    return Object.entries(flatten(options)).map(([key, label]) => [key, String(label)]);
  }

  private async login(): Promise<string> {
    const args = [{ user_name: this.credential.username, password: createHash('md5').update(this.credential.secret).digest('hex') }, 'Headway', []];
    const body = await this.post('login', args);
    if (isFault(body)) {
      if (body.number === 10 || body.number === 1009 || body.number === 1008) {
        throw new ConnectorError('bad_credential', `SuiteCRM refused the login of ${this.credential.username} (${body.name}: ${body.description}). Check --username and HEADWAY_CRM_SECRET.`);
      }
      throw this.faultError('login', body);
    }
    const session = (body as { id?: unknown }).id;
    if (typeof session !== 'string' || session === '') throw new ConnectorError('bad_response', 'SuiteCRM answered the login without a session id.');
    const nameValues = (body as { name_value_list?: NameValues }).name_value_list;
    this.userName = String((nameValues ? flatten(nameValues).user_name : undefined) ?? this.credential.username);
    this.session = session;
    return session;
  }

  /** A method that needs a session: logs in when there is none, and once more when the session expired (11). */
  private async call(method: string, args: (session: string) => unknown[]): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const session = this.session ?? (await this.login());
      const body = await this.post(method, args(session));
      if (!isFault(body)) return body;
      if (body.number === 11 && attempt === 0) {
        this.session = null;
        continue;
      }
      throw this.faultError(method, body);
    }
  }

  private faultError(method: string, fault: Fault): ConnectorError {
    const said = redact(`${fault.name}: ${fault.description}`, [this.credential.secret]);
    if (fault.number === 40 || fault.number === 20) {
      return new ConnectorError('missing_rights', `The SuiteCRM user ${this.credential.username} may not do this (${method}: ${said}). Give that user's role access to Opportunities, Notes, Tasks and Users.`);
    }
    if (fault.number === 11) return new ConnectorError('bad_credential', `SuiteCRM keeps refusing Headway's session (${said}).`);
    return new ConnectorError('rejected', `SuiteCRM refused ${method} (${said}).`);
  }

  private async post(method: string, args: unknown[]): Promise<unknown> {
    const form = new URLSearchParams({ method, input_type: 'JSON', response_type: 'JSON', rest_data: JSON.stringify(args) });
    const candidates = this.base === null ? bases : [this.base];
    let last: HttpAnswer | null = null;
    for (const base of candidates) {
      last = await this.http.request({
        method: 'POST',
        url: `${this.credential.origin}${base}/service/v4_1/rest.php`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      if (last.status === 404) continue;
      let body: unknown;
      try {
        body = JSON.parse(last.text);
      } catch {
        continue;
      }
      this.base = base;
      return body;
    }
    throw new ConnectorError(
      'api_off',
      `SuiteCRM's REST API does not answer at ${this.credential.origin}/service/v4_1/rest.php (${last ? `HTTP ${last.status}: ${excerpt(redact(last.text, [this.credential.secret]), 120)}` : 'no answer'}).`,
    );
  }
}
