import { z } from 'zod';
import { ConfigResponse, CrmId, CrmInstance, DealFields, DealKind, RecordRef, RecordType, User, UserLocale } from '../core/schema';
import { ApiGetRequest, ApiPostRequest, ApiResult } from './page-api';
import { SyncRequest, SyncResponseFor, SyncSummary } from './sync/messages';
import { EscalationRequest, EscalationResponseFor } from './escalation/messages';
import { COMMAND_NAMES } from './protocol';

/**
 * Everything that crosses the extension's message boundary is parsed here, on both ends:
 * a content script runs next to an untrusted page, so the background never trusts its shape.
 */

export const ConnectionState = z.enum(['unpaired', 'online', 'offline', 'unauthorized']);
export type ConnectionState = z.infer<typeof ConnectionState>;

/** What pages and sidebars may know about the connection. The token never leaves the background. */
export const ConnectionSnapshot = z.object({
  state: ConnectionState,
  serverUrl: z.string().nullable(),
  user: User.nullable(),
  instances: z.array(CrmInstance),
  disabledAdapters: ConfigResponse.shape.disabledAdapters,
  workspaceName: z.string().nullable(),
  /** ISO time of the last answer from the server; null when it never answered. */
  lastContactAt: z.string().nullable(),
  /** Human sentence about the last failure, shown as is. */
  problem: z.string().nullable(),
});
export type ConnectionSnapshot = z.infer<typeof ConnectionSnapshot>;

export const CommandName = z.enum(COMMAND_NAMES);
export type CommandName = z.infer<typeof CommandName>;

/**
 * The record a CRM tab shows, as its side panel renders it. Built by the background from what the tab's content
 * script reported (extension/panel/tab-pages.ts): recognised again from `href`, its fields parsed with zod.
 */
export const PageView = z.object({
  /** The CRM page's URL (the panel's own location is an extension page). */
  href: z.string().max(4000),
  detected: z.object({ crm: CrmId, instance: z.string().nullable(), recordType: RecordType.nullable(), id: z.string().nullable() }),
  crmLabel: z.string(),
  fields: DealFields.partial(),
  /** Set when the workspace switched this CRM's adapter off (it misreads a new CRM release, say). */
  disabledReason: z.string().nullable(),
});
export type PageView = z.infer<typeof PageView>;

/** What a side panel (or any page showing one tab's record) says on its live port: which tab it shows. */
export const PanelWatch = z.object({ type: z.literal('watch'), tabId: z.number().int().min(0) });
export type PanelWatch = z.infer<typeof PanelWatch>;

/** Requests to the background over runtime.sendMessage. */
export const BackgroundRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('get-state') }),
  z.object({ type: z.literal('connect'), serverUrl: z.string().max(2000), code: z.string().max(100) }),
  z.object({ type: z.literal('disconnect') }),
  z.object({ type: z.literal('refresh') }),
  /** The options page's language control: the signed-in user's own language, null = the browser's. */
  z.object({ type: z.literal('set-locale'), locale: UserLocale.nullable() }),
  /** The options page granted hosts: register content scripts for them now. */
  z.object({ type: z.literal('permissions-changed') }),
  /** Content scripts cannot open the options page themselves. */
  z.object({ type: z.literal('open-options') }),
  /**
   * Open the side panel beside the sender's tab (a click on a CRM record page, which carries the user gesture the
   * browser asks for), or beside `tabId` at `url` (the popup's button).
   */
  z.object({ type: z.literal('open-panel'), tabId: z.number().int().min(0).optional(), url: z.string().max(4000).optional() }),
  /** The popup asks whether Headway can show a panel beside this tab (a CRM page, or a site it was hidden on). */
  z.object({ type: z.literal('panel-available'), tabId: z.number().int().min(0), url: z.string().max(4000).optional() }),
  /** The panel's own buttons: close it and remember that for the site, or hide Headway on the site altogether. */
  z.object({ type: z.literal('panel-close'), tabId: z.number().int().min(0) }),
  z.object({ type: z.literal('site-hide'), tabId: z.number().int().min(0) }),
  /** Show Headway again on a site it was hidden on (the popup, the options page). */
  z.object({ type: z.literal('site-show'), origin: z.string().max(2000) }),
  /** The adapter recognised a record but read no field of it; the origin is the sender's, never the message's. */
  z.object({ type: z.literal('adapter-miss'), crm: CrmId, recordType: RecordType }),
  /** The sidebar's owner, load and plan lines for what it shows; `revision` is the last sync summary it saw. */
  z.object({ type: z.literal('sidebar-insight'), record: RecordRef.nullable(), fields: z.record(z.string(), z.unknown()), revision: z.number().int().min(0) }),
  /** Notes and sync (extension/sync/messages.ts). */
  ...SyncRequest.options,
  /** One-click escalation, Undo/Refine and the inbox (extension/escalation/messages.ts). */
  ...EscalationRequest.options,
  /** Extension pages only: allowlisted server reads and actions (extension/page-api.ts). */
  ApiGetRequest,
  ApiPostRequest,
]);
export type BackgroundRequest = z.infer<typeof BackgroundRequest>;

export const ConnectResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), snapshot: ConnectionSnapshot }),
  z.object({ ok: z.literal(false), message: z.string(), snapshot: ConnectionSnapshot }),
]);
export type ConnectResult = z.infer<typeof ConnectResult>;

const InsightTone = z.enum(['ok', 'over', 'absent', 'under', 'muted']);

/**
 * What the sidebar shows beside a record, already worded by the background (extension/background/insight/sidebar-insight.ts): the
 * content script only renders it. Every part is null when there is nothing to say (offline, not a deal, unseen).
 */
export const SidebarInsight = z.object({
  /** "Priya Shah · 120 % of capacity · over", or "Owner “X” is not linked to a Headway user". */
  owner: z.object({ text: z.string(), tone: InsightTone }).nullable(),
  /** Who should take the deal over, with core/balance's one-sentence reason. */
  suggestion: z.object({ label: z.string(), name: z.string(), reason: z.string() }).nullable(),
  /** "Moving to Marco Rossi — change the owner in the CRM". */
  move: z.string().nullable(),
  /** "Winning this deal: the department’s sales plan 62 % → 81 % this month". */
  ifWon: z.string().nullable(),
  /** Plan attainment per period for the signed-in manager, or the department for the head. */
  progress: z
    .object({
      scope: z.string(),
      /** The plan the bars measure: the kind of the deal on screen, sales elsewhere. */
      kind: DealKind,
      bars: z.array(z.object({ label: z.string(), pct: z.number(), pacePct: z.number(), ahead: z.boolean(), detail: z.string() })),
    })
    .nullable(),
  /** Null: the server's figures now. Else the server could not be reached and these are the last it gave, from then. */
  asOf: z.string().nullable().default(null),
});
export type SidebarInsight = z.infer<typeof SidebarInsight>;

/** Answers the background gives; the caller parses with the schema of the request it sent. */
export const ResponseFor = {
  'get-state': ConnectionSnapshot,
  connect: ConnectResult,
  disconnect: ConnectionSnapshot,
  refresh: ConnectionSnapshot,
  'set-locale': ConnectResult,
  'permissions-changed': ConnectionSnapshot,
  'open-options': z.object({ opened: z.literal(true) }),
  'open-panel': z.object({ opened: z.boolean() }),
  'panel-available': z.object({ available: z.boolean() }),
  'panel-close': z.object({ closed: z.boolean() }),
  'site-hide': z.object({ hidden: z.boolean() }),
  'site-show': z.object({ shown: z.boolean() }),
  'adapter-miss': z.object({ outcome: z.enum(['sent', 'already-sent-today', 'failed', 'ignored']) }),
  'sidebar-insight': SidebarInsight,
  ...SyncResponseFor,
  ...EscalationResponseFor,
  'api-get': ApiResult,
  'api-post': ApiResult,
} as const satisfies Record<BackgroundRequest['type'], z.ZodType>;
export type ResponseFor<T extends BackgroundRequest['type']> = z.infer<(typeof ResponseFor)[T]>;

/** A request the background could not handle (bad shape, internal failure): never a thrown error in the page. */
export const BackgroundFailure = z.object({ failure: z.string() });
export type BackgroundFailure = z.infer<typeof BackgroundFailure>;

export { LIVE_PORT } from './protocol';

/** Messages the background pushes down a live port. */
export const LiveMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), snapshot: ConnectionSnapshot }),
  z.object({ type: z.literal('command'), command: CommandName }),
  /** The record in the watched tab, again whenever it changes; null when the tab shows no CRM page. */
  z.object({ type: z.literal('page'), tabId: z.number().int(), view: PageView.nullable() }),
  /** Outbox and sync status, after every change (badge count, "3 waiting to sync", refused changes). */
  z.object({ type: z.literal('sync'), sync: SyncSummary }),
]);
export type LiveMessage = z.infer<typeof LiveMessage>;
