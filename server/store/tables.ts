// Row shapes as the database holds them (snake_case, JSON as text, dates as ISO text).
// Domain types come from core/schema via z.infer; these only describe storage, and rows
// are always turned into domain objects through the core schemas (see server/store/rows.ts).

export interface UsersTable {
  id: string;
  name: string;
  /** Lower-cased so that look-ups by e-mail are case-insensitive. */
  email: string;
  role: string;
  team: string | null;
  capacity: number;
  segments: string;
  absences: string;
  crm_identities: string;
  created_at: string;
  /** When an admin disabled the person (`user disable`); null = active. */
  disabled_at: string | null;
  /** The language the person set (en, ru); null = the browser's, and the workspace's for server texts. */
  locale: string | null;
}

export interface PairingCodesTable {
  code_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface DeviceTokensTable {
  id: string;
  token_hash: string;
  user_id: string;
  device_name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The workspace's CRM tenants (RecordRef.instance, canonical as core/crm writes it). Migration 008 renamed origin. */
export interface CrmInstancesTable {
  instance: string;
  crm: string;
  created_at: string;
}

export interface DisabledAdaptersTable {
  crm: string;
  reason: string;
  disabled_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface DealsTable {
  id: string;
  crm: string;
  /** Migration 008: the record's tenant; null only for a deal kept from before tenants until one is given to it. */
  instance: string | null;
  crm_id: string;
  record_type: string;
  title: string;
  kind: string;
  amount: number | null;
  currency: string | null;
  stage: string | null;
  probability: number | null;
  owner_id: string | null;
  owner_label: string | null;
  segment: string | null;
  expected_close: string | null;
  status: string;
  closed_at: string | null;
  source: string;
  url: string | null;
  /** The CRM account the deal belongs to (used by the demo CRM pages; not part of the Deal schema). */
  account_crm_id: string | null;
  updated_at: string;
  version: number;
}

export interface NotesTable {
  id: string;
  author_id: string;
  crm: string | null;
  instance: string | null;
  crm_id: string | null;
  record_type: string | null;
  record_title: string | null;
  /** NoteContent as JSON. */
  content: string;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
}

export interface PlansTable {
  id: string;
  kind: string;
  period: string;
  start: string;
  owner_id: string | null;
  target: number;
  currency: string;
  count_target: number | null;
  updated_at: string;
  version: number;
}

export interface EscalationsTable {
  id: string;
  from_id: string;
  to_role: string | null;
  to_user_id: string | null;
  category: string;
  severity: string;
  title: string;
  body: string;
  crm: string | null;
  instance: string | null;
  crm_id: string | null;
  record_type: string | null;
  context: string;
  status: string;
  sla_due: string | null;
  decision: string | null;
  comments: string;
  created_at: string;
  updated_at: string;
  version: number;
  /** Migration 006: JSON array of user ids who joined with a duplicate. */
  participant_ids: string;
  resolved_at: string | null;
  /** When the SLA sweeper last found it overdue (server/escalation/sla.ts). */
  overdue_at: string | null;
  /** Migration 007: JSON {id, name} of who acknowledged / resolved it; the report a report request got. */
  acknowledged_by: string | null;
  resolved_by: string | null;
  report_id: string | null;
}

/** One accepted escalation transition (EscalationAuditEntry), one row per version. */
export interface EscalationAuditTable {
  escalation_id: string;
  version: number;
  at: string;
  actor_id: string;
  action: string;
  from_status: string;
  to_status: string;
  details: string;
}

/** Outbox of webhook and e-mail deliveries, written in the transaction of the escalation event. */
export interface DeliveriesTable {
  id: string;
  escalation_id: string;
  channel: string;
  event_type: string;
  /** The webhook URL, or the e-mail recipients as a JSON array. */
  target: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** Generated weekly reports (on request or by the weekly schedule). */
export interface ReportsTable {
  id: string;
  week_start: string;
  created_at: string;
  created_by: string;
  scheduled: number;
  html: string;
  csv: string;
  /** The WeeklyReport as JSON, rendered again in each reader's language; null for reports stored before it was kept. */
  figures: string | null;
}

/** Single row: the last sequence number handed out; locking it orders commits like sequence numbers. */
export interface ChangeCounterTable {
  id: number;
  seq: number;
}

/** One row (id 1): how many writes to people, tokens, settings and tenants there have been (023_access_epoch). */
export interface AccessEpochTable {
  id: number;
  epoch: number;
}

export interface ChangeLogTable {
  seq: number;
  entity: string;
  entity_id: string;
  version: number;
  /** Who owns the entity after the change (note author, deal owner, plan owner, escalation sender). */
  owner_id: string | null;
  /** Owner before the change, so a manager who lost a deal learns that it left their view. */
  previous_owner_id: string | null;
  /** Escalations: the addressed role or person. */
  audience_role: string | null;
  audience_user_id: string | null;
  created_at: string;
}

export interface ClientMutationsTable {
  client_id: string;
  user_id: string;
  last_mutation_id: number;
  updated_at: string;
}

export interface MutationFailuresTable {
  id: string;
  client_id: string;
  user_id: string;
  mutation_id: number;
  name: string;
  code: string;
  message: string;
  args: string;
  created_at: string;
}

export interface RateLimitBucketsTable {
  key: string;
  window_start: string;
  count: number;
}

export interface DemoAccountsTable {
  id: string;
  name: string;
  industry: string;
  city: string;
  country: string;
  phone: string;
}

/** A deal move between managers (server/balance/moves.ts). */
export interface MovesTable {
  id: string;
  deal_id: string;
  from_id: string;
  to_id: string;
  why: string;
  reason: string;
  status: string;
  created_by: string;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  done_at: string | null;
  updated_at: string;
  version: number;
}

/** Won deals summed per (kind, month of closedAt, owner, currency); see server/plan/won-totals.ts. */
export interface WonTotalsTable {
  owner_key: string;
  kind: string;
  currency: string;
  month: string;
  cents: number;
  count: number;
  no_amount: number;
}

/** Summable open deals per (kind, expected-close day or month, owner, currency); see server/plan/pipeline-totals.ts. */
export interface PipelineTotalsTable {
  kind: string;
  /** 'day': bucket is YYYY-MM-DD; 'month': bucket is YYYY-MM. */
  grain: string;
  bucket: string;
  owner_key: string;
  currency: string;
  cents: number;
  weighted_cents: number;
  count: number;
}

/** Tokens of services (a CRM's workflow) allowed only on the deal ingest and import routes. */
export interface ServiceTokensTable {
  id: string;
  token_hash: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AdapterMissesTable {
  day: string;
  crm: string;
  origin: string;
  record_type: string;
  misses: number;
  last_at: string;
}

export interface AdapterMissReportersTable {
  day: string;
  crm: string;
  origin: string;
  record_type: string;
  user_id: string;
}

/** Migration 013: a team's or user's calendar country, when not the workspace's. */
export interface CalendarAssignmentsTable {
  scope: 'team' | 'user';
  scope_id: string;
  country: string;
  updated_at: string;
}

/** Migration 009: one row per write that changed a deal, with who, how and each field before → after. */
export interface DealHistoryTable {
  id: string;
  deal_id: string;
  /** The deal's version this write produced. */
  version: number;
  at: string;
  /** DealSource: page (a capture), import (CSV), api (ingest). */
  source: string;
  /** The Headway user behind it; null for a feed (a service token, the command line: see actor_label). */
  actor_id: string | null;
  /** Who, as shown in the history: the user's name then, or the feed (`service token "Salesforce flow"`). */
  actor_label: string;
  /** JSON {field: {from, to}} of the Deal fields it changed. */
  changes: string;
}

/** A CRM connection (server/connectors); `secret` is sealed (secret-box.ts), the JSON columns are parsed by schemas. */
export interface CrmConnectionsTable {
  id: string;
  instance: string;
  crm: string;
  api: string;
  client_id: string | null;
  username: string | null;
  secret: string;
  hook_secret_hash: string;
  /** SHA-256 of the token a CRM's outbound events carry (Bitrix24 auth[application_token]); null: none set. */
  event_token_hash: string | null;
  /** The secret a CRM signs its events with (HubSpot's client secret), sealed like `secret`; null: none set. */
  event_secret_sealed: string | null;
  settings: string;
  pipelines: string;
  cursor: string | null;
  run: string | null;
  reconciled_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  due_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface CrmUsersTable {
  connection_id: string;
  crm_user_id: string;
  name: string;
  email: string | null;
  active: number;
}

export interface CrmWritebacksTable {
  id: string;
  connection_id: string;
  kind: string;
  subject_id: string;
  record_type: string;
  record_crm_id: string;
  subject_version: number;
  crm_id: string | null;
  state: string;
  attempts: number;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface CrmWritebackCursorTable {
  id: number;
  seq: number;
}

export interface CrmRefreshTable {
  connection_id: string;
  crm_id: string;
  requested_at: string;
}

export interface CrmSeenTable {
  connection_id: string;
  crm_id: string;
}

export interface CrmSyncRunsTable {
  id: string;
  connection_id: string;
  process: string;
  full: number;
  started_at: string;
  finished_at: string | null;
  fetched: number;
  upserted: number;
  removed: number;
  written_back: number;
  error: string | null;
}

export interface Database {
  users: UsersTable;
  pairing_codes: PairingCodesTable;
  device_tokens: DeviceTokensTable;
  crm_instances: CrmInstancesTable;
  disabled_adapters: DisabledAdaptersTable;
  settings: SettingsTable;
  calendar_assignments: CalendarAssignmentsTable;
  deals: DealsTable;
  notes: NotesTable;
  plans: PlansTable;
  escalations: EscalationsTable;
  escalation_audit: EscalationAuditTable;
  deliveries: DeliveriesTable;
  reports: ReportsTable;
  change_counter: ChangeCounterTable;
  access_epoch: AccessEpochTable;
  change_log: ChangeLogTable;
  client_mutations: ClientMutationsTable;
  mutation_failures: MutationFailuresTable;
  rate_limit_buckets: RateLimitBucketsTable;
  demo_accounts: DemoAccountsTable;
  won_totals: WonTotalsTable;
  pipeline_totals: PipelineTotalsTable;
  service_tokens: ServiceTokensTable;
  moves: MovesTable;
  adapter_misses: AdapterMissesTable;
  adapter_miss_reporters: AdapterMissReportersTable;
  deal_history: DealHistoryTable;
  crm_connections: CrmConnectionsTable;
  crm_users: CrmUsersTable;
  crm_writebacks: CrmWritebacksTable;
  crm_writeback_cursor: CrmWritebackCursorTable;
  crm_refresh: CrmRefreshTable;
  crm_seen: CrmSeenTable;
  crm_sync_runs: CrmSyncRunsTable;
  deal_imports: DealImportsTable;
  deal_import_rows: DealImportRowsTable;
}


/** Migration 015: the deals imports under way (issue 13 §7); touched after every chunk, swept when left behind. */
export interface DealImportsTable {
  id: string;
  touched_at: string;
}

/** Migration 015: one row of a deals import as upsertDeal planned it, staged until the import is applied. */
export interface DealImportRowsTable extends Omit<DealsTable, 'instance'> {
  import_id: string;
  line: number;
  outcome: 'created' | 'updated' | 'unchanged';
  previous_version: number | null;
  /** 1 when the write changes an existing deal's owner (an approved move may be done by it). */
  owner_changed: number;
  change_previous_owner_id: string | null;
  instance: string;
  history_id: string | null;
  history_at: string | null;
  history_source: string | null;
  history_actor_id: string | null;
  history_actor_label: string | null;
  history_changes: string | null;
}
