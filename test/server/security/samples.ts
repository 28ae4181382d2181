import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AdapterHealthResponse, BalanceSettings, CalendarsResponse, ConfigResponse, ConnectionsResponse, DealHistoryResponse, DealIngestResponse, DealLoadResponse, ImportResult, LoadResponse, MoveRecord, MovesResponse,
  EscalationCreateResponse, EscalationDetail, EscalationPresetResponse, EscalationSettingsView, EscalationsResponse, EscalationView,
  PairResponse, PlanResponse, ReportsResponse, StoredReport, PlansResponse, ProgressDealsResponse, ProgressResponse, PullResponse, PushResponse, Settings, User,
} from '../../../core/schema';
import { WeeklyReport } from '../../../core/escalation';
import { changeCompanyDaysOff } from '../../../server/calendar/calendars';
import { hashHookSecret } from '../../../server/connectors/connect';
import { saveConnection } from '../../../server/connectors/connections';
import { hubSpotSignature } from '../../../server/connectors/hubspot/webhook';
import { newPlanId, planRow } from '../../../server/plan/plans';
import { writeTransaction } from '../../../server/store/transaction';
import { testSecretBox } from '../helpers';
import { renderJson } from './hostile';
import type { Caller, World } from './world';

/** A fresh open deal of `manager`. */
async function freshDeal(world: World) {
  const id = randomUUID();
  const deal = { ...world.deals.ofManager, id, crm_id: `mv-${id.slice(0, 8)}` };
  await world.store.db.insertInto('deals').values(deal).execute();
  return deal;
}

/** A fresh open deal of `manager` with a proposed move to the other manager, for approve/dismiss to decide. */
async function proposedMove(world: World): Promise<string> {
  const id = randomUUID();
  const deal = await freshDeal(world);
  const now = world.clock.now().toISOString();
  await world.store.db.insertInto('moves').values({
    id, deal_id: deal.id, from_id: world.users.manager.id, to_id: world.users.otherManager.id, why: 'manual', reason: 'Matrix move.',
    status: 'proposed', created_by: world.users.head.id, created_at: now, decided_by: null, decided_at: null, done_at: null, updated_at: now, version: 1,
  }).execute();
  return id;
}

const hookSecret = 'matrix-hook-secret';
const hookConnections = new WeakMap<World, Promise<string>>();
/** A connection (of a CRM the world's records do not use) whose hook secret the sample knows; the hook only queues. */
function hookConnection(world: World): Promise<string> {
  let id = hookConnections.get(world);
  if (!id) {
    id = saveConnection(world.store.db, {
      instance: 'https://crm.matrix.test', hookSecretHash: hashHookSecret(hookSecret), crm: 'espocrm', api: 'v8', clientId: 'matrix', username: null, sealedSecret: 'v1:sealed', pipelines: [],
    }, world.clock.now().toISOString()).then(({ connection }) => connection.id);
    hookConnections.set(world, id);
  }
  return id;
}

const bitrix24Connections = new WeakMap<World, Promise<string>>();
/** A Bitrix24 connection whose outbound-event token the sample knows (the same text as the hook secret). */
function bitrix24Connection(world: World): Promise<string> {
  let id = bitrix24Connections.get(world);
  if (!id) {
    id = saveConnection(world.store.db, {
      instance: 'https://matrix.bitrix24.com', hookSecretHash: hashHookSecret(hookSecret), crm: 'bitrix24', api: 'webhook', clientId: null, username: '1', sealedSecret: 'v1:sealed', pipelines: [],
    }, world.clock.now().toISOString()).then(async ({ connection }) => {
      await world.store.db.updateTable('crm_connections').set({ event_token_hash: hashHookSecret(hookSecret) }).where('id', '=', connection.id).execute();
      return connection.id;
    });
    bitrix24Connections.set(world, id);
  }
  return id;
}

const eventConnections = new WeakMap<World, Map<string, Promise<string>>>();
/**
 * A HubSpot or Pipedrive connection whose event credential the sample knows: HubSpot's client secret (the hook
 * secret's text) sealed with the test apps' key, Pipedrive's Basic credentials "matrix:<hook secret>" hashed.
 */
function eventConnection(world: World, crm: 'hubspot' | 'pipedrive'): Promise<string> {
  const mine = eventConnections.get(world) ?? new Map<string, Promise<string>>();
  eventConnections.set(world, mine);
  let id = mine.get(crm);
  if (!id) {
    const instance = crm === 'hubspot' ? 'https://app.hubspot.com/contacts/4242' : 'https://matrix.pipedrive.com';
    id = saveConnection(world.store.db, {
      instance, hookSecretHash: hashHookSecret(hookSecret), crm, api: crm === 'hubspot' ? 'v3' : 'v2', clientId: null, username: null, sealedSecret: 'v1:sealed', pipelines: [],
    }, world.clock.now().toISOString()).then(async ({ connection }) => {
      const event = crm === 'hubspot' ? { event_secret_sealed: testSecretBox.seal(hookSecret) } : { event_token_hash: hashHookSecret(`matrix:${hookSecret}`) };
      await world.store.db.updateTable('crm_connections').set(event).where('id', '=', connection.id).execute();
      return connection.id;
    });
    mine.set(crm, id);
  }
  return id;
}

/** A HubSpot delivery of one deal event, signed as HubSpot signs it for the URL the test app sees. */
async function hubSpotDelivery(world: World): Promise<SampleRequest> {
  const id = await eventConnection(world, 'hubspot');
  const body = [{ eventId: 100, subscriptionId: 2001, portalId: 4242, appId: 31, occurredAt: world.clock.now().getTime(), subscriptionType: 'deal.propertyChange', attemptNumber: 0, objectId: 759, propertyName: 'amount', propertyValue: '1200', changeSource: 'CRM_UI' }];
  const timestamp = String(world.clock.now().getTime());
  const signature = hubSpotSignature(hookSecret, 'POST', `http://localhost/api/crm/hook/${encodeURIComponent(id)}/hubspot`, renderJson(body), timestamp);
  return { params: { id }, body, headers: { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp } };
}

let planYear = 2030;
let dayOff = 0;
/** A department sales plan for a month of its own year (one plan per scope and period is allowed). */
function freshPlanInput() {
  planYear += 1;
  return { kind: 'sale' as const, period: 'month' as const, start: `${planYear}-05-01`, ownerId: null, target: 50_000, currency: 'EUR', countTarget: null };
}

async function storedPlan(world: World): Promise<{ id: string; input: ReturnType<typeof freshPlanInput> }> {
  const input = freshPlanInput();
  const row = planRow(input, newPlanId(), 1, world.clock.now().toISOString());
  await world.store.db.insertInto('plans').values(row).execute();
  return { id: row.id, input };
}

/** A fresh escalation raised by the caller (so the caller may comment on it); others' calls get the manager's. */
async function ownEscalation(world: World, caller: Caller): Promise<string> {
  if (caller === 'anonymous' || caller === 'service') return world.escalationToHead;
  const id = randomUUID();
  const response = await world.app.request('/api/escalations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await world.tokenFor(caller)}` },
    body: JSON.stringify(escalationInput(id, caller)),
  });
  if (response.status !== 201) throw new Error(`could not raise an escalation as ${caller}: ${response.status} ${await response.text()}`);
  return id;
}

function escalationInput(id: string, caller: Caller) {
  return {
    id, category: 'explanation', severity: 'normal', title: `Why is the deal stuck? (${caller})`, body: '', record: null, context: {},
    to: { role: caller === 'head' ? 'exec' : 'head' },
  };
}

/** A weekly report stored by the head, for the stored-report routes to read. */
async function storedReport(world: World): Promise<string> {
  const response = await world.app.request('/api/reports/weekly', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await world.tokenFor('head')}` },
    body: JSON.stringify({ week: '2026-03-09' }),
  });
  if (response.status !== 201) throw new Error(`could not store a weekly report: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** One plausible, schema-valid request; params fill the route's `:names`. */
export interface SampleRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** Sent as JSON; present exactly when the route reads a JSON body. */
  body?: unknown;
  /** Sent as text/csv (the import routes). */
  csv?: string;
  /** Sent as application/x-www-form-urlencoded (a CRM's outbound event, as Bitrix24 posts it). */
  form?: string;
  /** Headers a route reads besides the token (the CRM hook's secret). */
  headers?: Record<string, string>;
}

export interface RouteSample {
  /** Built per call, so that ids can be fresh (a second create must not collide with the first). */
  request(world: World, caller: Caller): SampleRequest | Promise<SampleRequest>;
  /** What a 2xx answer must look like (JSON routes). Omit for answers without a body (204). */
  response?: z.ZodType;
  /** The route answers HTML pages and redirects, not JSON (the demo CRM). */
  html?: true;
  /** A 2xx answer may be a document (CSV download or HTML report) instead of JSON. */
  documentAnswer?: true;
  /**
   * Known departures from the house rules, each one reported as a bug: the fuzz test skips exactly that check for
   * this route (and keeps every other one). Delete the line once the route is fixed.
   */
  deviations?: {
    /** Some 4xx answers are not an ApiError. */
    errorBody?: string;
    /** A body is read whatever its Content-Type says. */
    contentType?: string;
    /** A NUL character reaches PostgreSQL (500 there instead of a 400). */
    nulOnPostgres?: string;
  };
}

const pushOneNote = (caller: Caller) => ({
  body: {
    clientId: `matrix-${caller}-${randomUUID().slice(0, 8)}`,
    mutations: [
      {
        mutationId: 1,
        name: 'note.create',
        args: { id: randomUUID(), side: 'seller', text: 'Matrix note', record: null, recordTitle: null, createdAt: '2026-03-16T09:00:00.000Z' },
      },
    ],
  },
});

/**
 * A sample request per route of server/http/access-policy.ts: adding a route means adding its policy line and
 * one entry here. Keys are `METHOD /path/:param` as Hono registers the route.
 */
export const samples: Record<string, RouteSample> = {
  'GET /healthz': { request: () => ({}), response: z.object({ ok: z.literal(true) }) },
  'GET /api/openapi.json': { request: () => ({}), response: z.object({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }) },
  'POST /api/pair': {
    // An anonymous device is the normal caller; a device that already has a token may pair another one too.
    request: async (world, caller) => ({ body: { code: await world.pairingCodeFor(caller === 'anonymous' || caller === 'service' ? 'manager' : caller), deviceName: 'Matrix laptop' } }),
    response: PairResponse,
  },
  'GET /api/me': { request: () => ({}), response: User },
  'PUT /api/me/locale': { request: () => ({ body: { locale: 'ru' } }), response: User },
  'DELETE /api/session': { request: () => ({}) },
  'GET /api/config': { request: () => ({}), response: ConfigResponse },
  'GET /api/users': { request: () => ({}), response: z.object({ users: z.array(User) }) },
  'POST /api/sync/push': { request: (_world, caller) => pushOneNote(caller), response: PushResponse },
  'GET /api/sync/pull': { request: () => ({ query: { cursor: '0', limit: '100' } }), response: PullResponse },
  'POST /api/adapter-health/misses': { request: () => ({ body: { crm: 'suitecrm', origin: 'https://crm.example.test', recordType: 'deal' } }) },
  'GET /api/adapter-health': { request: () => ({ query: { days: '7' } }), response: AdapterHealthResponse },
  'GET /api/crm/connections': { request: () => ({}), response: ConnectionsResponse },
  'POST /api/crm/hook/:id': {
    request: async (world) => ({ params: { id: await hookConnection(world) }, headers: { 'X-Headway-Hook-Secret': hookSecret }, body: { module: 'Opportunities', id: 'matrix-deal' } }),
    response: z.object({ queued: z.literal(true) }),
  },
  'POST /api/crm/hook/:id/bitrix24': {
    request: async (world) => ({
      params: { id: await bitrix24Connection(world) },
      form: new URLSearchParams({ event: 'ONCRMDEALUPDATE', 'data[FIELDS][ID]': '759', ts: '1736405807', 'auth[domain]': 'matrix.bitrix24.com', 'auth[application_token]': hookSecret }).toString(),
    }),
    response: z.object({ queued: z.literal(true) }),
  },
  'POST /api/crm/hook/:id/hubspot': { request: hubSpotDelivery, response: z.object({ queued: z.literal(true) }) },
  'POST /api/crm/hook/:id/pipedrive': {
    request: async (world) => ({
      params: { id: await eventConnection(world, 'pipedrive') },
      headers: { Authorization: `Basic ${Buffer.from(`matrix:${hookSecret}`).toString('base64')}` },
      body: { meta: { action: 'change', entity: 'deal', entity_id: '759', company_id: '7312904', id: 'a1b2', timestamp: '2026-03-02T09:30:00.000Z', type: 'general', user_id: '13480001', version: '2.0' }, data: { id: 759 }, previous: { value: 900 } },
    }),
    response: z.object({ queued: z.literal(true) }),
  },
  'GET /api/load/settings': { request: () => ({}), response: BalanceSettings },
  'PUT /api/load/settings': { request: () => ({ body: { targetUtilisation: 0.8 } }), response: BalanceSettings },
  'GET /api/load': { request: () => ({ query: { date: '2026-03-16' } }), response: LoadResponse },
  'GET /api/load/deal/:crm/:recordType/:crmId': {
    request: (world) => ({ params: { crm: 'suitecrm', recordType: 'deal', crmId: world.deals.ofManager.crm_id }, query: { instance: world.deals.ofManager.instance! } }),
    response: DealLoadResponse,
  },
  'GET /api/moves': { request: () => ({ query: { status: 'proposed' } }), response: MovesResponse },
  // The first allowed caller proposes (201); the next finds that move pending (409), which is still not a refusal by role.
  'POST /api/moves': { request: (world) => ({ body: { dealId: world.deals.ofManager.id, to: world.users.otherManager.id } }), response: MoveRecord },
  'POST /api/moves/approve': {
    request: async (world) => ({ body: { moves: [{ dealId: (await freshDeal(world)).id, to: world.users.otherManager.id }] } }),
    response: MovesResponse,
  },
  'GET /api/calendars': { request: () => ({}), response: CalendarsResponse },
  'PUT /api/calendars/teams/:team': { request: () => ({ params: { team: 'Sales' }, body: { country: 'DE' } }), response: CalendarsResponse },
  'PUT /api/calendars/users/:id': { request: (world) => ({ params: { id: world.users.otherManager.id }, body: { country: 'GB' } }), response: CalendarsResponse },
  'POST /api/calendars/days-off': { request: () => ({ body: { days: ['2030-12-24'] } }), response: CalendarsResponse },
  'DELETE /api/calendars/days-off/:day': {
    request: async (world) => {
      dayOff += 1;
      const day = `2031-01-${String(dayOff).padStart(2, '0')}`;
      await writeTransaction(world.store, (tx) => changeCompanyDaysOff(tx, [day]));
      return { params: { day } };
    },
    response: CalendarsResponse,
  },
  'POST /api/moves/:id/approve': {
    request: async (world) => ({ params: { id: await proposedMove(world) }, body: {} }),
    response: MoveRecord,
  },
  'POST /api/moves/:id/dismiss': {
    request: async (world) => ({ params: { id: await proposedMove(world) }, body: {} }),
    response: MoveRecord,
  },
  'PUT /api/users/:id': { request: (world) => ({ params: { id: world.users.otherManager.id }, body: { capacity: 90 } }), response: User },
  'GET /api/settings': { request: () => ({}), response: Settings },
  'PUT /api/settings': { request: () => ({ body: { name: 'Matrix Sales' } }), response: Settings },
  'GET /api/plans': { request: () => ({ query: { period: 'month' } }), response: PlansResponse },
  'POST /api/plans': { request: () => ({ body: freshPlanInput() }), response: PlanResponse },
  'PUT /api/plans/:id': {
    request: async (world) => {
      const plan = await storedPlan(world);
      return { params: { id: plan.id }, body: { ...plan.input, target: 60_000, baseVersion: 1 } };
    },
    response: PlanResponse,
  },
  'DELETE /api/plans/:id': { request: async (world) => ({ params: { id: (await storedPlan(world)).id } }), response: z.object({ deleted: z.string() }) },
  'POST /api/plans/import': {
    request: () => {
      const plan = freshPlanInput();
      return { csv: `kind,period,start,owner,target,currency,countTarget\n${plan.kind},${plan.period},${plan.start},,${plan.target},${plan.currency},\n` };
    },
    response: ImportResult,
  },
  'GET /api/progress': { request: () => ({ query: { period: 'month', date: '2026-03-16' } }), response: ProgressResponse },
  'GET /api/progress/deals': { request: () => ({ query: { period: 'month', status: 'open' } }), response: ProgressDealsResponse },
  'POST /api/deals/import': {
    request: () => ({ query: { map: '{"crmId":"Id","title":"Name"}', crm: 'suitecrm' }, csv: `Id,Name\nimp-${randomUUID().slice(0, 8)},Imported deal\n` }),
    response: ImportResult,
  },
  'PUT /api/deals/:crm/:crmId': {
    request: () => ({ params: { crm: 'suitecrm', crmId: `ing-${randomUUID().slice(0, 8)}` }, body: { instance: 'https://crm.example.test', title: 'Ingested deal', amount: 900, currency: 'EUR' } }),
    response: DealIngestResponse,
  },
  'GET /api/deals/history': { request: (world) => ({ query: { id: world.deals.ofManager.id } }), response: DealHistoryResponse },
  'GET /api/escalations': { request: () => ({ query: { box: 'inbox' } }), response: EscalationsResponse },
  'GET /api/escalations/preset': {
    request: (world) => ({ query: { crm: 'suitecrm', instance: world.deals.ofManager.instance!, recordType: 'deal', crmId: world.deals.ofManager.crm_id } }),
    response: EscalationPresetResponse,
  },
  'GET /api/escalations/audit.csv': { request: () => ({ query: { from: '2026-01-01' } }), documentAnswer: true },
  // Visibility is per escalation: the head's inbox holds the manager's, and everyone may see their own.
  'GET /api/escalations/:id': {
    request: async (world, caller) => ({ params: { id: caller === 'head' ? world.escalationToHead : await ownEscalation(world, caller) } }),
    response: EscalationDetail,
  },
  'POST /api/escalations': { request: (_world, caller) => ({ body: escalationInput(randomUUID(), caller) }), response: EscalationCreateResponse },
  'POST /api/escalations/:id/actions': {
    request: async (world, caller) => ({ params: { id: await ownEscalation(world, caller) }, body: { type: 'comment', body: 'More context: the buyer wants a call.' } }),
    response: EscalationView,
  },
  'GET /api/escalation-settings': { request: () => ({}), response: EscalationSettingsView },
  'PUT /api/escalation-settings': { request: () => ({ body: { discountApprovalPct: 12 } }), response: EscalationSettingsView },
  'GET /api/reports/weekly': { request: () => ({ query: { week: '2026-03-09', format: 'json' } }), response: WeeklyReport, documentAnswer: true },
  'POST /api/reports/weekly': { request: () => ({ body: { week: '2026-03-09' } }), response: StoredReport },
  'GET /api/reports': { request: () => ({}), response: ReportsResponse },
  'GET /api/reports/:id': { request: async (world) => ({ params: { id: await storedReport(world) }, query: { format: 'csv' } }), documentAnswer: true },
  'GET /demo': { request: () => ({}), html: true },
  'GET /demo/': { request: () => ({}), html: true },
  'GET /demo/index.php': {
    request: (world) => ({ query: { module: 'Opportunities', action: 'DetailView', record: world.deals.ofManager.crm_id } }),
    html: true,
  },
};
