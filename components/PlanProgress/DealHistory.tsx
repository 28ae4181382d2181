import type { DealHistoryEntry } from '../../core/schema';
import { routes } from '../../core/api/routes';
import { formatsFor } from '../Dashboard/format';
import { readServer } from '../Dashboard/server';
import { useServerRead } from '../Dashboard/useServerRead';
import { useLocale, useT } from '../locale';
import { dealListMessages } from './i18n';

const shown = (value: string | number | null) => (value === null ? '—' : String(value));

/**
 * One deal's history for the head of sales (GET /api/deals/history): each write that changed it, newest first, with
 * how it came, whose it was, when, and every field before → after. Figures that look wrong are checked here.
 */
export function DealHistory({ dealId }: { dealId: string }) {
  const { state } = useServerRead(() => readServer(routes.dealHistory, { id: dealId }), [dealId]);
  const loaded = state.value;
  const t = useT(dealListMessages);
  const format = formatsFor('EUR', useLocale());
  if (loaded.error) return <p class="hw-error" role="alert">{loaded.error}</p>;
  if (!loaded.data) return <p class="hw-loading" role="status">{t('loadingHistory')}</p>;
  const { deal, history } = loaded.data;
  return (
    <section class="hw-deal-history" data-testid="deal-history" aria-label={t('historyOf', { deal: deal.title })}>
      <h3 class="hw-history-title">{t('historyOf', { deal: deal.title })}</h3>
      {history.length === 0 ? <p class="hw-empty">{t('noHistory')}</p> : null}
      <ol class="hw-history-list">
        {history.map((entry) => (
          <li key={`${entry.version}-${entry.at}`} data-testid="deal-history-entry">
            <p class="hw-history-head">
              {format.date(entry.at)} · {t(`source.${entry.source satisfies DealHistoryEntry['source']}`)} · {entry.actor.label}
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
