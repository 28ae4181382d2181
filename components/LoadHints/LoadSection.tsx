import type { User } from '../../core/schema';
import { routes } from '../../core/api/routes';
import { readServer } from '../Dashboard/server';
import { useServerRead } from '../Dashboard/useServerRead';
import { useLocale, useT } from '../locale';
import { loadMessages } from './i18n';
import { LoadBars } from './LoadBars';
import { loadPercent, loadTableTitle, noMovesText } from './load-words';
import { MoveSuggestions, Proposals } from './MoveList';
import { TeamLoad } from './TeamLoad';

/** Load today: bars per manager, suggested moves with reasons, and the moves already decided. */
export function LoadSection({ user, refreshKey }: { user: User; refreshKey: number }) {
  const load = useServerRead(() => readServer(routes.load, {}), [refreshKey]);
  const loaded = load.state.value;
  const data = loaded.data;
  const t = useT(loadMessages);
  const locale = useLocale();
  const canDecide = user.role === 'head' || user.role === 'admin';
  const department = data?.aggregates.find((a) => a.scope === 'department');

  return (
    <section class="hw-section" aria-labelledby="load-heading" aria-busy={loaded.loading}>
      <div class="hw-section-head">
        <h2 id="load-heading" class="hw-h2">
          {t('heading')} <span class="hw-h2-sub">{t('headingToday')}</span>
        </h2>
        {department ? (
          <p class="hw-hint" data-testid="load-aggregate">
            {department.utilisation === null
              ? t('department', { over: department.over, absent: department.absent, under: department.under })
              : t('departmentUsed', { percent: loadPercent(department.utilisation, locale), over: department.over, absent: department.absent, under: department.under })}
          </p>
        ) : null}
      </div>
      {loaded.error ? (
        <p class="hw-error" role="alert" data-testid="load-error">
          {t('loadFailed', { error: loaded.error })}
        </p>
      ) : null}
      {!data && !loaded.error ? (
        <div class="hw-card hw-skeleton" role="status">
          {t('loading')}
        </div>
      ) : null}
      {data ? (
        <>
          <div class="hw-grid-2 hw-grid-2--load">
            <article class="hw-card hw-card--flush" aria-labelledby="bars-heading">
              <h3 id="bars-heading" class="hw-card-title hw-card-title--pad">
                {loadTableTitle(data.shown, locale)}
              </h3>
              {data.shown === 'aggregates' ? <TeamLoad aggregates={data.aggregates} /> : <LoadBars managers={data.managers} />}
            </article>
            <article class="hw-card" aria-labelledby="moves-heading">
              <h3 id="moves-heading" class="hw-card-title">
                {t('suggestedMoves')} <span class="hw-count">{data.moves.length}</span>
              </h3>
              <MoveSuggestions
                moves={data.moves}
                emptyText={noMovesText(data.shown, department, data.uncovered.length, locale)}
                canDecide={canDecide}
                onDecided={() => load.reload()}
              />
              {data.uncovered.length > 0 ? (
                <div class="hw-note" role="note">
                  <p class="hw-excluded-title">
                    {t('uncovered', { count: data.uncovered.length })}
                  </p>
                  <ul>
                    {data.uncovered.slice(0, 5).map((deal) => (
                      <li key={deal.dealId}>{deal.reason}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </article>
          </div>
          {data.shown === 'aggregates' ? null : (
          <article class="hw-card hw-card--flush" aria-labelledby="proposals-heading">
            <h3 id="proposals-heading" class="hw-card-title hw-card-title--pad">
              {t('decidedWaiting')} <span class="hw-count">{data.proposals.length}</span>
            </h3>
            <Proposals proposals={data.proposals} />
          </article>
          )}
        </>
      ) : null}
    </section>
  );
}
