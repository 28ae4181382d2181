import type { FailedItem, SyncSummary } from '../../extension/sync/messages';

export interface SyncIssuesProps {
  sync: SyncSummary | null;
  onRetry: (item: FailedItem) => void;
  onDiscard: (item: FailedItem) => void;
}

/**
 * Changes the server refused. A stale edit is not retried (it would be refused again): Reload drops the local
 * edit and pulls the note as it is now, so nothing someone else wrote is overwritten.
 */
export function SyncIssues({ sync, onRetry, onDiscard }: SyncIssuesProps) {
  if (!sync || sync.failures.length === 0) return null;
  return (
    <section class="hw-section hw-issues" aria-label="Changes the server did not accept" data-testid="sync-failures">
      <p class="hw-eyebrow">Not accepted by the server</p>
      <ul>
        {sync.failures.map((item) => (
          <li key={item.mutationId} class="hw-issue">
            <p>{item.label}</p>
            <p class="hw-problem">{item.conflict ? 'Changed elsewhere — reload to see the current note.' : item.message}</p>
            <p class="hw-note-meta">
              {item.conflict ? (
                <button type="button" class="hw-link" onClick={() => onDiscard(item)}>Reload</button>
              ) : (
                <>
                  <button type="button" class="hw-link" onClick={() => onRetry(item)}>Retry</button>
                  <button type="button" class="hw-link" onClick={() => onDiscard(item)}>Discard</button>
                </>
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
