import { useSignal } from '@preact/signals';
import { routes } from '../../core/api/routes';
import type { DealKind, PeriodUnit, ProgressResponse, User } from '../../core/schema';
import { formatsFor, periodName } from '../Dashboard/format';
import { readServer } from '../Dashboard/server';
import { useServerRead } from '../Dashboard/useServerRead';
import { useLocale, useT } from '../locale';
import { planMessages } from './i18n';
import { BurnUpChart } from './BurnUpChart';
import { burnUp } from './burnup';
import { DealsDrillDown } from './DealsDrillDown';
import { DepartmentSummary } from './DepartmentSummary';
import { ManagersTable, UNITS } from './ManagersTable';
import { PlanImportDialog } from './PlanImportDialog';
import { PlanTargetDialog, type TargetEdit } from './PlanTargetDialog';
import type { DrillTarget } from './types';

async function progressByUnit(kind: DealKind, date: string | undefined): Promise<Record<PeriodUnit, ProgressResponse>> {
  const [month, quarter, year] = await Promise.all(UNITS.map((period) => readServer(routes.progress, { period, kind, date })));
  return { month: month!, quarter: quarter!, year: year! };
}

/** Plan progress: the headline for the chosen period, its burn-up, and every manager across month, quarter and year. */
export function ProgressSection({ user, unit, kind, date, refreshKey }: { user: User; unit: PeriodUnit; kind: DealKind; date: string | undefined; refreshKey: number }) {
  const t = useT(planMessages);
  const locale = useLocale();
  const drill = useSignal<DrillTarget | null>(null);
  const editing = useSignal<TargetEdit | null>(null);
  const importing = useSignal(false);
  const canPlan = user.role === 'head' || user.role === 'admin';
  const progress = useServerRead(() => progressByUnit(kind, date), [kind, date, refreshKey]);
  // A manager's own scope: their row; everyone else's: the department.
  const ownScope = user.role === 'manager';
  const won = useServerRead(
    () => Promise.all([readServer(routes.settings, {}), readServer(routes.progressDeals, { period: unit, kind, date, status: 'won', limit: 1000 })]),
    [unit, kind, date, refreshKey],
  );

  const loaded = progress.state.value;
  const data = loaded.data;
  if (!data) {
    return loaded.error ? (
      <p class="hw-error" role="alert" data-testid="progress-error">
        {t('loadFailed', { error: loaded.error })}
      </p>
    ) : (
      <div class="hw-card hw-skeleton" role="status">
        {t('loading')}
      </div>
    );
  }

  const current = data[unit];
  const focus = ownScope ? (current.managers.find((m) => m.ownerId === user.id) ?? current.department) : current.department;
  const focusName = ownScope && focus !== current.department ? t('yourPlan') : t('department');
  const format = formatsFor(focus.currency, locale);
  const periodTitle = periodName(unit, current.period, locale);
  const days = current.department.workingDays;
  const asOf = t('asOf', { date: format.date(current.today), elapsed: days.elapsed, total: days.total });
  const names = new Map<string, string>();
  for (const u of UNITS) for (const m of data[u].managers) if (m.ownerId) names.set(m.ownerId, m.name);
  const wonData = won.state.value.data;
  const series =
    wonData && wonData[1].period.start === current.period.start
      ? burnUp({
          period: current.period,
          today: current.today,
          target: focus.target,
          currency: focus.currency,
          deals: wonData[1].deals,
          rates: wonData[0].rates,
          reportingCurrency: current.reportingCurrency,
          holidays: wonData[0].holidays,
          weekendDays: wonData[0].weekendDays,
        })
      : null;
  const truncated = wonData && wonData[1].total > wonData[1].deals.length;

  return (
    <section class="hw-section" aria-labelledby="progress-heading" aria-busy={loaded.loading}>
      <div class="hw-section-head">
        <h2 id="progress-heading" class="hw-h2">
          {t('heading')} <span class="hw-h2-sub">{periodTitle}</span>
        </h2>
        <div class="hw-section-actions">
          <p class="hw-hint" data-testid="as-of">
            {loaded.loading ? t('updating', { text: asOf }) : asOf}
          </p>
          {canPlan ? (
            <button type="button" class="hw-button hw-button--small" onClick={() => (importing.value = true)}>
              {t('importPlans')}
            </button>
          ) : null}
        </div>
      </div>
      {loaded.error ? (
        <p class="hw-error" role="alert">
          {t('refreshFailed', { error: loaded.error })}
        </p>
      ) : null}
      {current.mismatch ? (
        <p class="hw-note" role="note">
          {t(current.mismatch.difference < 0 ? 'mismatchLess' : 'mismatchMore', {
            unit: t(`unit.${current.unit}`),
            sum: format.money(current.mismatch.managersTotal),
            difference: format.money(Math.abs(current.mismatch.difference)),
            target: format.money(current.mismatch.departmentTarget),
          })}
        </p>
      ) : null}
      <div class="hw-grid-2">
        <article class="hw-card" aria-labelledby="summary-heading">
          <h3 id="summary-heading" class="hw-card-title">
            {focusName}
          </h3>
          <DepartmentSummary
            progress={focus}
            who={ownScope ? user.name : t('theDepartment')}
            ownerId={ownScope ? user.id : undefined}
            format={format}
            onDrill={(target) => (drill.value = target)}
          />
        </article>
        <article class="hw-card" aria-labelledby="burnup-heading">
          <h3 id="burnup-heading" class="hw-card-title">
            {t('burnUp')}
          </h3>
          {series ? (
            <BurnUpChart series={series} target={focus.target} runRateProjection={focus.runRateProjection} actual={focus.actual} format={format} label={t('chartLabel', { scope: focusName, period: periodTitle })} />
          ) : won.state.value.error ? (
            <p class="hw-error" role="alert">
              {t('chartFailed', { error: won.state.value.error })}
            </p>
          ) : (
            <p class="hw-loading" role="status">
              {t('chartLoading')}
            </p>
          )}
          {truncated ? <p class="hw-hint">{t('truncated', { shown: wonData[1].deals.length, total: wonData[1].total })}</p> : null}
        </article>
      </div>
      <article class="hw-card hw-card--flush" aria-labelledby="managers-heading">
        <h3 id="managers-heading" class="hw-card-title hw-card-title--pad">
          {ownScope ? t('yourProgress') : t('managers')} <span class="hw-th-sub">{t('clickAmount')}</span>
        </h3>
        <ManagersTable byUnit={data} selected={unit} format={format} onDrill={(target) => (drill.value = target)} departmentDrill={!ownScope}
          onEditTarget={canPlan ? (edit) => (editing.value = edit) : null}
        />
      </article>
      {editing.value ? (
        <PlanTargetDialog
          edit={editing.value}
          kind={kind}
          onClose={() => (editing.value = null)}
          onSaved={() => {
            progress.reload();
            won.reload();
          }}
        />
      ) : null}
      {importing.value ? (
        <PlanImportDialog
          names={names}
          onClose={() => (importing.value = false)}
          onImported={() => {
            progress.reload();
            won.reload();
          }}
        />
      ) : null}
      {drill.value ? <DealsDrillDown target={drill.value} kind={kind} date={date} names={names} showHistory={canPlan} onClose={() => (drill.value = null)} /> : null}
    </section>
  );
}
