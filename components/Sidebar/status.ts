import { translator, type Locale } from '../../core/i18n';
import type { RecordType } from '../../core/schema';
import type { ConnectionSnapshot } from '../../extension/messages';
import type { SyncSummary } from '../../extension/sync/messages';
import { sidebarMessages } from './i18n';

export type StatusTone = 'online' | 'offline' | 'muted' | 'alert';

/**
 * The words and colour of the sync line. Offline is not an error: work is kept locally and synced later.
 * With the outbox known (`sync`), it also says how many changes wait and whether the server refused any.
 */
export function syncStatus(
  snapshot: ConnectionSnapshot | null,
  sync: Pick<SyncSummary, 'pending' | 'failed'> | null = null,
  locale: Locale = 'en',
): { text: string; tone: StatusTone } {
  const t = translator(sidebarMessages, locale);
  const pending = sync && sync.pending > 0 ? sync.pending : 0;
  if (snapshot?.state === 'offline' && pending) return { text: t('offlineWaiting', { count: pending }), tone: 'offline' };
  if (snapshot?.state === 'online' && sync) {
    if (pending) return { text: t('waiting', { count: pending }), tone: 'offline' };
    if (sync.failed > 0) return { text: t('notAccepted', { count: sync.failed }), tone: 'alert' };
    return { text: t('allSaved'), tone: 'online' };
  }
  switch (snapshot?.state) {
    case undefined:
      return { text: t('connecting'), tone: 'muted' };
    case 'unpaired':
      return { text: t('notConnected'), tone: 'muted' };
    case 'online':
      return { text: t('online'), tone: 'online' };
    case 'offline':
      return { text: t('offline'), tone: 'offline' };
    case 'unauthorized':
      return { text: t('signedOut'), tone: 'alert' };
  }
}

export const recordTypeLabel = (type: RecordType, locale: Locale = 'en') => translator(sidebarMessages, locale)(type);

/** Two letters for the avatar: first and last name initials. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

export const roleLabel = (role: 'head' | 'manager' | 'exec' | 'admin', locale: Locale = 'en') => translator(sidebarMessages, locale)(role);
