import { z } from 'zod';
import { WeeklyReport } from '../escalation/weekly-report';
import {
  AdapterHealthQuery, AdapterHealthResponse, AdapterMissReport, AuditCsvQuery, ConnectionsResponse, CrmHookBody, CrmHookParams, HubSpotEvents, PipedriveEvent, BalanceSettings, BalanceSettingsPatch, ConfigResponse, DealImportQuery, DealIngest,
  DealIngestResponse, DealKeyParams, DealHistoryQuery, DealHistoryResponse, DealLoadParams, DealLoadQuery, DealLoadResponse, EscalationActionRequest, EscalationCreateRequest, EscalationCreateResponse,
  EscalationDetail, EscalationParams, EscalationPresetQuery, EscalationPresetResponse, EscalationSettingsUpdate, EscalationSettingsView,
  EscalationsQuery, EscalationsResponse, EscalationView, Id, DealImportResult, ImportRejected, ImportResult, LoadQuery, LoadResponse, LocaleUpdate, MoveDecision, MoveParams,
  CalendarAssignment, CalendarTeamParams, CalendarUserParams, CalendarsResponse, CompanyDayParams, CompanyDaysOff,
  MoveProposal, MoveRecord, MovesApproval, MovesQuery, MovesResponse, PairRequest, PairResponse, PlanCreate, PlanImportQuery, PlanResponse, PlansQuery,
  PlansResponse, PlanUpdate, ProgressDealsQuery, ProgressDealsResponse, ProgressQuery, ProgressResponse, PullQuery, PullResponse, PushRequest,
  PushResponse, ReportCreateRequest, ReportsResponse, RosterUpdate, Settings, SettingsPatch, StoredReport, User, WeeklyReportQuery,
} from '../schema';
import { EVERYONE, type RouteDescriptor } from './route';

// Every route of the sync server, once: who may call it, the zod schemas it parses with (core/schema) and what the
// API description says of it. The server's guards (server/http/guard.ts), its access policy, the OpenAPI document
// and the clients' paths derive from this table; test/server/route-descriptors.test.ts fails for a route missing
// here, or an entry here no route answers.

const IdParam = z.object({ id: Id });
const StoredFormat = z.object({ format: z.enum(['html', 'csv']).default('html') });
const importRejected = { description: 'The import was refused (nothing written): every bad row in `issues`, with its line', schema: ImportRejected };
const demoAccess = { anonymous: true, roles: EVERYONE, note: 'Demo CRM entry: a redirect.' } as const;

export const routes = {
  // ---------- connection
  health: {
    method: 'GET', path: '/healthz',
    access: { anonymous: true, roles: EVERYONE, note: 'Liveness for load balancers and "test connection"; reveals nothing.' },
    summary: 'Liveness', ok: { 200: { description: 'The server is up', schema: z.object({ ok: z.literal(true) }) } },
  },
  openApi: {
    method: 'GET', path: '/api/openapi.json',
    access: { anonymous: true, roles: EVERYONE, note: 'The API description generated from core/schema; says nothing about the data.' },
    summary: 'This description', ok: { 200: { description: 'OpenAPI 3.1', schema: z.object({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) } },
  },
  pair: {
    method: 'POST', path: '/api/pair',
    access: { anonymous: true, roles: EVERYONE, note: 'A device without a token trades a one-time pairing code for one; rate-limited per IP.' },
    summary: 'Trade a one-time pairing code for a device token', body: PairRequest,
    ok: { 200: { description: 'Paired', schema: PairResponse } }, errors: { 401: 'Unknown, used or expired pairing code', 429: 'Too many attempts from this address' },
  },
  me: {
    method: 'GET', path: '/api/me',
    access: { roles: EVERYONE, note: 'Every paired device may ask whose it is.' },
    summary: 'The user this device belongs to', ok: { 200: { description: 'The user', schema: User } },
  },
  setLocale: {
    method: 'PUT', path: '/api/me/locale',
    access: { roles: EVERYONE, note: 'Everyone sets their own language, and only their own.' },
    summary: 'Set the caller\'s language (null: follow the browser)', body: LocaleUpdate, ok: { 200: { description: 'The user', schema: User } },
  },
  revokeSession: {
    method: 'DELETE', path: '/api/session',
    access: { roles: EVERYONE, note: 'Every paired device may disconnect itself (revokes only its own token).' },
    summary: 'Revoke the calling device token', ok: { 204: { description: 'Revoked' } },
  },
  config: {
    method: 'GET', path: '/api/config',
    access: { roles: EVERYONE, note: 'CRM instances and switched-off adapters every extension needs.' },
    summary: 'CRM instances, disabled adapters and workspace settings', ok: { 200: { description: 'The configuration', schema: ConfigResponse } },
  },

  // ---------- roster and settings
  users: {
    method: 'GET', path: '/api/users',
    access: { roles: ['head', 'admin'], note: 'The roster with capacities and absences: head plans with it, admin manages it.' },
    summary: 'The department roster', ok: { 200: { description: 'Every user', schema: z.object({ users: z.array(User) }) } },
  },
  updateUser: {
    method: 'PUT', path: '/api/users/:id',
    access: { roles: ['head', 'admin'], note: 'Capacity, segments and absences are the head\'s to plan and the admin\'s to keep.' },
    summary: 'Change a user’s capacity, segments, absences or CRM identity', params: IdParam, body: RosterUpdate,
    ok: { 200: { description: 'The user as stored', schema: User } }, errors: { 404: 'No user has this id' },
  },
  settings: {
    method: 'GET', path: '/api/settings',
    access: { roles: EVERYONE, note: 'Holidays, rates and the fiscal calendar drive everyone\'s progress maths.' },
    summary: 'Workspace settings: fiscal calendar, holidays, currencies and rates', ok: { 200: { description: 'The settings', schema: Settings } },
  },
  updateSettings: {
    method: 'PUT', path: '/api/settings',
    access: { roles: ['head', 'admin'], note: 'The head of sales sets the calendar and rates; admin keeps the workspace.' },
    summary: 'Change any subset of the workspace settings', body: SettingsPatch, ok: { 200: { description: 'The merged settings', schema: Settings } },
  },

  // ---------- sync
  push: {
    method: 'POST', path: '/api/sync/push',
    access: { roles: EVERYONE, note: 'Everyone captures; each mutation checks what its author may change.' },
    summary: 'Apply a batch of outbox mutations in order', body: PushRequest,
    ok: { 200: { description: 'Processed up to lastMutationId', schema: PushResponse } },
    errors: { 403: 'The client id belongs to another user', 409: 'A gap in mutation ids (`expected` says where to resume)' },
  },
  pull: {
    method: 'GET', path: '/api/sync/pull',
    access: { roles: EVERYONE, note: 'Everyone pulls; the change log is filtered to what the caller may see.' },
    summary: 'Changes after a cursor that the caller may see', query: PullQuery, ok: { 200: { description: 'A page of changes', schema: PullResponse } },
  },
  reportMiss: {
    method: 'POST', path: '/api/adapter-health/misses',
    access: { roles: EVERYONE, note: 'Any extension reports a record page its adapter could not read (origin and type only).' },
    summary: 'Report a record page an adapter recognised but could not read', body: AdapterMissReport, ok: { 204: { description: 'Recorded' } },
  },
  adapterHealth: {
    method: 'GET', path: '/api/adapter-health',
    access: { roles: ['head', 'admin'], note: 'Adapter misses across the workspace: admin switches adapters off, head watches coverage.' },
    summary: 'Adapter misses across the workspace', query: AdapterHealthQuery, ok: { 200: { description: 'Misses per adapter and the switched-off adapters', schema: AdapterHealthResponse } },
  },

  // ---------- CRM connectors
  crmConnections: {
    method: 'GET', path: '/api/crm/connections',
    access: { roles: ['head', 'admin'], note: 'CRM connections\' sync status for the dashboard panel (never the credential), as `crm status` shows it.' },
    summary: 'Each CRM connection’s sync status (never its credential), as `crm status` shows it', ok: { 200: { description: 'The connections', schema: ConnectionsResponse } },
  },
  crmHook: {
    method: 'POST', path: '/api/crm/hook/:id',
    access: { anonymous: true, roles: EVERYONE, note: 'A CRM\'s logic hook asks for a sync sooner; verified by the hook secret, it can only make Headway read the CRM\'s API.' },
    summary: 'A CRM’s logic hook or workflow asks for a sync sooner (header X-Headway-Hook-Secret)', params: CrmHookParams, body: CrmHookBody, bodyOptional: true,
    ok: { 202: { description: 'A sync is queued (and a re-read of the record, when named)', schema: z.object({ queued: z.literal(true) }) } },
  },
  bitrix24Hook: {
    method: 'POST', path: '/api/crm/hook/:id/bitrix24',
    access: { anonymous: true, roles: EVERYONE, note: 'Bitrix24\'s outbound deal events ask for a deal to be re-read; verified by the application token, they can only make Headway read the CRM\'s API.' },
    summary: 'A Bitrix24 outbound webhook (ONCRMDEALADD/UPDATE/DELETE, form-encoded, verified by auth[application_token]) asks for its deal to be re-read', params: CrmHookParams, body: 'form',
    ok: { 202: { description: 'A re-read of the deal and a sync are queued', schema: z.object({ queued: z.literal(true) }) } },
  },
  hubSpotHook: {
    method: 'POST', path: '/api/crm/hook/:id/hubspot',
    access: { anonymous: true, roles: EVERYONE, note: 'HubSpot\'s deal webhooks ask for deals to be re-read; verified by their v3 signature (the private app\'s client secret), they can only make Headway read the CRM\'s API.' },
    summary: 'A HubSpot webhook delivery (deal events, verified by X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp) asks for its deals to be re-read', params: CrmHookParams, body: HubSpotEvents,
    ok: { 202: { description: 'Re-reads of the deals and a sync are queued', schema: z.object({ queued: z.literal(true) }) } },
  },
  pipedriveHook: {
    method: 'POST', path: '/api/crm/hook/:id/pipedrive',
    access: { anonymous: true, roles: EVERYONE, note: 'Pipedrive\'s deal webhooks ask for a deal to be re-read; verified by the webhook\'s Basic credentials, they can only make Headway read the CRM\'s API.' },
    summary: 'A Pipedrive webhook (a deal event, v1 or v2, verified by the webhook\'s HTTP Basic credentials) asks for its deal to be re-read', params: CrmHookParams, body: PipedriveEvent,
    ok: { 202: { description: 'A re-read of the deal and a sync are queued', schema: z.object({ queued: z.literal(true) }) } },
  },

  // ---------- plans and progress
  plans: {
    method: 'GET', path: '/api/plans',
    access: { roles: EVERYONE, note: 'Filtered per role: a manager sees the department\'s plan and their own, no colleague\'s.' },
    summary: 'Plans the caller may see, with target mismatches', query: PlansQuery, ok: { 200: { description: 'Plans and mismatch flags', schema: PlansResponse } },
  },
  createPlan: {
    method: 'POST', path: '/api/plans',
    access: { roles: ['head', 'admin'], note: 'The head of sales sets plans.' },
    summary: 'Create a plan for a scope and period', body: PlanCreate,
    ok: { 201: { description: 'Created; the mismatch flags of its group', schema: PlanResponse } }, errors: { 409: 'That scope already has a plan for this period' },
  },
  updatePlan: {
    method: 'PUT', path: '/api/plans/:id',
    access: { roles: ['head', 'admin'], note: 'The head of sales sets plans.' },
    summary: 'Change a plan (optionally against the version it was read at)', params: IdParam, body: PlanUpdate,
    ok: { 200: { description: 'Changed; the mismatch flags of its group', schema: PlanResponse } },
    errors: { 404: 'No plan has this id', 409: 'A stale baseVersion, or another plan has this scope and period' },
  },
  deletePlan: {
    method: 'DELETE', path: '/api/plans/:id',
    access: { roles: ['head', 'admin'], note: 'The head of sales sets plans.' },
    summary: 'Delete a plan', params: IdParam,
    ok: { 200: { description: 'Deleted', schema: z.object({ deleted: Id }) } }, errors: { 404: 'No plan has this id' },
  },
  importPlans: {
    method: 'POST', path: '/api/plans/import',
    access: { roles: ['head', 'admin'], note: 'The head of sales sets plans (CSV).' },
    summary: 'Import plans from CSV, all or nothing (dryRun: only report; replace: overwrite existing plans)', query: PlanImportQuery, body: 'csv',
    ok: { 200: { description: 'The import report (a dry run with bad rows too: ok is false)', schema: ImportResult } },
    errors: { 400: importRejected, 409: 'A plan for one of the scopes was saved or changed meanwhile; nothing was written' },
  },
  progress: {
    method: 'GET', path: '/api/progress',
    access: { roles: EVERYONE, note: 'Filtered per role: a manager gets the department\'s figures and their own row.' },
    summary: 'Plan progress of the department and every manager the caller may see', query: ProgressQuery, ok: { 200: { description: 'Progress figures', schema: ProgressResponse } },
  },
  progressDeals: {
    method: 'GET', path: '/api/progress/deals',
    access: { roles: EVERYONE, note: 'A manager only the deals behind their own figures (403 for another owner).' },
    summary: 'The deals behind a progress figure', query: ProgressDealsQuery,
    ok: { 200: { description: 'A page of deals', schema: ProgressDealsResponse } }, errors: { 403: 'A manager asked for another owner’s deals' },
  },

  // ---------- deals fed in by a CRM
  importDeals: {
    method: 'POST', path: '/api/deals/import',
    access: { roles: ['head', 'admin'], service: true, note: 'Deals fed in by CSV: a CRM workflow\'s service token, or head/admin.' },
    summary: 'Import deals from CSV with a mapping (columns, value maps, constants), all or nothing; read as a stream', query: DealImportQuery, body: 'csv',
    ok: { 200: { description: 'The import report with a preview of what each value becomes (a dry run with bad rows too: ok is false)', schema: DealImportResult } }, errors: { 400: importRejected },
  },
  ingestDeal: {
    method: 'PUT', path: '/api/deals/:crm/:crmId',
    access: { roles: ['head', 'admin'], service: true, note: 'Deals fed in by a CRM workflow (service token) or head/admin; a manager\'s or exec\'s page capture changes no deal\'s figures either.' },
    summary: 'Create or update one deal of one of the workspace’s tenants (idempotent; for CRM workflows, head and admin)', params: DealKeyParams, body: DealIngest,
    ok: { 200: { description: 'Updated or unchanged', schema: DealIngestResponse }, 201: { description: 'Created', schema: DealIngestResponse } },
    errors: { 403: 'Not one of the workspace’s tenants, or not a head, an admin or a service token' },
  },
  dealHistory: {
    method: 'GET', path: '/api/deals/history',
    access: { roles: ['head', 'admin'], note: 'Who changed a deal, how and when: the head of sales checks figures with it.' },
    summary: 'Every change to a deal: source, who, when, each field before → after', query: DealHistoryQuery,
    ok: { 200: { description: 'The deal and its history, newest first', schema: DealHistoryResponse } }, errors: { 404: 'No deal has this id' },
  },

  // ---------- working calendars
  calendars: {
    method: 'GET', path: '/api/calendars',
    access: { roles: ['head', 'admin'], note: 'Which country each team and user counts working days on, and the company days off.' },
    summary: 'Countries of the workspace, teams and users, known years, and company days off', ok: { 200: { description: 'The calendars', schema: CalendarsResponse } },
  },
  setTeamCalendar: {
    method: 'PUT', path: '/api/calendars/teams/:team',
    access: { roles: ['head', 'admin'], note: 'The head sets where a team works.' },
    summary: 'Set (or with null clear) a team’s calendar country', params: CalendarTeamParams, body: CalendarAssignment,
    ok: { 200: { description: 'The calendars', schema: CalendarsResponse } }, errors: { 404: 'No user is in this team' },
  },
  setUserCalendar: {
    method: 'PUT', path: '/api/calendars/users/:id',
    access: { roles: ['head', 'admin'], note: 'The head sets where one person works.' },
    summary: 'Set (or with null clear) one user’s calendar country', params: CalendarUserParams, body: CalendarAssignment,
    ok: { 200: { description: 'The calendars', schema: CalendarsResponse } }, errors: { 404: 'No user has this id' },
  },
  addDaysOff: {
    method: 'POST', path: '/api/calendars/days-off',
    access: { roles: ['admin'], note: 'Company days off are the admin’s.' },
    summary: 'Add company days off', body: CompanyDaysOff, ok: { 200: { description: 'The calendars', schema: CalendarsResponse } },
  },
  removeDayOff: {
    method: 'DELETE', path: '/api/calendars/days-off/:day',
    access: { roles: ['admin'], note: 'Company days off are the admin’s.' },
    summary: 'Remove a company day off', params: CompanyDayParams,
    ok: { 200: { description: 'The calendars', schema: CalendarsResponse } }, errors: { 404: 'Not a company day off' },
  },

  // ---------- load and moves
  loadSettings: {
    method: 'GET', path: '/api/load/settings',
    access: { roles: EVERYONE, note: 'Stage weights and thresholds explain every load figure, so everyone may read them.' },
    summary: 'Stage weights, amount tiers and thresholds of the load model', ok: { 200: { description: 'The settings', schema: BalanceSettings } },
  },
  updateLoadSettings: {
    method: 'PUT', path: '/api/load/settings',
    access: { roles: ['head', 'admin'], note: 'The head of sales decides what a deal weighs; admin may set it up.' },
    summary: 'Change the load model’s settings: the fields sent replace the stored ones, the rest stay', body: BalanceSettingsPatch, ok: { 200: { description: 'The settings as stored', schema: BalanceSettings } },
  },
  load: {
    method: 'GET', path: '/api/load',
    access: { roles: EVERYONE, note: 'Filtered per role: head/admin everything, a manager their own row and moves, exec team aggregates.' },
    summary: 'Managers’ load, statuses and suggested moves, filtered per role', query: LoadQuery, ok: { 200: { description: 'The load view', schema: LoadResponse } },
  },
  dealLoad: {
    method: 'GET', path: '/api/load/deal/:crm/:recordType/:crmId',
    access: { roles: ['head', 'admin', 'manager'], note: 'The deal-page sidebar; a manager sees loads only of deals they own or receive.' },
    summary: 'Owner load and suggested owner for one deal page (its tenant in ?instance=)', params: DealLoadParams, query: DealLoadQuery,
    ok: { 200: { description: 'The deal’s owner line and suggestion', schema: DealLoadResponse } }, errors: { 403: 'Not one of the workspace’s tenants', 404: 'Headway does not know this deal' },
  },
  moves: {
    method: 'GET', path: '/api/moves',
    access: { roles: ['head', 'admin', 'manager'], note: 'Head/admin all moves; a manager those taking a deal from or giving one to them.' },
    summary: 'Proposed and decided moves', query: MovesQuery, ok: { 200: { description: 'Moves', schema: MovesResponse } },
  },
  proposeMove: {
    method: 'POST', path: '/api/moves',
    access: { roles: ['head', 'admin'], note: 'Only the head of sales moves deals between managers.' },
    summary: 'Propose (and optionally decide) moving a deal to another manager', body: MoveProposal,
    ok: { 201: { description: 'The move', schema: MoveRecord } }, errors: { 404: 'Unknown deal or manager', 409: 'The deal already has a pending move, or the move breaks a rule' },
  },
  approveMoves: {
    method: 'POST', path: '/api/moves/approve',
    access: { roles: ['head', 'admin'], note: 'Only the head of sales moves deals between managers.' },
    summary: 'Approve several moves at once, all or none (a proposed move is approved, a suggestion proposed and approved)', body: MovesApproval,
    ok: { 200: { description: 'The approved moves, in the order sent', schema: MovesResponse } }, errors: { 404: 'Unknown deal or move', 409: 'One move breaks a rule: nothing was approved' },
  },
  approveMove: {
    method: 'POST', path: '/api/moves/:id/approve',
    access: { roles: ['head', 'admin'], note: 'Only the head of sales moves deals between managers.' },
    summary: 'Approve a proposed move', params: MoveParams, body: MoveDecision, bodyOptional: true,
    ok: { 200: { description: 'The move', schema: MoveRecord } }, errors: { 404: 'No move has this id', 409: 'Already decided, or a stale version' },
  },
  dismissMove: {
    method: 'POST', path: '/api/moves/:id/dismiss',
    access: { roles: ['head', 'admin'], note: 'Only the head of sales moves deals between managers.' },
    summary: 'Dismiss a proposed move', params: MoveParams, body: MoveDecision, bodyOptional: true,
    ok: { 200: { description: 'The move', schema: MoveRecord } }, errors: { 404: 'No move has this id', 409: 'Already decided, or a stale version' },
  },

  // ---------- escalations
  escalations: {
    method: 'GET', path: '/api/escalations',
    access: { roles: EVERYONE, note: 'Filtered per escalation: what the caller raised, joined or may answer.' },
    summary: 'Escalations addressed to or sent by the caller', query: EscalationsQuery, ok: { 200: { description: 'Escalations', schema: EscalationsResponse } },
  },
  escalationPreset: {
    method: 'GET', path: '/api/escalations/preset',
    access: { roles: EVERYONE, note: 'The one-click preset for a record page; shows only what the caller may see of the deal.' },
    summary: 'The one-click preset (category, severity, recipient) for a record', query: EscalationPresetQuery,
    ok: { 200: { description: 'The preset', schema: EscalationPresetResponse } },
  },
  escalationAudit: {
    method: 'GET', path: '/api/escalations/audit.csv',
    access: { roles: ['head', 'admin', 'exec'], note: 'The audit trail export for those who answer escalations and report on them.' },
    summary: 'The escalation audit trail as CSV', query: AuditCsvQuery,
    ok: { 200: { description: 'A CSV download', documents: ['text/csv'] } },
  },
  escalation: {
    method: 'GET', path: '/api/escalations/:id',
    access: { roles: EVERYONE, note: 'One thread, if the caller may see it (404 otherwise, so ids are not confirmed).' },
    summary: 'One escalation thread', params: EscalationParams,
    ok: { 200: { description: 'The thread', schema: EscalationDetail } }, errors: { 404: 'No escalation with this id that the caller may see' },
  },
  raiseEscalation: {
    method: 'POST', path: '/api/escalations',
    access: { roles: EVERYONE, note: 'Everyone escalates (exec asks for reports); routing rules pick the recipient.' },
    summary: 'Raise an escalation (or join the open one on the same deal and category)', body: EscalationCreateRequest,
    ok: { 200: { description: 'Joined an open escalation', schema: EscalationCreateResponse }, 201: { description: 'Raised', schema: EscalationCreateResponse } },
    errors: { 403: 'The caller may not raise this', 404: 'Unknown record or escalation', 409: 'The escalation changed meanwhile' },
  },
  actOnEscalation: {
    method: 'POST', path: '/api/escalations/:id/actions',
    access: { roles: EVERYONE, note: 'Each action checks the actor against the thread (requester, recipient or above).' },
    summary: 'Acknowledge, comment, ask, resolve, hand over or withdraw', params: EscalationParams, body: EscalationActionRequest,
    ok: { 200: { description: 'The escalation after the action', schema: EscalationView } },
    errors: { 403: 'The caller may not take this action on this thread', 404: 'No escalation with this id that the caller may see', 409: 'Not possible in the escalation’s current state' },
  },
  escalationSettings: {
    method: 'GET', path: '/api/escalation-settings',
    access: { roles: ['head', 'admin'], note: 'SLA, routing and delivery settings; secrets are only flagged as set.' },
    summary: 'SLA, routing and delivery settings (secrets only flagged as set)', ok: { 200: { description: 'The settings', schema: EscalationSettingsView } },
  },
  updateEscalationSettings: {
    method: 'PUT', path: '/api/escalation-settings',
    access: { roles: ['head', 'admin'], note: 'The head of sales sets SLAs and routing; admin sets up delivery.' },
    summary: 'Change SLA, routing and delivery settings', body: EscalationSettingsUpdate, ok: { 200: { description: 'The settings as stored', schema: EscalationSettingsView } },
  },

  // ---------- reports
  weeklyReport: {
    method: 'GET', path: '/api/reports/weekly',
    access: { roles: ['head', 'exec', 'admin'], note: 'The weekly report goes to the head of sales and management.' },
    summary: 'The weekly report for any week, as HTML, CSV or JSON', query: WeeklyReportQuery,
    ok: { 200: { description: 'The report (format=json: this schema)', schema: WeeklyReport, documents: ['text/html', 'text/csv'] } },
  },
  storeWeeklyReport: {
    method: 'POST', path: '/api/reports/weekly',
    access: { roles: ['head', 'admin'], note: 'The head of sales files a report (e.g. to answer a report request).' },
    summary: 'Store the weekly report of a week', body: ReportCreateRequest, ok: { 201: { description: 'Stored', schema: StoredReport } },
  },
  reports: {
    method: 'GET', path: '/api/reports',
    access: { roles: ['head', 'exec', 'admin'], note: 'Stored reports, for the head of sales and management.' },
    summary: 'Stored reports', ok: { 200: { description: 'Stored reports', schema: ReportsResponse } },
  },
  report: {
    method: 'GET', path: '/api/reports/:id',
    access: { roles: ['head', 'exec', 'admin'], note: 'One stored report, for the head of sales and management.' },
    summary: 'One stored report, as HTML or CSV', params: EscalationParams, query: StoredFormat,
    ok: { 200: { description: 'The report', documents: ['text/html', 'text/csv'] } }, errors: { 404: 'No stored report has this id' },
  },

  // ---------- the demo CRM (pages for the browser, not API)
  demoEntry: {
    method: 'GET', path: '/demo',
    access: demoAccess,
    summary: 'The demo CRM', page: true, ok: { 302: { description: 'To /demo/' } },
  },
  demoEntrySlash: {
    method: 'GET', path: '/demo/',
    access: demoAccess,
    summary: 'The demo CRM', page: true, ok: { 302: { description: 'To the opportunities list' } },
  },
  demoPage: {
    method: 'GET', path: '/demo/index.php',
    access: { anonymous: true, roles: EVERYONE, note: 'Demo CRM pages (SuiteCRM-shaped HTML over the deals table).' },
    summary: 'A page of the demo CRM', page: true, ok: { 200: { description: 'The page', documents: ['text/html'] } },
  },
} as const satisfies Record<string, RouteDescriptor>;

export type RouteName = keyof typeof routes;

/** Every route, in the table's order. */
export const routeList: readonly RouteDescriptor[] = Object.values(routes);
