import type { Role } from '../../core/schema';

/**
 * Who may call each route: the declared truth that test/server/security/access-matrix.test.ts checks the route
 * guards against (the guards themselves stay in the routes, next to the handlers they protect).
 *
 * Keys are `METHOD /path/:param` exactly as Hono registers the route. A route without an entry fails that test,
 * and so does an entry without a route.
 */
export interface AccessRule {
  /** No device token needed; anyone on the network may call it (rate limits and CORS still apply). */
  anonymous?: true;
  /** Roles whose device token is accepted; for anonymous routes every role, since a token is simply ignored. */
  roles: readonly Role[];
  /** A CRM's workflow may call it with a service token (server/auth/service-tokens). */
  service?: true;
  /** Why this is the rule, in one sentence. */
  note: string;
}

const everyone: readonly Role[] = ['head', 'manager', 'exec', 'admin'];

export const accessPolicy = {
  'GET /healthz': { anonymous: true, roles: everyone, note: 'Liveness for load balancers and "test connection"; reveals nothing.' },
  'GET /api/openapi.json': { anonymous: true, roles: everyone, note: 'The API description generated from core/schema; says nothing about the data.' },
  'POST /api/pair': { anonymous: true, roles: everyone, note: 'A device without a token trades a one-time pairing code for one; rate-limited per IP.' },
  'GET /api/me': { roles: everyone, note: 'Every paired device may ask whose it is.' },
  'PUT /api/me/locale': { roles: everyone, note: 'Everyone sets their own language, and only their own.' },
  'DELETE /api/session': { roles: everyone, note: 'Every paired device may disconnect itself (revokes only its own token).' },
  'GET /api/config': { roles: everyone, note: 'CRM instances and switched-off adapters every extension needs.' },
  'GET /api/users': { roles: ['head', 'admin'], note: 'The roster with capacities and absences: head plans with it, admin manages it.' },
  'POST /api/sync/push': { roles: everyone, note: 'Everyone captures; each mutation checks what its author may change.' },
  'GET /api/sync/pull': { roles: everyone, note: 'Everyone pulls; the change log is filtered to what the caller may see.' },
  'GET /api/crm/connections': { roles: ['head', 'admin'], note: 'CRM connections\' sync status for the dashboard panel (never the credential), as `crm status` shows it.' },
  'POST /api/crm/hook/:id': { anonymous: true, roles: everyone, note: 'A CRM\'s logic hook asks for a sync sooner; verified by the hook secret, it can only make Headway read the CRM\'s API.' },
  'POST /api/crm/hook/:id/bitrix24': { anonymous: true, roles: everyone, note: 'Bitrix24\'s outbound deal events ask for a deal to be re-read; verified by the application token, they can only make Headway read the CRM\'s API.' },
  'POST /api/crm/hook/:id/hubspot': { anonymous: true, roles: everyone, note: 'HubSpot\'s deal webhooks ask for deals to be re-read; verified by their v3 signature (the private app\'s client secret), they can only make Headway read the CRM\'s API.' },
  'POST /api/crm/hook/:id/pipedrive': { anonymous: true, roles: everyone, note: 'Pipedrive\'s deal webhooks ask for a deal to be re-read; verified by the webhook\'s Basic credentials, they can only make Headway read the CRM\'s API.' },
  'POST /api/adapter-health/misses': { roles: everyone, note: 'Any extension reports a record page its adapter could not read (origin and type only).' },
  'GET /api/adapter-health': { roles: ['head', 'admin'], note: 'Adapter misses across the workspace: admin switches adapters off, head watches coverage.' },
  'GET /api/load/settings': { roles: everyone, note: 'Stage weights and thresholds explain every load figure, so everyone may read them.' },
  'PUT /api/load/settings': { roles: ['head', 'admin'], note: 'The head of sales decides what a deal weighs; admin may set it up.' },
  'GET /api/load': { roles: everyone, note: 'Filtered per role: head/admin everything, a manager their own row and moves, exec team aggregates.' },
  'GET /api/load/deal/:crm/:recordType/:crmId': { roles: ['head', 'admin', 'manager'], note: 'The deal-page sidebar; a manager sees loads only of deals they own or receive.' },
  'GET /api/moves': { roles: ['head', 'admin', 'manager'], note: 'Head/admin all moves; a manager those taking a deal from or giving one to them.' },
  'POST /api/moves': { roles: ['head', 'admin'], note: 'Only the head of sales moves deals between managers.' },
  'GET /api/calendars': { roles: ['head', 'admin'], note: 'Which country each team and user counts working days on, and the company days off.' },
  'PUT /api/calendars/teams/:team': { roles: ['head', 'admin'], note: 'The head sets where a team works.' },
  'PUT /api/calendars/users/:id': { roles: ['head', 'admin'], note: 'The head sets where one person works.' },
  'POST /api/calendars/days-off': { roles: ['admin'], note: 'Company days off are the admin’s.' },
  'DELETE /api/calendars/days-off/:day': { roles: ['admin'], note: 'Company days off are the admin’s.' },
  'POST /api/moves/approve': { roles: ['head', 'admin'], note: 'Only the head of sales moves deals between managers.' },
  'POST /api/moves/:id/approve': { roles: ['head', 'admin'], note: 'Only the head of sales moves deals between managers.' },
  'POST /api/moves/:id/dismiss': { roles: ['head', 'admin'], note: 'Only the head of sales moves deals between managers.' },
  'PUT /api/users/:id': { roles: ['head', 'admin'], note: 'Capacity, segments and absences are the head\'s to plan and the admin\'s to keep.' },
  'GET /api/settings': { roles: everyone, note: 'Holidays, rates and the fiscal calendar drive everyone\'s progress maths.' },
  'PUT /api/settings': { roles: ['head', 'admin'], note: 'The head of sales sets the calendar and rates; admin keeps the workspace.' },
  'GET /api/plans': { roles: everyone, note: 'Filtered per role: a manager sees the department\'s plan and their own, no colleague\'s.' },
  'POST /api/plans': { roles: ['head', 'admin'], note: 'The head of sales sets plans.' },
  'PUT /api/plans/:id': { roles: ['head', 'admin'], note: 'The head of sales sets plans.' },
  'DELETE /api/plans/:id': { roles: ['head', 'admin'], note: 'The head of sales sets plans.' },
  'POST /api/plans/import': { roles: ['head', 'admin'], note: 'The head of sales sets plans (CSV).' },
  'GET /api/progress': { roles: everyone, note: 'Filtered per role: a manager gets the department\'s figures and their own row.' },
  'GET /api/progress/deals': { roles: everyone, note: 'A manager only the deals behind their own figures (403 for another owner).' },
  'POST /api/deals/import': { roles: ['head', 'admin'], service: true, note: 'Deals fed in by CSV: a CRM workflow\'s service token, or head/admin.' },
  'PUT /api/deals/:crm/:crmId': { roles: ['head', 'admin'], service: true, note: 'Deals fed in by a CRM workflow (service token) or head/admin; a manager\'s or exec\'s page capture changes no deal\'s figures either.' },
  'GET /api/deals/history': { roles: ['head', 'admin'], note: 'Who changed a deal, how and when: the head of sales checks figures with it.' },
  'GET /api/escalations': { roles: everyone, note: 'Filtered per escalation: what the caller raised, joined or may answer.' },
  'GET /api/escalations/preset': { roles: everyone, note: 'The one-click preset for a record page; shows only what the caller may see of the deal.' },
  'GET /api/escalations/audit.csv': { roles: ['head', 'admin', 'exec'], note: 'The audit trail export for those who answer escalations and report on them.' },
  'GET /api/escalations/:id': { roles: everyone, note: 'One thread, if the caller may see it (404 otherwise, so ids are not confirmed).' },
  'POST /api/escalations': { roles: everyone, note: 'Everyone escalates (exec asks for reports); routing rules pick the recipient.' },
  'POST /api/escalations/:id/actions': { roles: everyone, note: 'Each action checks the actor against the thread (requester, recipient or above).' },
  'GET /api/escalation-settings': { roles: ['head', 'admin'], note: 'SLA, routing and delivery settings; secrets are only flagged as set.' },
  'PUT /api/escalation-settings': { roles: ['head', 'admin'], note: 'The head of sales sets SLAs and routing; admin sets up delivery.' },
  'GET /api/reports/weekly': { roles: ['head', 'exec', 'admin'], note: 'The weekly report goes to the head of sales and management.' },
  'POST /api/reports/weekly': { roles: ['head', 'admin'], note: 'The head of sales files a report (e.g. to answer a report request).' },
  'GET /api/reports': { roles: ['head', 'exec', 'admin'], note: 'Stored reports, for the head of sales and management.' },
  'GET /api/reports/:id': { roles: ['head', 'exec', 'admin'], note: 'One stored report, for the head of sales and management.' },
  'GET /demo': { anonymous: true, roles: everyone, note: 'Demo CRM entry: a redirect.' },
  'GET /demo/': { anonymous: true, roles: everyone, note: 'Demo CRM entry: a redirect.' },
  'GET /demo/index.php': { anonymous: true, roles: everyone, note: 'Demo CRM pages (SuiteCRM-shaped HTML over the deals table).' },
} as const satisfies Record<string, AccessRule>;

export type RouteKey = keyof typeof accessPolicy;

export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** The rule of a route, or undefined when nobody declared one. */
export function accessRuleOf(method: string, path: string): AccessRule | undefined {
  return (accessPolicy as Record<string, AccessRule>)[routeKey(method, path)];
}
