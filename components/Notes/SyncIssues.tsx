import type { FailedItem, SyncSummary } from '../../extension/sync/messages';
import { useT } from '../locale';
import { notesMessages } from '../../extension/sync/i18n';

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
  const t = useT(notesMessages);
  if (!sync || sync.failures.length === 0) return null;
  return (
    <section class="hw-section hw-issues" aria-label={t('issuesLabel')} data-testid="sync-failures">
      <p class="hw-eyebrow">{t('issuesHeading')}</p>
      <ul>
        {sync.failures.map((item) => (
          <li key={item.mutationId} class="hw-issue">
            <p>{item.label}</p>
            <p class="hw-problem">{item.conflict ? t('changedElsewhere') : item.message}</p>
            <p class="hw-note-meta">
              {item.conflict ? (
                <button type="button" class="hw-link" onClick={() => onDiscard(item)}>{t('reload')}</button>
              ) : (
                <>
                  <button type="button" class="hw-link" onClick={() => onRetry(item)}>{t('retry')}</button>
                  <button type="button" class="hw-link" onClick={() => onDiscard(item)}>{t('discard')}</button>
                </>
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
