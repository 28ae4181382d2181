import type { RecordType } from '../../core/schema';
import type { ConnectionSnapshot } from '../../extension/messages';
import type { SyncSummary } from '../../extension/sync/messages';

export type StatusTone = 'online' | 'offline' | 'muted' | 'alert';

/**
 * The words and colour of the sync line. Offline is not an error: work is kept locally and synced later.
 * With the outbox known (`sync`), it also says how many changes wait and whether the server refused any.
 */
export function syncStatus(snapshot: ConnectionSnapshot | null, sync: Pick<SyncSummary, 'pending' | 'failed'> | null = null): { text: string; tone: StatusTone } {
  const waiting = sync && sync.pending > 0 ? `${sync.pending} waiting to sync` : null;
  if (snapshot?.state === 'offline' && waiting) return { text: `Offline — ${waiting}`, tone: 'offline' };
  if (snapshot?.state === 'online' && sync) {
    if (waiting) return { text: waiting, tone: 'offline' };
    if (sync.failed > 0) return { text: `Online · ${sync.failed} not accepted — see above`, tone: 'alert' };
    return { text: 'Online · all saved', tone: 'online' };
  }
  switch (snapshot?.state) {
    case undefined:
      return { text: 'Connecting…', tone: 'muted' };
    case 'unpaired':
      return { text: 'Not connected', tone: 'muted' };
    case 'online':
      return { text: 'Online', tone: 'online' };
    case 'offline':
      return { text: 'Offline — changes wait here', tone: 'offline' };
    case 'unauthorized':
      return { text: 'Signed out — connect again', tone: 'alert' };
  }
}

const recordTypeLabels: Record<RecordType, string> = { deal: 'Deal', account: 'Account', contact: 'Contact', lead: 'Lead' };

export const recordTypeLabel = (type: RecordType) => recordTypeLabels[type];

/** Two letters for the avatar: first and last name initials. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

const roleLabels = { head: 'Head of sales', manager: 'Sales manager', exec: 'Management', admin: 'Admin' } as const;
export const roleLabel = (role: keyof typeof roleLabels) => roleLabels[role];
