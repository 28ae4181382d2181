import type { ConnectionSnapshot } from '../../extension/messages';
import type { SyncSummary } from '../../extension/sync/messages';
import { useLocale, useT } from '../locale';
import { sidebarMessages } from './i18n';
import { initials, roleLabel, syncStatus } from './status';

/** Who is signed in and whether the server is reachable, always at the bottom of the panel. */
export function SyncFooter({ snapshot, sync = null, onOpenOptions }: { snapshot: ConnectionSnapshot | null; sync?: SyncSummary | null; onOpenOptions: () => void }) {
  const locale = useLocale();
  const t = useT(sidebarMessages);
  const status = syncStatus(snapshot, sync, locale);
  const user = snapshot?.user;
  const needsConnect = snapshot?.state === 'unpaired' || snapshot?.state === 'unauthorized';
  return (
    <footer class="hw-footer">
      {user && snapshot?.state !== 'unpaired' ? (
        <div class="hw-user">
          <span class="hw-avatar" aria-hidden="true">{initials(user.name)}</span>
          <span class="hw-user-text">
            <span class="hw-user-name" data-testid="sidebar-user">{user.name}</span>
            <span class="hw-user-role">{roleLabel(user.role, locale)}</span>
          </span>
        </div>
      ) : null}
      <div class="hw-status-row">
        <span class={`hw-status hw-status--${status.tone}`} data-testid="sync-status" role="status">
          <span class="hw-dot" aria-hidden="true" />
          {status.text}
        </span>
        {needsConnect ? (
          <button type="button" class="hw-link" onClick={onOpenOptions}>
            {t('connect')}
          </button>
        ) : null}
      </div>
    </footer>
  );
}
