import { formatMoney } from '../../core/format/money';
import type { ScopeProgress } from '../../core/schema';
import type { Formats } from '../Dashboard/format';
import { FEW_WON, runRateEvidence } from './burnup';
import { PaceBadge } from './PaceBadge';
import type { DrillTarget } from './types';

const exclusionWords = { 'no-rate': 'no exchange rate', 'no-amount': 'no amount', 'no-currency': 'no currency', 'no-probability': 'no probability' } as const;

/** The one scope's headline: actual against target, pace, where it lands and what it still needs. */
export function DepartmentSummary({
  progress,
  who,
  ownerId,
  format,
  onDrill,
}: {
  progress: ScopeProgress;
  who: string;
  ownerId?: string;
  format: Formats;
  onDrill: (target: DrillTarget) => void;
}) {
  const p = progress;
  const drill = (what: string, status: DrillTarget['status'], currency?: string) => onDrill({ ownerId, who, unit: p.unit, status, currency, what });
  const share = (value: number) => (p.target > 0 ? Math.min(100, (value / p.target) * 100) : 0);
  const days = p.workingDays;
  return (
    <div class="hw-summary" data-testid="department-summary">
      <div class="hw-summary-head">
        <div>
          <p class="hw-kicker">Won so far</p>
          <button type="button" class="hw-figure hw-link-button" data-testid="summary-actual" data-value={p.actual} onClick={() => drill('won', 'won')}>
            {format.money(p.actual)}
          </button>
          <p class="hw-summary-target">
            {p.planned ? (
              <>
                of <span data-testid="summary-target" data-value={p.target}>{format.money(p.target)}</span> target · {p.count} deals
              </>
            ) : (
              <>No plan for this period yet · {p.count} deals won</>
            )}
          </p>
        </div>
        <div class="hw-summary-att">
          <p class="hw-big-pct" data-testid="summary-attainment">{format.percent(p.attainmentPct)}</p>
          <PaceBadge aheadBy={p.aheadBy} format={format} planned={p.planned} />
        </div>
      </div>
      {p.planned ? (
        <div
          class="hw-meter"
          role="meter"
          aria-label="Attainment"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(share(p.actual))}
          aria-valuetext={`${format.percent(p.attainmentPct)} of target; on pace would be ${format.money(p.expectedByNow)}`}
        >
          <span class="hw-meter-fill" style={{ width: `${share(p.actual)}%` }} />
          <span class="hw-meter-pace" style={{ left: `${share(p.expectedByNow)}%` }} title={`On pace: ${format.money(p.expectedByNow)}`} />
        </div>
      ) : null}
      <dl class="hw-stats">
        <div>
          <dt>Expected by now</dt>
          <dd data-value={p.expectedByNow}>{format.money(p.expectedByNow)}</dd>
        </div>
        <div>
          <dt>Projected (run rate)</dt>
          <dd data-testid="summary-run-rate" data-value={p.runRateProjection}>
            {format.money(p.runRateProjection)}
            {p.target > 0 ? <small> · {format.percent((p.runRateProjection / p.target) * 100)}</small> : null}
            <small class={`hw-evidence${p.count < FEW_WON ? ' hw-evidence--thin' : ''}`} data-testid="run-rate-evidence">
              {runRateEvidence(p.count)}
            </small>
          </dd>
        </div>
        <div>
          <dt>Projected (won + weighted pipeline)</dt>
          <dd data-value={p.pipelineProjection}>
            {format.money(p.pipelineProjection)}
            {p.target > 0 ? <small> · {format.percent((p.pipelineProjection / p.target) * 100)}</small> : null}
          </dd>
        </div>
        <div>
          <dt>Needed per working day</dt>
          <dd data-value={p.neededPerWorkingDay ?? ''}>{p.neededPerWorkingDay === null ? (p.planned ? 'Target met' : '—') : format.money(p.neededPerWorkingDay)}</dd>
        </div>
        <div>
          <dt>Open pipeline closing in period</dt>
          <dd>
            <button type="button" class="hw-link-button" data-value={p.openPipeline} onClick={() => drill('open pipeline', 'open')}>
              {format.money(p.openPipeline)}
            </button>
            {p.pipelineCoverage !== null ? (
              <small> · {p.openPipeline > 0 ? `covers ${p.pipelineCoverage.toFixed(1)}× the gap` : 'nothing to close the gap with'}</small>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Working days</dt>
          <dd>
            {days.elapsed} of {days.total} passed · {days.remaining} left
          </dd>
        </div>
      </dl>
      {p.excluded.length > 0 ? (
        <div class="hw-excluded" role="note">
          <p class="hw-excluded-title">Not in the figures above</p>
          <ul>
            {p.excluded.map((group) => (
              <li key={`${group.reason}-${group.status}-${group.currency ?? 'none'}`}>
                <button
                  type="button"
                  class="hw-link-button"
                  onClick={() => drill(`${group.status} deals left out (${exclusionWords[group.reason]})`, group.status, group.currency ?? 'none')}
                >
                  {group.count} {group.status} {group.count === 1 ? 'deal' : 'deals'}
                </button>{' '}
                {group.currency ? `in ${group.currency} (${formatMoney(group.amount, group.currency)})` : ''} — {exclusionWords[group.reason]}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
