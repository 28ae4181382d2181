import type { ConnectionSnapshot } from '../../extension/messages';
import { useLocale } from '../locale';
import { syncStatus } from '../Sidebar/status';

export function StatusLine({ snapshot }: { snapshot: ConnectionSnapshot | null }) {
  const status = syncStatus(snapshot, null, useLocale());
  return (
    <span class={`hw-status hw-status--${status.tone}`} data-testid="connection-status" role="status">
      <span class="hw-dot" aria-hidden="true" />
      {status.text}
    </span>
  );
}
