import { z } from 'zod';
import { CrmId, Id, IsoDateTime, Origin } from './common';

// The CRM plugin half (server/connectors): what an admin sets for a connection and what `crm status`, the dashboard
// and the sidebar show of it. The credential itself never appears in any of these shapes.

/** Which of a CRM's APIs a connection talks to (SuiteCRM: the V8 JSON:API or the legacy v4_1 REST service). */
export const ConnectorApi = z.string().regex(/^[a-z0-9_-]{1,20}$/, 'an API name such as v8 or legacy');

/** Sales vs purchases: a deal is a purchase when the CRM field `field` holds one of `values` (else a sale). */
export const KindRule = z.object({
  field: z.string().trim().min(1).max(100),
  values: z.array(z.string().trim().min(1).max(200)).min(1).max(100),
});
export type KindRule = z.infer<typeof KindRule>;

/** What the admin decides per connection; every field has a default, so `{}` is a valid setting. */
export const ConnectorSettings = z.object({
  /** null: every deal is a sale. */
  purchaseWhen: KindRule.nullable().default(null),
  /** Stages counted as won or lost besides the ones the CRM's own pipeline definitions name. */
  extraWonStages: z.array(z.string().min(1).max(200)).max(100).default([]),
  extraLostStages: z.array(z.string().min(1).max(200)).max(100).default([]),
  /** An approved move changes the deal's owner in the CRM (else it waits for someone to do it there). */
  applyMoves: z.boolean().default(false),
  /** A note's next step also becomes a CRM task. */
  nextStepTasks: z.boolean().default(false),
  /** Seconds between background syncs; null: the server's default (HEADWAY_CRM_SYNC_SECONDS, 60). */
  syncEverySeconds: z.number().int().min(5).max(86_400).nullable().default(null),
});
export type ConnectorSettings = z.infer<typeof ConnectorSettings>;

/** Why a CRM call failed, in words an admin can act on; the kind lets tools react without parsing text. */
export const ConnectorProblemKind = z.enum([
  'bad_credential',
  'api_off',
  'tls',
  'unreachable',
  'missing_rights',
  'rate_limited',
  'bad_response',
  'not_found',
  'rejected',
  /** Headway itself failed (database, a stored credential this server's key cannot open). */
  'internal',
]);
export type ConnectorProblemKind = z.infer<typeof ConnectorProblemKind>;

export const ConnectorProblem = z.object({ kind: ConnectorProblemKind, message: z.string(), at: IsoDateTime });
export type ConnectorProblem = z.infer<typeof ConnectorProblem>;

/** What one sync did; `crm sync --json` prints it. */
export const SyncReport = z.object({
  origin: Origin,
  crm: CrmId,
  full: z.boolean(),
  fetched: z.number().int().min(0),
  upserted: z.number().int().min(0),
  removed: z.number().int().min(0),
  writtenBack: z.number().int().min(0),
  errors: z.array(z.string()),
  /** The CRM modification time up to which every change is in Headway (null before the first page). */
  cursor: z.string().nullable(),
  /** False when another process held this connection and this call did nothing. */
  ran: z.boolean(),
});
export type SyncReport = z.infer<typeof SyncReport>;

/** One connection as `crm status` and the dashboard show it. */
export const ConnectionStatus = z.object({
  id: Id,
  origin: Origin,
  crm: CrmId,
  api: ConnectorApi,
  clientId: z.string().nullable(),
  username: z.string().nullable(),
  lastSuccessAt: IsoDateTime.nullable(),
  lastError: ConnectorProblem.nullable(),
  cursor: z.string().nullable(),
  /** A sync is under way (resumes from its last committed page if its process died). */
  syncing: z.boolean(),
  counts: z.object({
    deals: z.number().int().min(0),
    unmappedOwners: z.number().int().min(0),
    pendingWriteBacks: z.number().int().min(0),
    failedWriteBacks: z.number().int().min(0),
  }),
  /** CRM users who own deals but match no Headway user (by CRM id or e-mail). */
  unmappedOwners: z.array(z.object({ crmUserId: z.string(), name: z.string(), email: z.string().nullable() })),
  settings: ConnectorSettings,
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const ConnectionsResponse = z.object({ connections: z.array(ConnectionStatus) });
export type ConnectionsResponse = z.infer<typeof ConnectionsResponse>;

/** Where a note stands in the CRM of record: waiting, written (with the CRM's id), or failing (retried, with why). */
export const NoteCrmCopy = z.object({
  state: z.enum(['pending', 'written', 'failed']),
  crmNoteId: z.string().nullable(),
  message: z.string().nullable(),
  at: IsoDateTime,
});
export type NoteCrmCopy = z.infer<typeof NoteCrmCopy>;

/** POST /api/crm/hook/:id — the connection the hook belongs to. */
export const CrmHookParams = z.object({ id: z.string().min(1).max(100) });
export type CrmHookParams = z.infer<typeof CrmHookParams>;

/** What a CRM's hook (SuiteCRM logic hook, workflow) may send: the record that changed, if it says. */
export const CrmHookBody = z.object({
  id: z.string().trim().min(1).max(200).optional(),
  module: z.string().max(100).optional(),
});
export type CrmHookBody = z.infer<typeof CrmHookBody>;

/** The deal events a Bitrix24 outbound webhook may send Headway (api-reference/crm/deals/events). */
export const Bitrix24DealEvent = z.enum(['ONCRMDEALADD', 'ONCRMDEALUPDATE', 'ONCRMDEALDELETE']);

/**
 * POST /api/crm/hook/:id/bitrix24 — a Bitrix24 outbound webhook's call, form-encoded as Bitrix24 sends it
 * (`event`, `data[FIELDS][ID]`, `auth[application_token]`…), read into these names.
 */
export const Bitrix24EventForm = z.object({
  event: z.string().transform((value) => value.toUpperCase()).pipe(Bitrix24DealEvent),
  dealId: z.string().regex(/^[1-9]\d{0,18}$/, 'data[FIELDS][ID] must be a deal id'),
  token: z.string().min(1, 'auth[application_token] is missing').max(200),
});
export type Bitrix24EventForm = z.infer<typeof Bitrix24EventForm>;

const crmRecordId = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9]\d{0,18}$/)]).transform(String);

/**
 * POST /api/crm/hook/:id/hubspot — a HubSpot webhook delivery: a JSON array of up to 100 events (HubSpot's webhooks
 * API), each naming the object that changed. Only deal events (deal.creation, deal.propertyChange, deal.deletion…)
 * are taken; what is read comes from the API.
 */
export const HubSpotEvents = z
  .array(z.object({ subscriptionType: z.string().min(1).max(100), objectId: crmRecordId, portalId: z.number().int().optional() }))
  .min(1, 'HubSpot sends at least one event')
  .max(1000);
export type HubSpotEvents = z.infer<typeof HubSpotEvents>;

/**
 * POST /api/crm/hook/:id/pipedrive — a Pipedrive webhook's call, v2 ({meta: {entity, entity_id, action}}) or v1
 * ({meta: {object, id, action}}), read into the entity and its id. Headway takes deal events.
 */
export const PipedriveEvent = z
  .object({
    meta: z.object({
      entity: z.string().max(50).optional(),
      entity_id: z.union([z.string().max(40), z.number()]).optional(),
      object: z.string().max(50).optional(),
      // v1's deal id; in v2 `id` is the event's own id (a UUID), so it is read only for a v1 event.
      id: z.union([z.string().max(40), z.number()]).optional(),
      action: z.string().max(50).optional(),
    }),
  })
  .transform(({ meta }) => ({
    entity: meta.entity ?? meta.object ?? '',
    dealId: String((meta.entity === undefined ? meta.id : meta.entity_id) ?? ''),
    action: meta.action ?? '',
  }))
  .pipe(z.object({ entity: z.literal('deal', 'Headway takes deal events (event object "deal")'), dealId: z.string().regex(/^[1-9]\d{0,18}$/, 'meta.entity_id (v2) or meta.id (v1) must name the deal'), action: z.string() }));
export type PipedriveEvent = z.infer<typeof PipedriveEvent>;
