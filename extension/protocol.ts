import type { CommandName, ConnectionSnapshot, ConnectionState, LiveMessage, PageView, SidebarInsight } from './messages';
import type { SyncSummary } from './sync/messages';

/**
 * The zod-free half of the message protocol, for the content script. zod alone is ~30 KB gzipped, more than
 * the whole budget for code injected into a CRM page. The background parses everything it receives with zod
 * (extension/messages.ts); what the content script receives comes only from the background over a runtime port,
 * which a page cannot reach, so a structural check of the shape is enough there.
 */

/**
 * The keyboard commands, named once: the manifest declares a key for each (wxt.config.ts), the background's
 * chrome.commands listener accepts only these (messages.ts CommandName), and the panel receives them.
 */
export const COMMAND_NAMES = ['toggle-sidebar', 'capture-note', 'escalate'] as const;

/** Name of the long-lived port the side panel and the other extension pages open to receive live state. */
export const LIVE_PORT = 'headway-live';

/**
 * Name of the port a CRM tab's content script opens, one per frame that shows a record. The background learns the
 * tab and frame from the port (never from the message), routes the record to that tab's side panel, and forgets
 * the frame when the port closes (the page went away).
 */
export const PAGE_PORT = 'headway-crm-page';

/**
 * Set by the CRM content script in its isolated world: how the background tells a tab that already runs it from
 * one that does not (extension/background/content-script-catch-up.ts).
 */
export const WATCHING_FLAG = 'headwayWatching';

/**
 * What a content script posts on its page port: the page's URL and what the adapter read there, or `href: null`
 * when this frame has nothing to show (Bitrix24's list while one of its record sliders is open). The background
 * recognises the record again from `href` (extension/crm-page.ts) and parses the fields with zod.
 */
export type PageReport = { type: 'page'; href: string; fields: Record<string, unknown> } | { type: 'page'; href: null };

/**
 * What the background posts down a page port: the connection (new instances or a switched-off adapter change what
 * the page is), whether a click on this page should open the side panel (it is closed and the user did not close
 * it on this site), and `stand-aside` when the user hid Headway on this site (the script stops).
 */
export type PageMessage = { type: 'state'; snapshot: ConnectionSnapshot } | { type: 'panel'; openOnClick: boolean } | { type: 'stand-aside' };

export function looksLikePageMessage(value: unknown): value is PageMessage {
  if (!isRecord(value)) return false;
  if (value.type === 'state') return looksLikeSnapshot(value.snapshot);
  if (value.type === 'panel') return typeof value.openOnClick === 'boolean';
  return value.type === 'stand-aside';
}

const STATES: readonly ConnectionState[] = ['unpaired', 'online', 'offline', 'unauthorized'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function looksLikeSnapshot(value: unknown): value is ConnectionSnapshot {
  return (
    isRecord(value) &&
    STATES.includes(value.state as ConnectionState) &&
    Array.isArray(value.instances) &&
    Array.isArray(value.disabledAdapters) &&
    (value.user === null || (isRecord(value.user) && typeof value.user.name === 'string' && typeof value.user.role === 'string'))
  );
}

export function looksLikeLiveMessage(value: unknown): value is LiveMessage {
  if (!isRecord(value)) return false;
  if (value.type === 'state') return looksLikeSnapshot(value.snapshot);
  if (value.type === 'sync') return looksLikeSyncSummary(value.sync);
  if (value.type === 'page') return typeof value.tabId === 'number' && (value.view === null || looksLikePageView(value.view));
  return value.type === 'command' && (COMMAND_NAMES as readonly string[]).includes(value.command as CommandName);
}

/** The background built the view with zod; the panel renders every part of it as text. */
export function looksLikePageView(value: unknown): value is PageView {
  return (
    isRecord(value) &&
    typeof value.href === 'string' &&
    isRecord(value.detected) &&
    typeof value.detected.crm === 'string' &&
    typeof value.crmLabel === 'string' &&
    isRecord(value.fields) &&
    (value.disabledReason === null || typeof value.disabledReason === 'string')
  );
}

export function looksLikeSyncSummary(value: unknown): value is SyncSummary {
  return isRecord(value) && typeof value.pending === 'number' && typeof value.failed === 'number' && Array.isArray(value.failures) && typeof value.revision === 'number';
}

/** The sidebar renders every part as text, so a missing or wrong-typed part only has to be caught, not trusted. */
export function looksLikeInsight(value: unknown): value is SidebarInsight {
  return isRecord(value) && 'owner' in value && (value.progress === null || (isRecord(value.progress) && Array.isArray(value.progress.bars)));
}
