import { FakeTraffic, type FakeLogEntry } from '../http-util';

// What the Pipedrive contract fake holds: one company (its domain and default currency), users, pipelines and
// stages, deals (deleted ones kept 30 days with status "deleted"), notes, activities, the API tokens that open it
// and the switches a test flips. Shapes follow pipedrive/client-nodejs (see server.ts for the sources).

export interface PipedriveUser {
  id: number;
  name: string;
  email: string;
  active_flag: boolean;
  is_admin: boolean;
}

export interface PipedriveStage {
  id: number;
  name: string;
  pipeline_id: number;
  order_nr: number;
  deal_probability: number;
}

export interface PipedrivePipeline {
  id: number;
  name: string;
  order_nr: number;
}

/** A deal as API v2 gives it; times in epoch ms here, RFC 3339 in whole seconds on the wire. */
export interface PipedriveDeal {
  id: number;
  title: string;
  owner_id: number;
  creator_user_id: number;
  value: number;
  currency: string;
  pipeline_id: number;
  stage_id: number;
  status: 'open' | 'won' | 'lost' | 'deleted';
  probability: number | null;
  expected_close_date: string | null;
  won_time: number | null;
  lost_time: number | null;
  close_time: number | null;
  add_time: number;
  update_time: number;
  custom_fields: Record<string, unknown>;
}

export interface PipedriveNote {
  id: number;
  content: string;
  deal_id: number | null;
  person_id: number | null;
  org_id: number | null;
  lead_id: string | null;
  user_id: number;
  add_time: number;
  update_time: number;
}

export interface PipedriveActivity {
  id: number;
  subject: string;
  type: string;
  owner_id: number;
  deal_id: number | null;
  person_id: number | null;
  org_id: number | null;
  lead_id: string | null;
  due_date: string | null;
  note: string | null;
  done: boolean;
  add_time: number;
  update_time: number;
}

export interface LogEntry extends FakeLogEntry {
  sortBy?: string;
}

export class PipedriveFake extends FakeTraffic<LogEntry> {
  readonly company = { id: 7_312_904, name: 'Acme Trading GmbH', domain: 'acme', currency: 'EUR' };
  readonly users = new Map<number, PipedriveUser>();
  readonly pipelines: PipedrivePipeline[] = [];
  readonly stages: PipedriveStage[] = [];
  readonly deals = new Map<number, PipedriveDeal>();
  readonly notes = new Map<number, PipedriveNote>();
  readonly activities = new Map<number, PipedriveActivity>();
  /** API tokens and the user each belongs to. */
  readonly tokens = new Map<string, number>();
  settings = {
    /** Every nth request answered 429, asking to wait this many seconds (x-ratelimit-reset); null: none. */
    rateLimit: null as { everyNth: number; resetSeconds: number } | null,
    /** The token's user may not add notes (403). */
    notesDenied: false,
    /** The company's subscription ended (402 on every call). */
    paid: true,
  };
  private nextId = 4100;

  id(): number {
    this.nextId += 1 + Math.floor(Math.random() * 3);
    return this.nextId;
  }

  addDeal(deal: Partial<PipedriveDeal> & { title: string; owner_id: number; pipeline_id: number; stage_id: number }): PipedriveDeal {
    const now = Date.now();
    const full: PipedriveDeal = {
      id: this.id(), creator_user_id: deal.owner_id, value: 0, currency: this.company.currency, status: 'open', probability: null, expected_close_date: null,
      won_time: null, lost_time: null, close_time: null, add_time: now, update_time: now, custom_fields: {}, ...deal,
    };
    full.update_time = Math.floor(full.update_time / 1000) * 1000;
    this.deals.set(full.id, full);
    return full;
  }

  /** A user's edit in Pipedrive: new values and a new update_time (unless the test sets one), kept in whole seconds. */
  editDeal(id: number, patch: Partial<PipedriveDeal>, at = Date.now()): PipedriveDeal {
    const deal = this.deals.get(id);
    if (!deal) throw new Error(`no deal ${id}`);
    Object.assign(deal, patch, { update_time: Math.floor(at / 1000) * 1000 });
    return deal;
  }
}
