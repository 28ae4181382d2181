import { Fragment } from 'preact';
import type { PeriodUnit, ProgressResponse, ScopeProgress } from '../../core/schema';
import { periodLabel, periodName, type Formats } from '../Dashboard/format';
import { dashboardMessages } from '../Dashboard/i18n';
import { useLocale, useT } from '../locale';
import { planMessages } from './i18n';
import { PaceBadge } from './PaceBadge';
import type { TargetEdit } from './PlanTargetDialog';
import type { DrillTarget } from './types';

export const UNITS: readonly PeriodUnit[] = ['month', 'quarter', 'year'];

function Cells({ row, unit, selected, format, onDrill, who, ownerId, onEditTarget }: {
  row: ScopeProgress | undefined;
  unit: PeriodUnit;
  selected: boolean;
  format: Formats;
  onDrill: ((target: DrillTarget) => void) | null;
  who: string;
  ownerId?: string;
  /** Head and admin: set this scope's target for this period. */
  onEditTarget: ((edit: TargetEdit) => void) | null;
}) {
  const t = useT(planMessages);
  const unitWord = t(`unit.${unit}`);
  const noPlan = useT(dashboardMessages)('noPlan');
  const cls = (extra: string) => `hw-num ${extra}${selected ? ' is-selected' : ''}`;
  if (!row) {
    return (
      <td class={cls('hw-group-start')} colSpan={4}>
        —
      </td>
    );
  }
  const bar = row.attainmentPct === null ? 0 : Math.min(100, row.attainmentPct);
  return (
    <>
      <td class={cls('hw-group-start')} data-testid={`actual-${unit}`} data-value={row.actual}>
        {onDrill ? (
          <button
            type="button"
            class="hw-link-button"
            aria-label={t('drillLabel', { amount: format.money(row.actual), who, unit: unitWord })}
            onClick={() => onDrill({ ownerId, who, unit, status: 'won', what: t('wonThis', { unit: unitWord }) })}
          >
            {format.money(row.actual)}
          </button>
        ) : (
          format.money(row.actual)
        )}
      </td>
      <td class={cls('')} data-testid={`target-${unit}`} data-value={row.target}>
        <span class={`hw-target-figure${row.planned ? '' : ' hw-muted'}`}>{row.planned ? format.money(row.target) : noPlan}</span>
        {onEditTarget && selected ? (
          <button
            type="button"
            class="hw-icon-button"
            aria-label={t('setTarget', { unit: unitWord, who })}
            onClick={() => onEditTarget({ ownerId: ownerId ?? null, who, unit, progress: row })}
          >
            <span aria-hidden="true">✎</span>
          </button>
        ) : null}
      </td>
      <td class={cls('')} data-testid={`attainment-${unit}`} data-value={row.attainmentPct ?? ''}>
        {format.percent(row.attainmentPct)}
        {row.planned ? (
          <span class="hw-minibar" aria-hidden="true">
            <span style={{ width: `${bar}%` }} />
          </span>
        ) : null}
      </td>
      <td class={cls('hw-pace-cell')} data-testid={`pace-${unit}`} data-value={row.aheadBy}>
        <PaceBadge aheadBy={row.aheadBy} format={format} planned={row.planned} />
      </td>
    </>
  );
}

/** Managers × month / quarter / year: actual, target, attainment and pace; each actual opens its deals. */
export function ManagersTable({
  byUnit,
  selected,
  format,
  onDrill,
  departmentDrill,
  onEditTarget,
}: {
  byUnit: Record<PeriodUnit, ProgressResponse>;
  selected: PeriodUnit;
  format: Formats;
  onDrill: (target: DrillTarget) => void;
  /** False for a manager: the server lists only their own deals, not the department's. */
  departmentDrill: boolean;
  onEditTarget: ((edit: TargetEdit) => void) | null;
}) {
  const t = useT(planMessages);
  const locale = useLocale();
  const ids = byUnit.month.managers.map((m) => m.ownerId ?? '');
  for (const unit of UNITS) for (const m of byUnit[unit].managers) if (m.ownerId && !ids.includes(m.ownerId)) ids.push(m.ownerId);
  const rows = ids.map((id) => {
    const find = (unit: PeriodUnit) => byUnit[unit].managers.find((m) => m.ownerId === id);
    const name = (find('month') ?? find('quarter') ?? find('year'))?.name ?? id;
    return { id, name, find };
  });
  rows.sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div class="hw-table-wrap">
      <table class="hw-table" data-testid="progress-table">
        <caption class="hw-sr-only">{t('tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2} class="hw-th-name">
              {t('manager')}
            </th>
            {UNITS.map((unit) => (
              <th key={unit} scope="colgroup" colSpan={4} class={`hw-group-start hw-th-group${unit === selected ? ' is-selected' : ''}`}>
                {periodLabel(unit, locale)} <span class="hw-th-sub">{periodName(unit, byUnit[unit].period, locale)}</span>
              </th>
            ))}
          </tr>
          <tr>
            {UNITS.map((unit) => (
              <Fragment key={unit}>
                <th key={`${unit}-a`} scope="col" class={`hw-num hw-group-start${unit === selected ? ' is-selected' : ''}`}>{t('won')}</th>
                <th key={`${unit}-t`} scope="col" class={`hw-num${unit === selected ? ' is-selected' : ''}`}>{t('target')}</th>
                <th key={`${unit}-p`} scope="col" class={`hw-num${unit === selected ? ' is-selected' : ''}`}>{t('attained')}</th>
                <th key={`${unit}-c`} scope="col" class={`hw-num${unit === selected ? ' is-selected' : ''}`}>{t('pace')}</th>
              </Fragment>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-manager-id={row.id}>
              <th scope="row" class="hw-th-name">
                {row.name}
              </th>
              {UNITS.map((unit) => (
                <Cells key={unit} row={row.find(unit)} unit={unit} selected={unit === selected} format={format} onDrill={onDrill} who={row.name} ownerId={row.id} onEditTarget={onEditTarget} />
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-manager-id="department">
            <th scope="row" class="hw-th-name">
              {t('department')}
            </th>
            {UNITS.map((unit) => (
              <Cells key={unit} row={byUnit[unit].department} unit={unit} selected={unit === selected} format={format} onDrill={departmentDrill ? onDrill : null} who={t('theDepartment')} onEditTarget={onEditTarget} />
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
