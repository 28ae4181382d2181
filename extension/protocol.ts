import type { CommandName, ConnectionSnapshot, ConnectionState, LiveMessage, SidebarInsight } from './messages';
import type { SyncSummary } from './sync/messages';

/**
 * The zod-free half of the message protocol, for the content script. zod alone is ~30 KB gzipped, more than
 * the whole budget for code injected into a CRM page. The background parses everything it receives with zod
 * (extension/messages.ts); what the content script receives comes only from the background over a runtime port,
 * which a page cannot reach, so a structural check of the shape is enough there.
 */

/** Name of the long-lived port sidebars and extension pages open to receive live state. */
export const LIVE_PORT = 'headway-live';

const STATES: readonly ConnectionState[] = ['unpaired', 'online', 'offline', 'unauthorized'];
const COMMANDS: readonly CommandName[] = ['toggle-sidebar', 'capture-note', 'escalate'];

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
  return value.type === 'command' && COMMANDS.includes(value.command as CommandName);
}

export function looksLikeSyncSummary(value: unknown): value is SyncSummary {
  return isRecord(value) && typeof value.pending === 'number' && typeof value.failed === 'number' && Array.isArray(value.failures) && typeof value.revision === 'number';
}

/** The sidebar renders every part as text, so a missing or wrong-typed part only has to be caught, not trusted. */
export function looksLikeInsight(value: unknown): value is SidebarInsight {
  return isRecord(value) && 'owner' in value && (value.progress === null || (isRecord(value.progress) && Array.isArray(value.progress.bars)));
}
