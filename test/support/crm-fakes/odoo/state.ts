import { SwitchableTraffic } from '../traffic';

// What the Odoo contract fake holds: one database with its users (and their partners), crm.stage, crm.lead,
// mail.message, mail.activity, the API keys, and the switches a test flips. Shapes follow odoo/odoo (see server.ts).

export type OdooRow = Record<string, unknown> & { id: number };

export interface LogEntry {
  model: string;
  method: string;
  status: number;
}

/** "YYYY-MM-DD HH:MM:SS" in UTC, as Odoo answers a Datetime field (seconds: fields.Datetime drops microseconds). */
export function odooTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export class OdooFake extends SwitchableTraffic<LogEntry> {
  readonly database = 'acme-prod';
  readonly currencies = { EUR: [1, 'EUR'], USD: [2, 'USD'] } as const;
  /** res.users (with partner_id) and the records of the other models, by model name. */
  readonly models = new Map<string, Map<number, OdooRow>>();
  /** API keys (res.users.apikeys) and passwords: what authenticates each login. */
  readonly secrets = new Map<string, { login: string; uid: number }>();
  settings = {
    /** No external API at /jsonrpc (a proxy that does not pass it, or not Odoo at that address). */
    apiOff: false,
    /** The user may not post messages on leads (AccessError). */
    notesDenied: false,
    /** A reverse proxy's rate limit: every nth request answered 429 with Retry-After; null: none. */
    rateLimit: null as { everyNth: number; retryAfterSeconds: number } | null,
  };
  private nextId = 100;

  table(model: string): Map<number, OdooRow> {
    let rows = this.models.get(model);
    if (!rows) this.models.set(model, (rows = new Map()));
    return rows;
  }

  insert(model: string, values: Record<string, unknown>, now = Date.now()): OdooRow {
    this.nextId += 1;
    const row: OdooRow = { create_date: odooTime(now), write_date: odooTime(now), ...values, id: this.nextId };
    this.table(model).set(row.id, row);
    return row;
  }

  /** A write as the ORM does it: new values and a new write_date (unless the test gives one). */
  write(model: string, id: number, values: Record<string, unknown>, now = Date.now()): OdooRow {
    const row = this.table(model).get(id);
    if (!row) throw new Error(`no ${model} ${id}`);
    Object.assign(row, { write_date: odooTime(now) }, values);
    return row;
  }

}
