import { z } from 'zod';
import { ConfigResponse, CrmId, CrmInstance, DealFields, DealKind, RecordRef, RecordType, User, UserLocale } from '../core/schema';
import { ApiGetRequest, ApiPostRequest, ApiResult } from './page-api';
import { SYNC_MESSAGES, SyncSummary } from './sync/messages';
import { ESCALATION_MESSAGES } from './escalation/messages';
import { messageTable, requestUnion, type RequestOf } from './message-table';
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

const tabId = z.number().int().min(0);

/**
 * Every request to the background over runtime.sendMessage, declared once: its schema, its answer's schema, and who
 * may send it (extension/message-table.ts). The background parses each request with it and checks its sender; the
 * pages' client (client.ts) parses each answer with it; the zod-free clients take its types.
 */
export const MESSAGES = messageTable({
  'get-state': { request: z.object({ type: z.literal('get-state') }), response: ConnectionSnapshot, from: 'any' },
  connect: {
    request: z.object({ type: z.literal('connect'), serverUrl: z.string().max(2000), code: z.string().max(100) }),
    response: ConnectResult,
    from: 'pages',
  },
  disconnect: { request: z.object({ type: z.literal('disconnect') }), response: ConnectionSnapshot, from: 'pages' },
  refresh: { request: z.object({ type: z.literal('refresh') }), response: ConnectionSnapshot, from: 'any' },
  /** The options page's language control: the signed-in user's own language, null = the browser's. */
  'set-locale': { request: z.object({ type: z.literal('set-locale'), locale: UserLocale.nullable() }), response: ConnectResult, from: 'pages' },
  /** The options page granted hosts: register content scripts for them now. */
  'permissions-changed': { request: z.object({ type: z.literal('permissions-changed') }), response: ConnectionSnapshot, from: 'any' },
  /** Content scripts cannot open the options page themselves. */
  'open-options': { request: z.object({ type: z.literal('open-options') }), response: z.object({ opened: z.literal(true) }), from: 'any' },
  /**
   * Open the side panel beside the sender's tab (a click on a CRM record page, which carries the user gesture the
   * browser asks for), or beside `tabId` at `url` (the popup's button; only an extension page names a tab).
   */
  'open-panel': {
    request: z.object({ type: z.literal('open-panel'), tabId: tabId.optional(), url: z.string().max(4000).optional() }),
    response: z.object({ opened: z.boolean() }),
    from: 'any',
  },
  /** The popup asks whether Headway can show a panel beside this tab (a CRM page, or a site it was hidden on). */
  'panel-available': {
    request: z.object({ type: z.literal('panel-available'), tabId, url: z.string().max(4000).optional() }),
    response: z.object({ available: z.boolean() }),
    from: 'pages',
  },
  /** The panel's own buttons: close it and remember that for the site, or hide Headway on the site altogether. */
  'panel-close': { request: z.object({ type: z.literal('panel-close'), tabId }), response: z.object({ closed: z.boolean() }), from: 'pages' },
  'site-hide': { request: z.object({ type: z.literal('site-hide'), tabId }), response: z.object({ hidden: z.boolean() }), from: 'pages' },
  /** Show Headway again on a site it was hidden on (the popup, the options page). */
  'site-show': { request: z.object({ type: z.literal('site-show'), origin: z.string().max(2000) }), response: z.object({ shown: z.boolean() }), from: 'pages' },
  /** The adapter recognised a record but read no field of it; the origin is the sender's, never the message's. */
  'adapter-miss': {
    request: z.object({ type: z.literal('adapter-miss'), crm: CrmId, recordType: RecordType }),
    response: z.object({ outcome: z.enum(['sent', 'already-sent-today', 'failed', 'ignored']) }),
    from: 'any',
  },
  /** The sidebar's owner, load and plan lines for what it shows; `revision` is the last sync summary it saw. */
  'sidebar-insight': {
    request: z.object({ type: z.literal('sidebar-insight'), record: RecordRef.nullable(), fields: z.record(z.string(), z.unknown()), revision: z.number().int().min(0) }),
    response: SidebarInsight,
    from: 'any',
  },
  /** Notes and sync (extension/sync/messages.ts). */
  ...SYNC_MESSAGES,
  /** One-click escalation, Undo/Refine and the inbox (extension/escalation/messages.ts). */
  ...ESCALATION_MESSAGES,
  /** Allowlisted server reads and actions (extension/page-api.ts). */
  'api-get': { request: ApiGetRequest, response: ApiResult, from: 'pages' },
  'api-post': { request: ApiPostRequest, response: ApiResult, from: 'pages' },
});
export type MessageType = keyof typeof MESSAGES;

/** Requests to the background over runtime.sendMessage, parsed with the schema of their type. */
export const BackgroundRequest = requestUnion(MESSAGES);
export type BackgroundRequest = RequestOf<typeof MESSAGES>;
/** What a sender writes for a request of type T (before defaults), for the zod-free clients' types. */
export type RequestInput<T extends MessageType> = z.input<(typeof MESSAGES)[T]['request']>;
/** The request types a CRM tab's content script may send; the zod-free content client sends only these. */
export type AnyoneMay = { [T in MessageType]: (typeof MESSAGES)[T]['from'] extends 'any' ? T : never }[MessageType];

/** Answers the background gives; the caller parses with the schema of the request it sent. */
export type ResponseFor<T extends MessageType> = z.infer<(typeof MESSAGES)[T]['response']>;

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
