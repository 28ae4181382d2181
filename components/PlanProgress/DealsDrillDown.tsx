import { useSignal } from '@preact/signals';
import { routes } from '../../core/api/routes';
import { useEffect, useRef } from 'preact/hooks';
import type { DealKind } from '../../core/schema';
import { readServer } from '../Dashboard/server';
import { formatsFor, periodName, type Formats } from '../Dashboard/format';
import { useServerRead } from '../Dashboard/useServerRead';
import { useLocale, useT } from '../locale';
import { DealHistory } from './DealHistory';
import { dealListMessages } from './i18n';
import type { DrillTarget } from './types';

const LIMIT = 200;

/**
 * The deals behind a clicked figure, in a modal dialog: title (linked to the CRM), owner, amount, close date; and for
 * the head of sales (`showHistory`), each deal's history of changes.
 */
export function DealsDrillDown({
  target,
  kind,
  date,
  names,
  showHistory = false,
  onClose,
}: {
  target: DrillTarget;
  kind: DealKind;
  date: string | undefined;
  names: ReadonlyMap<string, string>;
  showHistory?: boolean;
  onClose: () => void;
}) {
  const t = useT(dealListMessages);
  const locale = useLocale();
  const dialog = useRef<HTMLDialogElement>(null);
  const historyOf = useSignal<string | null>(null);
  const { state } = useServerRead(
    () =>
      readServer(routes.progressDeals, {
        period: target.unit,
        date,
        kind,
        ownerId: target.ownerId,
        status: target.status,
        currency: target.currency,
        limit: LIMIT,
      }),
    [target, kind, date],
  );
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const loaded = state.value;
  const answer = loaded.data;
  const owner = (id: string | null, label: string | null) => (id ? (names.get(id) ?? label ?? t('someoneElse')) : (label ?? t('unassigned')));
  const amountOf = (amount: number | null, currency: string | null, fallback: Formats) =>
    amount === null ? '—' : currency ? formatsFor(currency, locale).money(amount) : fallback.money(amount);
  const fallback = formatsFor('EUR', locale);
  const heading = `${target.who} — ${target.what}`;

  return (
    <dialog ref={dialog} class="hw-dialog" aria-labelledby="drill-title" onClose={onClose} data-testid="drill-down">
      <header class="hw-dialog-head">
        <div>
          <h2 id="drill-title" class="hw-h2">
            {heading}
          </h2>
          {answer ? (
            <p class="hw-hint" data-testid="drill-count">
              {t(answer.total > answer.deals.length ? 'countCut' : 'count', {
                period: periodName(target.unit, answer.period, locale),
                count: answer.total,
                shown: answer.deals.length,
              })}
            </p>
          ) : null}
        </div>
        <button type="button" class="hw-button hw-button--small" onClick={() => dialog.current?.close()}>
          {t('close')}
        </button>
      </header>
      {loaded.error ? (
        <p class="hw-error" role="alert">
          {loaded.error}
        </p>
      ) : null}
      {loaded.loading && !answer ? (
        <p class="hw-loading" role="status">
          {t('loading')}
        </p>
      ) : null}
      {answer && answer.deals.length === 0 ? <p class="hw-empty">{t('none')}</p> : null}
      {answer && answer.deals.length > 0 ? (
        <div class="hw-table-wrap hw-dialog-body">
          <table class="hw-table hw-table--deals">
            <caption class="hw-sr-only">{heading}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colDeal')}</th>
                <th scope="col">{t('colOwner')}</th>
                <th scope="col">{t('colStage')}</th>
                <th scope="col" class="hw-num">
                  {t('colAmount')}
                </th>
                <th scope="col" class="hw-num">
                  {t(target.status === 'open' ? 'colExpectedClose' : 'colClosed')}
                </th>
                {showHistory ? <th scope="col"><span class="hw-sr-only">{t('history')}</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {answer.deals.map((deal) => {
                const closed = target.status === 'open' ? deal.expectedClose : deal.closedAt;
                return (
                  <tr key={deal.id} data-deal-id={deal.id}>
                    <td>
                      {deal.url && /^https?:\/\//.test(deal.url) ? (
                        <a href={deal.url} target="_blank" rel="noopener noreferrer">
                          {deal.title}
                        </a>
                      ) : (
                        deal.title
                      )}
                    </td>
                    <td>{owner(deal.ownerId, deal.ownerLabel)}</td>
                    <td class="hw-muted">{deal.stage ?? '—'}</td>
                    <td class="hw-num">{amountOf(deal.amount, deal.currency, fallback)}</td>
                    <td class="hw-num">{closed ? fallback.date(closed) : '—'}</td>
                    {showHistory ? (
                      <td>
                        <button
                          type="button"
                          class="hw-button hw-button--small"
                          aria-pressed={historyOf.value === deal.id}
                          data-testid="deal-history-toggle"
                          onClick={() => (historyOf.value = historyOf.value === deal.id ? null : deal.id)}
                        >
                          {t('history')}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {historyOf.value ? <DealHistory dealId={historyOf.value} /> : null}
        </div>
      ) : null}
    </dialog>
  );
}
