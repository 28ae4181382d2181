import type { DealHistoryEntry } from '../../core/schema';
import { formatsFor } from '../Dashboard/format';
import { readServer } from '../Dashboard/server';
import { useServerRead } from '../Dashboard/useServerRead';

const sourceWords: Record<DealHistoryEntry['source'], string> = { page: 'page read', import: 'CSV import', api: 'ingest API', connector: 'CRM connector' };

const shown = (value: string | number | null) => (value === null ? '—' : String(value));

/**
 * One deal's history for the head of sales (GET /api/deals/history): each write that changed it, newest first, with
 * how it came, whose it was, when, and every field before → after. Figures that look wrong are checked here.
 */
export function DealHistory({ dealId }: { dealId: string }) {
  const { state } = useServerRead(() => readServer('/api/deals/history', { id: dealId }), [dealId]);
  const loaded = state.value;
  const format = formatsFor('EUR');
  if (loaded.error) return <p class="hw-error" role="alert">{loaded.error}</p>;
  if (!loaded.data) return <p class="hw-loading" role="status">Loading the deal’s history…</p>;
  const { deal, history } = loaded.data;
  return (
    <section class="hw-deal-history" data-testid="deal-history" aria-label={`History of ${deal.title}`}>
      <h3 class="hw-history-title">History of {deal.title}</h3>
      {history.length === 0 ? <p class="hw-empty">No change recorded since Headway began keeping history.</p> : null}
      <ol class="hw-history-list">
        {history.map((entry) => (
          <li key={`${entry.version}-${entry.at}`} data-testid="deal-history-entry">
            <p class="hw-history-head">
              {format.date(entry.at)} · {sourceWords[entry.source]} · {entry.actor.label}
            </p>
            <ul class="hw-history-changes">
              {Object.entries(entry.changes).map(([field, change]) => (
                <li key={field}>
                  {field}: {shown(change.from)} → {shown(change.to)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
