import { createHash, randomBytes } from 'node:crypto';
import { Table, dbTime, newId, type Row } from './tables';

// Everything the SuiteCRM fake holds: the modules' rows, OAuth2 clients and tokens (Api/V8/OAuth2), v4_1 sessions,
// per-user module rights, and the switches a test flips (API not set up, rate limiting by a proxy, slowness).

export interface FakeUser {
  id: string;
  userName: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  status?: 'Active' | 'Inactive';
  /** Modules this user's role may not read or write (ACL), e.g. Notes for a read-only integration user. */
  denied?: string[];
}

export interface FakeClient {
  id: string;
  secret: string;
  /** OAuth2Clients.allowed_grant_type: a client serves one grant (ClientRepository::validateClient). */
  grant: 'client_credentials' | 'password';
  /** The user a client_credentials token acts as (OAuth2Clients.assigned_user_id). */
  userId: string;
}

export interface FakeSettings {
  systemCurrency: string;
  tokenTtlSeconds: number;
  /** 'no-keys': Api/V8/OAuth2/private.key missing; 'no-rewrite': /Api only via /Api/index.php; 'off': no V8 at all. */
  v8: 'ok' | 'no-keys' | 'no-rewrite' | 'off';
  legacy: 'ok' | 'off';
  /** A proxy answering every `everyNth` request with 429 and Retry-After (null: no limit). */
  rateLimit: { everyNth: number; retryAfterSeconds: number } | null;
  /** Delay before answering list requests (to keep a sync running while a test acts). */
  listDelayMs: number;
  /** Delay before answering a record create (a write-back killed mid-flight). */
  createDelayMs: number;
  sessionTtlSeconds: number;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  /** v4_1 method name, or the V8 module path. */
  call: string;
  /** The module a v4_1 call names (get_entry_list, set_entry…); V8 names it in `call`. */
  module?: string;
  status: number;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export class SuiteFake {
  readonly tables = {
    Opportunities: new Table('Opportunities'),
    Users: new Table('Users'),
    Currencies: new Table('Currencies'),
    Notes: new Table('Notes'),
    Tasks: new Table('Tasks'),
    Accounts: new Table('Accounts'),
  } as Record<string, Table>;
  readonly settings: FakeSettings;
  readonly users = new Map<string, FakeUser>();
  readonly clients = new Map<string, FakeClient>();
  readonly tokens = new Map<string, { userId: string; expiresAt: number }>();
  readonly refreshTokens = new Map<string, { userId: string; clientId: string }>();
  readonly sessions = new Map<string, { userId: string; expiresAt: number }>();
  readonly log: RequestLogEntry[] = [];
  requestCount = 0;
  /** After this many more listings of Opportunities, every listing fails (connection reset); null: never. */
  failListingAfter: number | null = null;
  /** Shifts the fake's clock (date_modified, token expiry) without waiting. */
  clockOffsetMs = 0;
  private lastStamp = 0;

  constructor(settings: Partial<FakeSettings> = {}) {
    this.settings = {
      systemCurrency: 'EUR', tokenTtlSeconds: 3600, v8: 'ok', legacy: 'ok', rateLimit: null, listDelayMs: 0, createDelayMs: 0,
      sessionTtlSeconds: 1440, ...settings,
    };
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** A date_modified as SuiteCRM stamps it: the server's clock, to the second. */
  stamp(): string {
    return dbTime(this.now());
  }

  addUser(user: FakeUser): FakeUser {
    this.users.set(user.id, user);
    this.tables.Users!.insert({
      id: user.id, user_name: user.userName, first_name: user.firstName, last_name: user.lastName, email1: user.email,
      status: user.status ?? 'Active', is_admin: '0', deleted: '0', date_entered: this.stamp(), date_modified: this.stamp(),
      user_hash: md5(user.password),
    });
    return user;
  }

  addClient(client: FakeClient): FakeClient {
    this.clients.set(client.id, client);
    return client;
  }

  addCurrency(iso: string, name = iso): string {
    const id = newId();
    this.tables.Currencies!.insert({ id, name, symbol: iso, iso4217: iso, conversion_rate: '1', status: 'Active', deleted: '0', date_entered: this.stamp(), date_modified: this.stamp(), created_by: '1' });
    return id;
  }

  /** An Opportunity as SuiteCRM stores it; `date_modified` defaults to now. */
  addOpportunity(fields: Partial<Row> & { name: string }): Row {
    const id = fields.id ?? newId();
    const now = this.stamp();
    return this.tables.Opportunities!.insert({
      id, date_entered: now, date_modified: now, modified_user_id: '1', created_by: '1', description: '', deleted: '0',
      assigned_user_id: '', opportunity_type: '', account_id: '', campaign_id: '', lead_source: '', amount: '', amount_usdollar: '',
      currency_id: '-99', date_closed: '', next_step: '', sales_stage: 'Prospecting', probability: '10',
      ...fields,
    });
  }

  /** A user's edit in SuiteCRM: new values and a new date_modified. */
  editOpportunity(id: string, patch: Partial<Row>): Row {
    const row = this.tables.Opportunities!.update(id, { ...patch, date_modified: patch.date_modified ?? this.stamp() } as Row);
    if (!row) throw new Error(`no opportunity ${id}`);
    return row;
  }

  /** SugarBean::mark_deleted: deleted = 1 and a new date_modified; the row stays. */
  markDeleted(module: string, id: string): void {
    this.tables[module]!.update(id, { deleted: '1', date_modified: this.stamp() });
  }

  /** Removed for good (Scheduler "Prune database", or SQL): nothing is left to list. */
  purge(module: string, id: string): void {
    this.tables[module]!.delete(id);
  }

  issueToken(userId: string, withRefresh: boolean, clientId: string): { access_token: string; refresh_token?: string; expires_in: number } {
    // league/oauth2-server issues a signed JWT; its shape (three base64url parts) is what a client may notice.
    const part = () => randomBytes(24).toString('base64url');
    const access = `${part()}.${part()}.${part()}`;
    this.tokens.set(access, { userId, expiresAt: this.now() + this.settings.tokenTtlSeconds * 1000 });
    const answer: { access_token: string; refresh_token?: string; expires_in: number } = { access_token: access, expires_in: this.settings.tokenTtlSeconds };
    if (withRefresh) {
      const refresh = randomBytes(48).toString('base64url');
      this.refreshTokens.set(refresh, { userId, clientId });
      answer.refresh_token = refresh;
    }
    return answer;
  }

  /** Every issued access token stops working (expiry, or an admin revoking them in SuiteCRM). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  expireSessions(): void {
    for (const session of this.sessions.values()) session.expiresAt = 0;
  }

  login(userName: string, passwordMd5: string): string | null {
    const user = [...this.users.values()].find((u) => u.userName === userName);
    if (!user || md5(user.password) !== passwordMd5.toLowerCase() || user.status === 'Inactive') return null;
    const session = randomBytes(13).toString('hex');
    this.sessions.set(session, { userId: user.id, expiresAt: this.now() + this.settings.sessionTtlSeconds * 1000 });
    return session;
  }

  userOfSession(session: unknown): FakeUser | null {
    const found = typeof session === 'string' ? this.sessions.get(session) : undefined;
    if (!found || found.expiresAt < this.now()) return null;
    return this.users.get(found.userId) ?? null;
  }

  userOfToken(header: string | undefined): FakeUser | null {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    const found = token ? this.tokens.get(token) : undefined;
    if (!found || found.expiresAt < this.now()) return null;
    return this.users.get(found.userId) ?? null;
  }

  may(user: FakeUser, module: string): boolean {
    return !(user.denied ?? []).includes(module);
  }

  systemCurrencyRow(): Row {
    return { id: '-99', name: `${this.settings.systemCurrency} (system)`, symbol: this.settings.systemCurrency, iso4217: this.settings.systemCurrency, conversion_rate: '1', status: 'Active', deleted: '0' };
  }

  /** Derived fields SuiteCRM fills on retrieve (fill_in_additional_detail_fields). */
  withDerived(module: string, row: Row): Row {
    if (module !== 'Opportunities') return row;
    const owner = this.users.get(row.assigned_user_id ?? '');
    const currency = row.currency_id === '-99' || !row.currency_id ? this.systemCurrencyRow() : this.tables.Currencies!.rows.get(row.currency_id);
    return {
      ...row,
      assigned_user_name: owner ? `${owner.firstName} ${owner.lastName}`.trim() : '',
      account_name: this.tables.Accounts!.rows.get(row.account_id ?? '')?.name ?? '',
      currency_name: currency?.name ?? '',
      currency_symbol: currency?.symbol ?? '',
    };
  }

  record(entry: Omit<RequestLogEntry, 'at'>): void {
    this.log.push({ ...entry, at: this.now() });
    if (this.log.length > 100_000) this.log.splice(0, 50_000);
  }

  /** Counts a request and says whether the proxy in front answers it with 429 instead. */
  limited(): boolean {
    this.requestCount += 1;
    const limit = this.settings.rateLimit;
    return limit !== null && this.requestCount % limit.everyNth === 0;
  }
}

export { md5 };
