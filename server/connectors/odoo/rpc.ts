import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, type ConnectorHttp } from '../http';

// Odoo's external API over JSON-RPC (odoo/documentation content/developer/reference/external_api.rst; odoo/odoo
// odoo/service/common.py exp_authenticate, odoo/service/model.py execute_kw): POST /jsonrpc with
// {"jsonrpc": "2.0", "method": "call", "params": {"service", "method", "args"}}. `common.authenticate(db, login,
// key, {})` answers the user id or false; `object.execute_kw(db, uid, key, model, method, args, kwargs)` runs an ORM
// method. A failure is HTTP 200 with {"error": {"code": 200, "message": "Odoo Server Error", "data": {"name":
// "odoo.exceptions.AccessDenied", "message", "arguments", "debug"}}} (odoo/http.py serialize_exception). The API
// key (or password) is sent in every call; Odoo's SaaS answers 429 to too many requests, retried by ConnectorHttp.

interface RpcError {
  code?: number;
  message?: string;
  data?: { name?: string; message?: string };
}

export interface OdooLogin {
  origin: string;
  database: string;
  login: string;
  key: string;
}

export class OdooRpc {
  private uid: number | null = null;
  private sequence = 0;

  constructor(
    private readonly credential: OdooLogin,
    private readonly http: ConnectorHttp,
  ) {}

  /** The user id the login and key authenticate, asked once per connector. */
  async userId(): Promise<number> {
    if (this.uid !== null) return this.uid;
    const { database, login, key } = this.credential;
    const uid = await this.call('common', 'authenticate', [database, login, key, {}]);
    if (typeof uid !== 'number' || uid <= 0) {
      throw new ConnectorError('bad_credential', `Odoo refused the login "${login}" with that API key or password on the database "${database}". In Odoo, the user's Preferences → Account Security → New API Key; put it in HEADWAY_CRM_SECRET.`);
    }
    this.uid = uid;
    return uid;
  }

  /** model.method(*args, **kwargs) as the authenticated user. */
  async execute<T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> {
    const uid = await this.userId();
    return (await this.call('object', 'execute_kw', [this.credential.database, uid, this.credential.key, model, method, args, kwargs])) as T;
  }

  private async call(service: string, method: string, args: unknown[]): Promise<unknown> {
    this.sequence += 1;
    const answer = await this.http.request({
      method: 'POST',
      url: `${this.credential.origin}/jsonrpc`,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: this.sequence }),
    });
    const body = parseJson(answer) as { result?: unknown; error?: RpcError } | undefined;
    const what = service === 'object' ? `${String(args[3])}.${String(args[4])}` : `${service}.${method}`;
    if (answer.status === 404 || (answer.status === 200 && body === undefined)) {
      throw new ConnectorError('api_off', `${this.credential.origin} has no Odoo external API at /jsonrpc (HTTP ${answer.status}). Give the address Odoo is served at; on Odoo Online the external API needs a plan that includes it.`);
    }
    if (answer.status !== 200 || !body) throw new ConnectorError('bad_response', `Odoo answered HTTP ${answer.status} to ${what}: ${this.clean(excerpt(answer.text))}`);
    if (body.error) throw this.failure(body.error, what);
    return body.result;
  }

  private failure(error: RpcError, what: string): ConnectorError {
    const name = error.data?.name ?? '';
    const said = this.clean(error.data?.message ?? error.message ?? 'no message');
    if (name === 'odoo.exceptions.AccessDenied') {
      return new ConnectorError('bad_credential', `Odoo refused the API key or password for "${this.credential.login}" (${said}). Make a new API key in the user's Preferences → Account Security and put it in HEADWAY_CRM_SECRET.`);
    }
    if (name === 'odoo.exceptions.AccessError') {
      return new ConnectorError('missing_rights', `The Odoo user "${this.credential.login}" may not do ${what} (${said}). Give it Sales / "All Documents" (to read every opportunity) and let it post on them.`);
    }
    if (/database .* does not exist|KeyError|OperationalError/i.test(`${name} ${said}`)) {
      return new ConnectorError('rejected', `Odoo has no database "${this.credential.database}" (${said}). Give the database name with --client-id.`);
    }
    return new ConnectorError(name === 'odoo.exceptions.ValidationError' || name === 'odoo.exceptions.UserError' ? 'rejected' : 'bad_response', `Odoo refused ${what}: ${name ? `${name}: ` : ''}${said}`);
  }

  private clean(text: string): string {
    return redact(text, [this.credential.key]);
  }
}
