import type { ConnectionSnapshot } from '../../extension/messages';
import { syncStatus } from '../Sidebar/status';

export function StatusLine({ snapshot }: { snapshot: ConnectionSnapshot | null }) {
  const status = syncStatus(snapshot);
  return (
    <span class={`hw-status hw-status--${status.tone}`} data-testid="connection-status" role="status">
      <span class="hw-dot" aria-hidden="true" />
      {status.text}
    </span>
  );
}
