import { RequestLog, type FakeLogEntry } from '../http-util';

// What the amoCRM contract fake holds: one account (one currency), its users, pipelines with their statuses, leads,
// notes and tasks, the long-lived tokens that open it, and the switches a test flips. Shapes follow amoCRM's API v4
// as amocrm/amocrm-api-php reads and writes them (see api.ts for the document behind each answer).

export interface AmoUser {
  id: number;
  name: string;
  email: string;
  /** rights.is_active (UserModel / RightModel). */
  active: boolean;
}

export interface AmoStatus {
  id: number;
  name: string;
  sort: number;
  is_editable: boolean;
  pipeline_id: number;
  color: string;
  /** 0 an ordinary status, 1 "Неразобранное" (incoming leads). */
  type: 0 | 1;
  account_id: number;
}

export interface AmoPipeline {
  id: number;
  name: string;
  sort: number;
  is_main: boolean;
  is_unsorted_on: boolean;
  is_archive: boolean;
  account_id: number;
  statuses: AmoStatus[];
}

/** A lead as LeadModel::fromArray reads it (times are unix seconds). */
export interface AmoLead {
  id: number;
  name: string;
  /** Whole units; price_with_minor_units carries a fractional budget where the account keeps one. */
  price: number;
  price_with_minor_units?: number | null;
  responsible_user_id: number;
  group_id: number;
  status_id: number;
  pipeline_id: number;
  loss_reason_id: number | null;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closest_task_at: number | null;
  is_deleted: boolean;
  custom_fields_values: null;
  score: number | null;
  account_id: number;
}

/** What notes and tasks both carry (NoteModel, TaskModel). */
interface AmoAuthored {
  id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  responsible_user_id: number;
  group_id: number;
  account_id: number;
}

export interface AmoNote extends AmoAuthored {
  entity_id: number;
  note_type: string;
  params: { text: string };
}

export interface AmoTask extends AmoAuthored {
  entity_id: number;
  entity_type: string;
  is_completed: boolean;
  task_type_id: number;
  text: string;
  duration: number;
  complete_till: number;
  result: [];
}

export interface LogEntry extends FakeLogEntry {
  /** The `limit` a listing asked for. */
  limit?: number;
}

export const won = 142;
export const lost = 143;

export class AmoFake extends RequestLog<LogEntry> {
  readonly account = { id: 30117611, name: 'Acme Trading', subdomain: 'acme', currency: 'EUR', currency_symbol: '€', country: 'DE' };
  readonly users = new Map<number, AmoUser>();
  readonly pipelines: AmoPipeline[] = [];
  readonly leads = new Map<number, AmoLead>();
  readonly notes = new Map<number, AmoNote>();
  readonly tasks = new Map<number, AmoTask>();
  /** Long-lived tokens and the user each acts as; a revoked or expired one is removed. */
  readonly tokens = new Map<string, number>();
  settings = {
    /** Every nth request answered 429 (amoCRM's 7 requests/s limit); null: none. */
    rateLimit: null as { everyNth: number } | null,
    /** false: the account's subscription lapsed (402 on every call). */
    paid: true,
    /** The token's user may not add notes (403 on POST …/notes). */
    notesDenied: false,
    /** The token's user may not see leads (403 on GET /api/v4/leads). */
    leadsDenied: false,
  };
  /** Removes a lead between two listings (a user deleting during a sync): fires once, before the nth listing. */
  deleteBeforeListing: { at: number; id: number } | null = null;
  private nextId = 1_000_000;

  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  id(): number {
    this.nextId += 1 + Math.floor(Math.random() * 3);
    return this.nextId;
  }

  addUser(user: AmoUser): void {
    this.users.set(user.id, user);
  }

  addPipeline(id: number, name: string, openStatuses: [number, string][], main = false): AmoPipeline {
    const status = (statusId: number, statusName: string, sort: number, type: 0 | 1 = 0): AmoStatus => ({
      id: statusId, name: statusName, sort, is_editable: statusId !== won && statusId !== lost && type === 0, pipeline_id: id, color: '#99ccff', type, account_id: this.account.id,
    });
    // Every pipeline has its "incoming leads" status first and the fixed 142 / 143 last (amoCRM's closed statuses).
    const pipeline: AmoPipeline = {
      id, name, sort: (this.pipelines.length + 1) * 10, is_main: main, is_unsorted_on: true, is_archive: false, account_id: this.account.id,
      statuses: [
        status(openStatuses[0]![0] - 1, 'Неразобранное', 10, 1),
        ...openStatuses.map(([statusId, statusName], index) => status(statusId, statusName, 20 + index * 10)),
        status(won, 'Успешно реализовано', 10000),
        status(lost, 'Закрыто и не реализовано', 11000),
      ],
    };
    this.pipelines.push(pipeline);
    return pipeline;
  }

  addLead(lead: Partial<AmoLead> & { name: string; pipeline_id: number; status_id: number; responsible_user_id: number }): AmoLead {
    const now = this.now();
    const full: AmoLead = {
      id: this.id(), price: 0, price_with_minor_units: null, group_id: 0, loss_reason_id: null, created_by: 0, updated_by: 0, created_at: now, updated_at: now,
      closed_at: null, closest_task_at: null, is_deleted: false, custom_fields_values: null, score: null, account_id: this.account.id,
      ...lead,
    };
    this.leads.set(full.id, full);
    return full;
  }

  /** A user's edit in amoCRM: new values and a new updated_at (unless the test sets one). */
  editLead(id: number, patch: Partial<AmoLead>): AmoLead {
    const lead = this.leads.get(id);
    if (!lead) throw new Error(`no lead ${id}`);
    Object.assign(lead, { updated_at: this.now() }, patch);
    return lead;
  }
}
