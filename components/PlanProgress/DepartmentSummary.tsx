import type { ScopeProgress } from '../../core/schema';
import type { Formats } from '../Dashboard/format';
import { useT } from '../locale';
import { FEW_WON, runRateEvidence } from './burnup';
import { planMessages } from './i18n';
import { PaceBadge } from './PaceBadge';
import type { DrillTarget } from './types';


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
  const t = useT(planMessages);
  const p = progress;
  const drill = (what: string, status: DrillTarget['status'], currency?: string) => onDrill({ ownerId, who, unit: p.unit, status, currency, what });
  const share = (value: number) => (p.target > 0 ? Math.min(100, (value / p.target) * 100) : 0);
  const days = p.workingDays;
  return (
    <div class="hw-summary" data-testid="department-summary">
      <div class="hw-summary-head">
        <div>
          <p class="hw-kicker">{t('wonSoFar')}</p>
          <button type="button" class="hw-figure hw-link-button" data-testid="summary-actual" data-value={p.actual} onClick={() => drill(t('drillWon'), 'won')}>
            {format.money(p.actual)}
          </button>
          <p class="hw-summary-target">
            {p.planned ? (
              <span data-testid="summary-target" data-value={p.target}>{t('ofTarget', { target: format.money(p.target), count: p.count })}</span>
            ) : (
              t('noPlanYet', { count: p.count })
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
          aria-label={t('attainment')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(share(p.actual))}
          aria-valuetext={t('attainmentText', { percent: format.percent(p.attainmentPct), amount: format.money(p.expectedByNow) })}
        >
          <span class="hw-meter-fill" style={{ width: `${share(p.actual)}%` }} />
          <span class="hw-meter-pace" style={{ left: `${share(p.expectedByNow)}%` }} title={t('onPaceTitle', { amount: format.money(p.expectedByNow) })} />
        </div>
      ) : null}
      <dl class="hw-stats">
        <div>
          <dt>{t('expectedByNow')}</dt>
          <dd data-value={p.expectedByNow}>{format.money(p.expectedByNow)}</dd>
        </div>
        <div>
          <dt>{t('runRate')}</dt>
          <dd data-testid="summary-run-rate" data-value={p.runRateProjection}>
            {format.money(p.runRateProjection)}
            {p.target > 0 ? <small> · {format.percent((p.runRateProjection / p.target) * 100)}</small> : null}
            <small class={`hw-evidence${p.count < FEW_WON ? ' hw-evidence--thin' : ''}`} data-testid="run-rate-evidence">
              {runRateEvidence(p.count, format.locale)}
            </small>
          </dd>
        </div>
        <div>
          <dt>{t('pipelineProjection')}</dt>
          <dd data-value={p.pipelineProjection}>
            {format.money(p.pipelineProjection)}
            {p.target > 0 ? <small> · {format.percent((p.pipelineProjection / p.target) * 100)}</small> : null}
          </dd>
        </div>
        <div>
          <dt>{t('neededPerDay')}</dt>
          <dd data-value={p.neededPerWorkingDay ?? ''}>{p.neededPerWorkingDay === null ? (p.planned ? t('targetMet') : '—') : format.money(p.neededPerWorkingDay)}</dd>
        </div>
        <div>
          <dt>{t('openPipeline')}</dt>
          <dd>
            <button type="button" class="hw-link-button" data-value={p.openPipeline} onClick={() => drill(t('drillOpen'), 'open')}>
              {format.money(p.openPipeline)}
            </button>
            {p.pipelineCoverage !== null ? (
              <small> · {p.openPipeline > 0 ? t('coversGap', { times: format.locale === 'ru' ? p.pipelineCoverage.toFixed(1).replace('.', ',') : p.pipelineCoverage.toFixed(1) }) : t('nothingToClose')}</small>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t('workingDays')}</dt>
          <dd>
            {t('daysPassed', { elapsed: days.elapsed, total: days.total, remaining: days.remaining })}
          </dd>
        </div>
      </dl>
      {p.excluded.length > 0 ? (
        <div class="hw-excluded" role="note">
          <p class="hw-excluded-title">{t('notInFigures')}</p>
          <ul>
            {p.excluded.map((group) => (
              <li key={`${group.reason}-${group.status}-${group.currency ?? 'none'}`}>
                <button
                  type="button"
                  class="hw-link-button"
                  onClick={() => drill(t('drillExcluded', { status: t(`statusWord.${group.status}`), reason: t(`reason.${group.reason}`) }), group.status, group.currency ?? 'none')}
                >
                  {t(`excluded.${group.status}`, { count: group.count })}
                </button>{' '}
                {group.currency ? `${t('excludedIn', { currency: group.currency, amount: format.moneyIn(group.amount, group.currency) })} ` : ''}
                {t('excludedWhy', { reason: t(`reason.${group.reason}`) })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
