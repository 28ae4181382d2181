import { SwitchableTraffic } from '../traffic';

// What the EspoCRM contract fake holds: users (API user included), opportunities, stream posts and tasks, the
// Opportunity stage field's metadata, API keys, and the switches a test flips. Shapes follow espocrm/espocrm (see
// server.ts for the source of each).

export type EspoRow = Record<string, unknown> & { id: string };

export interface EspoUser {
  id: string;
  userName: string;
  name: string;
  /** regular, admin or api (Entities/User.php TYPE_*). */
  type: 'regular' | 'admin' | 'api';
  emailAddress: string | null;
  isActive: boolean;
}

export interface LogEntry {
  method: string;
  path: string;
  status: number;
}

/** "Y-m-d H:i:s" in UTC, as EspoCRM stores and answers datetimes. */
export function espoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export class EspoFake extends SwitchableTraffic<LogEntry> {
  readonly users = new Map<string, EspoUser>();
  readonly opportunities = new Map<string, EspoRow>();
  readonly notes = new Map<string, EspoRow>();
  readonly tasks = new Map<string, EspoRow>();
  /** API keys and the API user each authenticates (User.apiKey of an API user with authMethod "ApiKey"). */
  readonly apiKeys = new Map<string, string>();
  /** entityDefs.Opportunity.fields.stage as Modules/Crm/Resources/metadata/entityDefs/Opportunity.json ships it. */
  stageField = {
    type: 'enum',
    options: ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
    default: 'Prospecting',
    probabilityMap: { Prospecting: 10, Qualification: 20, Proposal: 50, Negotiation: 80, 'Closed Won': 100, 'Closed Lost': 0 } as Record<string, number>,
  };
  settings = {
    /** The web server does not rewrite /api/v1/ (or the address is wrong): its own 404 page for every API path. */
    apiOff: false,
    /** The API user's role has no create access to Notes. */
    notesDenied: false,
    /** A reverse proxy's rate limit: every nth request answered 429 with Retry-After; null: none. */
    rateLimit: null as { everyNth: number; retryAfterSeconds: number } | null,
    /** recordListMaxSizeLimit (Resources/defaults/config.php). */
    maxSizeLimit: 200,
  };
  private sequence = 0;

  /** Util::generateId: uniqid()'s 13 hex digits of time, then 4 more (17 characters, increasing with time). */
  id(): string {
    this.sequence += 1;
    return `${(Date.now() * 1000 + this.sequence).toString(16).padStart(13, '0').slice(-13)}${this.sequence.toString(16).padStart(4, '0').slice(-4)}`;
  }

  addUser(user: EspoUser): void {
    this.users.set(user.id, user);
  }

  userName(id: unknown): string | null {
    return typeof id === 'string' ? (this.users.get(id)?.name ?? null) : null;
  }

  addOpportunity(fields: Partial<EspoRow> & { name: string }, modifiedAt: string, createdById: string): EspoRow {
    const row: EspoRow = {
      id: this.id(), deleted: false, amount: null, amountCurrency: null, stage: this.stageField.default, lastStage: null, probability: 10, leadSource: null,
      closeDate: null, description: null, createdAt: modifiedAt, modifiedAt, accountId: null, accountName: null, campaignId: null, campaignName: null,
      createdById, createdByName: this.userName(createdById), modifiedById: createdById, modifiedByName: this.userName(createdById),
      assignedUserId: null, assignedUserName: null, teamsIds: [], teamsNames: {}, cOpportunityType: 'Sale',
      ...fields,
    };
    this.fill(row);
    this.opportunities.set(row.id, row);
    return row;
  }

  /** An edit in EspoCRM: new values, a new modifiedAt (unless given), the stage's probability, the names of links. */
  editOpportunity(id: string, patch: Partial<EspoRow>, modifiedAt: string, by: string): EspoRow {
    const row = this.opportunities.get(id);
    if (!row) throw new Error(`no opportunity ${id}`);
    Object.assign(row, patch, { modifiedAt, modifiedById: by, modifiedByName: this.userName(by) });
    this.fill(row);
    return row;
  }

  /** Hooks/Opportunity/Probability.php sets the probability from the stage; a link's name follows its id. */
  private fill(row: EspoRow): void {
    const probability = this.stageField.probabilityMap[String(row.stage)];
    if (probability !== undefined) row.probability = probability;
    row.assignedUserName = this.userName(row.assignedUserId);
  }
}
