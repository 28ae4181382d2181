import type { User } from '../../core/schema';
import { formatDate } from '../Dashboard/format';
import { readServer } from '../Dashboard/server';
import { useServerRead } from '../Dashboard/useServerRead';
import { LoadBars } from './LoadBars';
import { loadTableTitle, noMovesText } from './load-words';
import { MoveSuggestions, Proposals } from './MoveList';
import { TeamLoad } from './TeamLoad';

/** Load today: bars per manager, suggested moves with reasons, and the moves already decided. */
export function LoadSection({ user, refreshKey }: { user: User; refreshKey: number }) {
  const load = useServerRead(() => readServer('/api/load', {}), [refreshKey]);
  const loaded = load.state.value;
  const data = loaded.data;
  const date = (iso: string) => formatDate(iso);
  const canDecide = user.role === 'head' || user.role === 'admin';
  const department = data?.aggregates.find((a) => a.scope === 'department');

  return (
    <section class="hw-section" aria-labelledby="load-heading" aria-busy={loaded.loading}>
      <div class="hw-section-head">
        <h2 id="load-heading" class="hw-h2">
          Load <span class="hw-h2-sub">today</span>
        </h2>
        {department ? (
          <p class="hw-hint" data-testid="load-aggregate">
            Department {department.utilisation === null ? '' : `${Math.round(department.utilisation * 100)} % used · `}
            {department.over} over capacity · {department.absent} absent · {department.under} with room
          </p>
        ) : null}
      </div>
      {loaded.error ? (
        <p class="hw-error" role="alert" data-testid="load-error">
          Load could not be loaded: {loaded.error}
        </p>
      ) : null}
      {!data && !loaded.error ? (
        <div class="hw-card hw-skeleton" role="status">
          Loading load…
        </div>
      ) : null}
      {data ? (
        <>
          <div class="hw-grid-2 hw-grid-2--load">
            <article class="hw-card hw-card--flush" aria-labelledby="bars-heading">
              <h3 id="bars-heading" class="hw-card-title hw-card-title--pad">
                {loadTableTitle(data.shown)}
              </h3>
              {data.shown === 'aggregates' ? <TeamLoad aggregates={data.aggregates} /> : <LoadBars managers={data.managers} formatDate={date} />}
            </article>
            <article class="hw-card" aria-labelledby="moves-heading">
              <h3 id="moves-heading" class="hw-card-title">
                Suggested moves <span class="hw-count">{data.moves.length}</span>
              </h3>
              <MoveSuggestions
                moves={data.moves}
                emptyText={noMovesText(data.shown, department, data.uncovered.length)}
                canDecide={canDecide}
                onDecided={() => load.reload()}
              />
              {data.uncovered.length > 0 ? (
                <div class="hw-note" role="note">
                  <p class="hw-excluded-title">
                    {data.uncovered.length} {data.uncovered.length === 1 ? 'deal' : 'deals'} nobody has room to cover
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
              Decided, waiting for the CRM <span class="hw-count">{data.proposals.length}</span>
            </h3>
            <Proposals proposals={data.proposals} formatDate={date} />
          </article>
          )}
        </>
      ) : null}
    </section>
  );
}
