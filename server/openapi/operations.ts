import { z } from 'zod';
import { WeeklyReport } from '../../core/escalation/weekly-report';
import {
  AdapterHealthQuery, AdapterHealthResponse, AdapterMissReport, AuditCsvQuery, ConnectionsResponse, CrmHookBody, CrmHookParams, HubSpotEvents, PipedriveEvent, BalanceSettings, BalanceSettingsPatch, ConfigResponse, DealImportQuery, DealIngest,
  DealIngestResponse, DealKeyParams, DealHistoryQuery, DealHistoryResponse, DealLoadParams, DealLoadQuery, DealLoadResponse, EscalationActionRequest, EscalationCreateRequest, EscalationCreateResponse,
  EscalationDetail, EscalationParams, EscalationPresetQuery, EscalationPresetResponse, EscalationSettingsUpdate, EscalationSettingsView,
  EscalationsQuery, EscalationsResponse, EscalationView, Id, DealImportResult, ImportRejected, ImportResult, LoadQuery, LoadResponse, LocaleUpdate, MoveDecision, MoveParams,
  CalendarAssignment, CalendarTeamParams, CalendarUserParams, CalendarsResponse, CompanyDayParams, CompanyDaysOff,
  MoveProposal, MoveRecord, MovesApproval, MovesQuery, MovesResponse, PairRequest, PairResponse, PlanCreate, PlanImportQuery, PlanResponse, PlansQuery,
  PlansResponse, PlanUpdate, ProgressDealsQuery, ProgressDealsResponse, ProgressQuery, ProgressResponse, PullQuery, PullResponse, PushRequest,
  PushResponse, ReportCreateRequest, ReportsResponse, RosterUpdate, Settings, SettingsPatch, StoredReport, User, WeeklyReportQuery,
} from '../../core/schema';

// Every API route, described with the zod schemas it parses with (core/schema), so the description cannot drift
// from what the server accepts and answers. test/server/security/openapi-coverage.test.ts fails for a route missing
// here. Whether a route asks for a token comes from server/http/access-policy.ts, not from this list.

export type MediaType = 'application/json' | 'text/csv' | 'text/html';

export interface Answer {
  description: string;
  /** JSON answers: the schema; documents (CSV, HTML): their media types. Omitted: no body (204). */
  schema?: z.ZodType;
  documents?: readonly MediaType[];
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** As Hono registers it: `/api/plans/:id`. */
  path: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON body, `'csv'` for the import routes (the file itself, text/csv), `'form'` for a CRM's form-encoded event. */
  body?: z.ZodType | 'csv' | 'form';
  /** Optional body (move decisions): the route also takes none. */
  bodyOptional?: true;
  /** 2xx answers by status. */
  ok: Record<number, Answer>;
  /** 4xx answers beyond the ones every route of its kind has (see document.ts): a specific 400/404/409 and why. */
  errors?: Record<number, string | { description: string; schema: z.ZodType }>;
}

const IdParam = z.object({ id: Id });
const MoveParamsSchema = MoveParams;
const StoredFormat = z.object({ format: z.enum(['html', 'csv']).default('html') });
const importRejected = { description: 'The import was refused (nothing written): every bad row in `issues`, with its line', schema: ImportRejected };

export const operations: Operation[] = [
  // ---------- connection
  { method: 'get', path: '/healthz', summary: 'Liveness', ok: { 200: { description: 'The server is up', schema: z.object({ ok: z.literal(true) }) } } },
  { method: 'get', path: '/api/openapi.json', summary: 'This description', ok: { 200: { description: 'OpenAPI 3.1', schema: z.object({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) } } },
  {
    method: 'post', path: '/api/pair', summary: 'Trade a one-time pairing code for a device token', body: PairRequest,
    ok: { 200: { description: 'Paired', schema: PairResponse } }, errors: { 401: 'Unknown, used or expired pairing code', 429: 'Too many attempts from this address' },
  },
  { method: 'get', path: '/api/me', summary: 'The user this device belongs to', ok: { 200: { description: 'The user', schema: User } } },
  { method: 'put', path: '/api/me/locale', summary: 'Set the caller\'s language (null: follow the browser)', body: LocaleUpdate, ok: { 200: { description: 'The user', schema: User } } },
  { method: 'delete', path: '/api/session', summary: 'Revoke the calling device token', ok: { 204: { description: 'Revoked' } } },
  { method: 'get', path: '/api/config', summary: 'CRM instances, disabled adapters and workspace settings', ok: { 200: { description: 'The configuration', schema: ConfigResponse } } },

  // ---------- roster and settings
  { method: 'get', path: '/api/users', summary: 'The department roster', ok: { 200: { description: 'Every user', schema: z.object({ users: z.array(User) }) } } },
  {
    method: 'put', path: '/api/users/:id', summary: 'Change a user’s capacity, segments, absences or CRM identity', params: IdParam, body: RosterUpdate,
    ok: { 200: { description: 'The user as stored', schema: User } }, errors: { 404: 'No user has this id' },
  },
  { method: 'get', path: '/api/settings', summary: 'Workspace settings: fiscal calendar, holidays, currencies and rates', ok: { 200: { description: 'The settings', schema: Settings } } },
  { method: 'put', path: '/api/settings', summary: 'Change any subset of the workspace settings', body: SettingsPatch, ok: { 200: { description: 'The merged settings', schema: Settings } } },

  // ---------- sync
  {
    method: 'post', path: '/api/sync/push', summary: 'Apply a batch of outbox mutations in order', body: PushRequest,
    ok: { 200: { description: 'Processed up to lastMutationId', schema: PushResponse } },
    errors: { 403: 'The client id belongs to another user', 409: 'A gap in mutation ids (`expected` says where to resume)' },
  },
  { method: 'get', path: '/api/sync/pull', summary: 'Changes after a cursor that the caller may see', query: PullQuery, ok: { 200: { description: 'A page of changes', schema: PullResponse } } },
  { method: 'post', path: '/api/adapter-health/misses', summary: 'Report a record page an adapter recognised but could not read', body: AdapterMissReport, ok: { 204: { description: 'Recorded' } } },
  { method: 'get', path: '/api/adapter-health', summary: 'Adapter misses across the workspace', query: AdapterHealthQuery, ok: { 200: { description: 'Misses per adapter and the switched-off adapters', schema: AdapterHealthResponse } } },

  // ---------- CRM connectors
  { method: 'get', path: '/api/crm/connections', summary: 'Each CRM connection’s sync status (never its credential), as `crm status` shows it', ok: { 200: { description: 'The connections', schema: ConnectionsResponse } } },
  {
    method: 'post', path: '/api/crm/hook/:id', summary: 'A CRM’s logic hook or workflow asks for a sync sooner (header X-Headway-Hook-Secret)', params: CrmHookParams, body: CrmHookBody, bodyOptional: true,
    ok: { 202: { description: 'A sync is queued (and a re-read of the record, when named)', schema: z.object({ queued: z.literal(true) }) } },
  },
  {
    method: 'post', path: '/api/crm/hook/:id/bitrix24', summary: 'A Bitrix24 outbound webhook (ONCRMDEALADD/UPDATE/DELETE, form-encoded, verified by auth[application_token]) asks for its deal to be re-read', params: CrmHookParams, body: 'form',
    ok: { 202: { description: 'A re-read of the deal and a sync are queued', schema: z.object({ queued: z.literal(true) }) } },
  },
  {
    method: 'post', path: '/api/crm/hook/:id/hubspot', summary: 'A HubSpot webhook delivery (deal events, verified by X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp) asks for its deals to be re-read', params: CrmHookParams, body: HubSpotEvents,
    ok: { 202: { description: 'Re-reads of the deals and a sync are queued', schema: z.object({ queued: z.literal(true) }) } },
  },
  {
    method: 'post', path: '/api/crm/hook/:id/pipedrive', summary: 'A Pipedrive webhook (a deal event, v1 or v2, verified by the webhook\'s HTTP Basic credentials) asks for its deal to be re-read', params: CrmHookParams, body: PipedriveEvent,
    ok: { 202: { description: 'A re-read of the deal and a sync are queued', schema: z.object({ queued: z.literal(true) }) } },
  },

  // ---------- plans and progress
  { method: 'get', path: '/api/plans', summary: 'Plans the caller may see, with target mismatches', query: PlansQuery, ok: { 200: { description: 'Plans and mismatch flags', schema: PlansResponse } } },
  {
    method: 'post', path: '/api/plans', summary: 'Create a plan for a scope and period', body: PlanCreate,
    ok: { 201: { description: 'Created; the mismatch flags of its group', schema: PlanResponse } }, errors: { 409: 'That scope already has a plan for this period' },
  },
  {
    method: 'put', path: '/api/plans/:id', summary: 'Change a plan (optionally against the version it was read at)', params: IdParam, body: PlanUpdate,
    ok: { 200: { description: 'Changed; the mismatch flags of its group', schema: PlanResponse } },
    errors: { 404: 'No plan has this id', 409: 'A stale baseVersion, or another plan has this scope and period' },
  },
  {
    method: 'delete', path: '/api/plans/:id', summary: 'Delete a plan', params: IdParam,
    ok: { 200: { description: 'Deleted', schema: z.object({ deleted: Id }) } }, errors: { 404: 'No plan has this id' },
  },
  {
    method: 'post', path: '/api/plans/import', summary: 'Import plans from CSV, all or nothing (dryRun: only report; replace: overwrite existing plans)', query: PlanImportQuery, body: 'csv',
    ok: { 200: { description: 'The import report (a dry run with bad rows too: ok is false)', schema: ImportResult } },
    errors: { 400: importRejected, 409: 'A plan for one of the scopes was saved or changed meanwhile; nothing was written' },
  },
  { method: 'get', path: '/api/progress', summary: 'Plan progress of the department and every manager the caller may see', query: ProgressQuery, ok: { 200: { description: 'Progress figures', schema: ProgressResponse } } },
  {
    method: 'get', path: '/api/progress/deals', summary: 'The deals behind a progress figure', query: ProgressDealsQuery,
    ok: { 200: { description: 'A page of deals', schema: ProgressDealsResponse } }, errors: { 403: 'A manager asked for another owner’s deals' },
  },

  // ---------- deals fed in by a CRM
  {
    method: 'post', path: '/api/deals/import', summary: 'Import deals from CSV with a mapping (columns, value maps, constants), all or nothing; read as a stream', query: DealImportQuery, body: 'csv',
    ok: { 200: { description: 'The import report with a preview of what each value becomes (a dry run with bad rows too: ok is false)', schema: DealImportResult } }, errors: { 400: importRejected },
  },
  {
    method: 'put', path: '/api/deals/:crm/:crmId', summary: 'Create or update one deal of one of the workspace’s tenants (idempotent; for CRM workflows, head and admin)', params: DealKeyParams, body: DealIngest,
    ok: { 200: { description: 'Updated or unchanged', schema: DealIngestResponse }, 201: { description: 'Created', schema: DealIngestResponse } },
    errors: { 403: 'Not one of the workspace’s tenants, or not a head, an admin or a service token' },
  },
  {
    method: 'get', path: '/api/deals/history', summary: 'Every change to a deal: source, who, when, each field before → after', query: DealHistoryQuery,
    ok: { 200: { description: 'The deal and its history, newest first', schema: DealHistoryResponse } }, errors: { 404: 'No deal has this id' },
  },

  // ---------- working calendars
  { method: 'get', path: '/api/calendars', summary: 'Countries of the workspace, teams and users, known years, and company days off', ok: { 200: { description: 'The calendars', schema: CalendarsResponse } } },
  {
    method: 'put', path: '/api/calendars/teams/:team', summary: 'Set (or with null clear) a team’s calendar country', params: CalendarTeamParams, body: CalendarAssignment,
    ok: { 200: { description: 'The calendars', schema: CalendarsResponse } }, errors: { 404: 'No user is in this team' },
  },
  {
    method: 'put', path: '/api/calendars/users/:id', summary: 'Set (or with null clear) one user’s calendar country', params: CalendarUserParams, body: CalendarAssignment,
    ok: { 200: { description: 'The calendars', schema: CalendarsResponse } }, errors: { 404: 'No user has this id' },
  },
  { method: 'post', path: '/api/calendars/days-off', summary: 'Add company days off', body: CompanyDaysOff, ok: { 200: { description: 'The calendars', schema: CalendarsResponse } } },
  {
    method: 'delete', path: '/api/calendars/days-off/:day', summary: 'Remove a company day off', params: CompanyDayParams,
    ok: { 200: { description: 'The calendars', schema: CalendarsResponse } }, errors: { 404: 'Not a company day off' },
  },

  // ---------- load and moves
  { method: 'get', path: '/api/load/settings', summary: 'Stage weights, amount tiers and thresholds of the load model', ok: { 200: { description: 'The settings', schema: BalanceSettings } } },
  { method: 'put', path: '/api/load/settings', summary: 'Change the load model’s settings: the fields sent replace the stored ones, the rest stay', body: BalanceSettingsPatch, ok: { 200: { description: 'The settings as stored', schema: BalanceSettings } } },
  { method: 'get', path: '/api/load', summary: 'Managers’ load, statuses and suggested moves, filtered per role', query: LoadQuery, ok: { 200: { description: 'The load view', schema: LoadResponse } } },
  {
    method: 'get', path: '/api/load/deal/:crm/:recordType/:crmId', summary: 'Owner load and suggested owner for one deal page (its tenant in ?instance=)', params: DealLoadParams, query: DealLoadQuery,
    ok: { 200: { description: 'The deal’s owner line and suggestion', schema: DealLoadResponse } }, errors: { 403: 'Not one of the workspace’s tenants', 404: 'Headway does not know this deal' },
  },
  { method: 'get', path: '/api/moves', summary: 'Proposed and decided moves', query: MovesQuery, ok: { 200: { description: 'Moves', schema: MovesResponse } } },
  {
    method: 'post', path: '/api/moves', summary: 'Propose (and optionally decide) moving a deal to another manager', body: MoveProposal,
    ok: { 201: { description: 'The move', schema: MoveRecord } }, errors: { 404: 'Unknown deal or manager', 409: 'The deal already has a pending move, or the move breaks a rule' },
  },
  {
    method: 'post', path: '/api/moves/approve', summary: 'Approve several moves at once, all or none (a proposed move is approved, a suggestion proposed and approved)', body: MovesApproval,
    ok: { 200: { description: 'The approved moves, in the order sent', schema: MovesResponse } }, errors: { 404: 'Unknown deal or move', 409: 'One move breaks a rule: nothing was approved' },
  },
  {
    method: 'post', path: '/api/moves/:id/approve', summary: 'Approve a proposed move', params: MoveParamsSchema, body: MoveDecision, bodyOptional: true,
    ok: { 200: { description: 'The move', schema: MoveRecord } }, errors: { 404: 'No move has this id', 409: 'Already decided, or a stale version' },
  },
  {
    method: 'post', path: '/api/moves/:id/dismiss', summary: 'Dismiss a proposed move', params: MoveParamsSchema, body: MoveDecision, bodyOptional: true,
    ok: { 200: { description: 'The move', schema: MoveRecord } }, errors: { 404: 'No move has this id', 409: 'Already decided, or a stale version' },
  },

  // ---------- escalations
  { method: 'get', path: '/api/escalations', summary: 'Escalations addressed to or sent by the caller', query: EscalationsQuery, ok: { 200: { description: 'Escalations', schema: EscalationsResponse } } },
  {
    method: 'get', path: '/api/escalations/preset', summary: 'The one-click preset (category, severity, recipient) for a record', query: EscalationPresetQuery,
    ok: { 200: { description: 'The preset', schema: EscalationPresetResponse } },
  },
  {
    method: 'get', path: '/api/escalations/audit.csv', summary: 'The escalation audit trail as CSV', query: AuditCsvQuery,
    ok: { 200: { description: 'A CSV download', documents: ['text/csv'] } },
  },
  {
    method: 'get', path: '/api/escalations/:id', summary: 'One escalation thread', params: EscalationParams,
    ok: { 200: { description: 'The thread', schema: EscalationDetail } }, errors: { 404: 'No escalation with this id that the caller may see' },
  },
  {
    method: 'post', path: '/api/escalations', summary: 'Raise an escalation (or join the open one on the same deal and category)', body: EscalationCreateRequest,
    ok: { 200: { description: 'Joined an open escalation', schema: EscalationCreateResponse }, 201: { description: 'Raised', schema: EscalationCreateResponse } },
    errors: { 403: 'The caller may not raise this', 404: 'Unknown record or escalation', 409: 'The escalation changed meanwhile' },
  },
  {
    method: 'post', path: '/api/escalations/:id/actions', summary: 'Acknowledge, comment, ask, resolve, hand over or withdraw', params: EscalationParams, body: EscalationActionRequest,
    ok: { 200: { description: 'The escalation after the action', schema: EscalationView } },
    errors: { 403: 'The caller may not take this action on this thread', 404: 'No escalation with this id that the caller may see', 409: 'Not possible in the escalation’s current state' },
  },
  { method: 'get', path: '/api/escalation-settings', summary: 'SLA, routing and delivery settings (secrets only flagged as set)', ok: { 200: { description: 'The settings', schema: EscalationSettingsView } } },
  { method: 'put', path: '/api/escalation-settings', summary: 'Change SLA, routing and delivery settings', body: EscalationSettingsUpdate, ok: { 200: { description: 'The settings as stored', schema: EscalationSettingsView } } },

  // ---------- reports
  {
    method: 'get', path: '/api/reports/weekly', summary: 'The weekly report for any week, as HTML, CSV or JSON', query: WeeklyReportQuery,
    ok: { 200: { description: 'The report (format=json: this schema)', schema: WeeklyReport, documents: ['text/html', 'text/csv'] } },
  },
  { method: 'post', path: '/api/reports/weekly', summary: 'Store the weekly report of a week', body: ReportCreateRequest, ok: { 201: { description: 'Stored', schema: StoredReport } } },
  { method: 'get', path: '/api/reports', summary: 'Stored reports', ok: { 200: { description: 'Stored reports', schema: ReportsResponse } } },
  {
    method: 'get', path: '/api/reports/:id', summary: 'One stored report, as HTML or CSV', params: EscalationParams, query: StoredFormat,
    ok: { 200: { description: 'The report', documents: ['text/html', 'text/csv'] } }, errors: { 404: 'No stored report has this id' },
  },
];
