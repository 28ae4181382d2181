// Everything the Bitrix24 contract fake holds. Shapes follow the vendor's REST reference, github.com/bitrix24/
// b24restdocs (mirrored at commit 5988ed13):
// - deals: api-reference/crm/deals/crm-deal-get.md and crm-deal-list.md (every value a string; dates ISO 8601 with
//   the portal's offset; CLOSEDATE midnight in the portal's zone; STAGE_SEMANTIC_ID P/S/F; pages of 50);
// - list answers: settings/how-to-call-rest-api/list-methods-pecularities.md (`result`, `next`, `total`) and
//   settings/performance/huge-data.md (`start: -1` answers without counting: `total: 0`, no `next`);
// - pipelines: api-reference/crm/universal/category/crm-category-list.md (`result.categories[]`, `id` a number) and
//   api-reference/crm/status/crm-status-list.md (ENTITY_ID DEAL_STAGE / DEAL_STAGE_<id>, SEMANTICS S/F/null, EXTRA);
// - users: api-reference/user/user-get.md (ACTIVE a boolean); the webhook's own user: `profile`;
// - comments: api-reference/crm/timeline/comments/crm-timeline-comment-{add,list,update}.md (`result` the new id);
// - to-dos: api-reference/crm/timeline/activities/todo/crm-activity-todo-add.md (`result: {id}`);
// - errors: _includes/system-errors.md (`{error, error_description}`; 503 QUERY_LIMIT_EXCEEDED "Too many requests",
//   401 NO_AUTH_FOUND "Wrong authorization data", 403 insufficient_scope, 403 ACCESS_DENIED "REST API is available
//   only on commercial plans"), crm-deal-get.md (400 `{"error": "", "error_description": "Not found"}`);
// - `time` on every answer: limits.md.

import { B24AuthServer, b24App } from './oauth';

export interface B24Deal {
  ID: string;
  TITLE: string;
  OPPORTUNITY: string;
  CURRENCY_ID: string;
  STAGE_ID: string;
  CATEGORY_ID: string;
  STAGE_SEMANTIC_ID: 'P' | 'S' | 'F';
  PROBABILITY: string | null;
  ASSIGNED_BY_ID: string;
  TYPE_ID: string;
  CLOSEDATE: string;
  DATE_CREATE: string;
  DATE_MODIFY: string;
  [field: string]: string | null;
}

export interface B24User {
  ID: string;
  ACTIVE: boolean;
  NAME: string;
  LAST_NAME: string;
  EMAIL: string;
}

export interface B24Stage {
  STATUS_ID: string;
  NAME: string;
  SEMANTICS: 'S' | 'F' | null;
}

export interface B24Comment {
  ID: string;
  ENTITY_ID: string;
  ENTITY_TYPE: string;
  CREATED: string;
  COMMENT: string;
  AUTHOR_ID: string;
}

export interface B24Todo {
  ID: string;
  OWNER_TYPE_ID: string;
  OWNER_ID: string;
  PROVIDER_ID: 'CRM_TODO';
  SUBJECT: string;
  DESCRIPTION: string;
  DEADLINE: string;
  RESPONSIBLE_ID: string;
}

export interface B24Webhook {
  userId: string;
  key: string;
  /** The scopes the admin ticked when making the inbound webhook. */
  scopes: string[];
}

export interface B24Settings {
  /** The portal's time zone offset, in minutes east of UTC (dates come back in it). */
  offsetMinutes: number;
  /** Every nth request answered 503 QUERY_LIMIT_EXCEEDED (null: never). */
  rateLimit: { everyNth: number } | null;
  /** A free plan: every method answers ACCESS_DENIED "REST API is available only on commercial plans". */
  restOff: boolean;
  /** Methods the webhook's user may not call (its CRM permissions), answered ACCESS_DENIED "Access denied.". */
  denied: Set<string>;
}

export interface B24LogEntry {
  at: number;
  method: string;
  status: number;
}

const two = (n: number) => String(n).padStart(2, '0');

export class Bitrix24Fake {
  readonly auth = new B24AuthServer(b24App, () => this.now());
  readonly deals = new Map<number, B24Deal>();
  readonly users = new Map<string, B24User>();
  readonly categories: { id: number; name: string; sort: number; isDefault: 'Y' | 'N'; stages: B24Stage[] }[] = [];
  readonly comments = new Map<number, B24Comment>();
  readonly todos = new Map<number, B24Todo>();
  readonly webhooks: B24Webhook[] = [];
  readonly log: B24LogEntry[] = [];
  readonly settings: B24Settings = { offsetMinutes: 180, rateLimit: null, restOff: false, denied: new Set() };
  requestCount = 0;
  failListingAfter: number | null = null;
  private nextDealId = 1;
  private nextCommentId = 1;
  private nextTodoId = 1;

  now(): number {
    return Date.now();
  }

  /** A time as Bitrix24 answers it: seconds, in the portal's zone, with its offset ("2024-08-30T14:29:00+03:00"). */
  portalTime(ms: number): string {
    const offset = this.settings.offsetMinutes;
    const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000);
    const sign = offset >= 0 ? '+' : '-';
    return `${local.toISOString().slice(0, 19)}${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  }

  /** A date field (CLOSEDATE): midnight of that day in the portal's zone. */
  portalDate(day: string): string {
    return this.portalTime(Date.parse(`${day}T00:00:00Z`) - this.settings.offsetMinutes * 60_000);
  }

  stageSemantic(stageId: string): 'P' | 'S' | 'F' {
    for (const category of this.categories) {
      const stage = category.stages.find((s) => s.STATUS_ID === stageId);
      if (stage) return stage.SEMANTICS ?? 'P';
    }
    return 'P';
  }

  addDeal(fields: Partial<B24Deal> & { TITLE: string }, modifiedAtMs = this.now()): B24Deal {
    const id = this.nextDealId++;
    const stage = fields.STAGE_ID ?? 'NEW';
    const deal: B24Deal = {
      ID: String(id),
      OPPORTUNITY: '0.00',
      CURRENCY_ID: 'EUR',
      CATEGORY_ID: '0',
      PROBABILITY: null,
      ASSIGNED_BY_ID: '1',
      TYPE_ID: 'SALE',
      CLOSEDATE: this.portalDate(new Date(modifiedAtMs + 7 * 86_400_000).toISOString().slice(0, 10)),
      DATE_CREATE: this.portalTime(modifiedAtMs),
      ...fields,
      STAGE_ID: stage,
      STAGE_SEMANTIC_ID: this.stageSemantic(stage),
      DATE_MODIFY: this.portalTime(modifiedAtMs),
    };
    this.deals.set(id, deal);
    return deal;
  }

  editDeal(id: string, fields: Partial<B24Deal>, modifiedAtMs = this.now()): void {
    const deal = this.deals.get(Number(id));
    if (!deal) throw new Error(`no deal ${id}`);
    Object.assign(deal, fields, { DATE_MODIFY: this.portalTime(modifiedAtMs) });
    deal.STAGE_SEMANTIC_ID = this.stageSemantic(deal.STAGE_ID);
  }

  addComment(fields: Omit<B24Comment, 'ID' | 'CREATED'>): number {
    const id = this.nextCommentId++;
    this.comments.set(id, { ...fields, ID: String(id), CREATED: this.portalTime(this.now()) });
    return id;
  }

  addTodo(fields: Omit<B24Todo, 'ID' | 'PROVIDER_ID'>): number {
    const id = this.nextTodoId++;
    this.todos.set(id, { ...fields, ID: String(id), PROVIDER_ID: 'CRM_TODO' });
    return id;
  }

  record(entry: Omit<B24LogEntry, 'at'>): void {
    this.log.push({ ...entry, at: this.now() });
  }

  limited(): boolean {
    this.requestCount += 1;
    const limit = this.settings.rateLimit;
    return limit !== null && this.requestCount % limit.everyNth === 0;
  }
}
