import type { ManagerLoadRow } from '../../core/schema';
import { useFormats, useLocale, useT } from '../locale';
import { loadMessages } from './i18n';
import { loadPercent, statusWords } from './load-words';

/** Each manager's load against capacity; the status is a word as well as a colour. */
export function LoadBars({ managers }: { managers: readonly ManagerLoadRow[] }) {
  const t = useT(loadMessages);
  const locale = useLocale();
  const format = useFormats();
  const units = (value: number) => format.digits(value, 1);
  if (managers.length === 0) return <p class="hw-empty">{t('noManagers')}</p>;
  const scale = Math.max(1.5, ...managers.map((m) => (m.utilisation ?? 0) * 1.05));
  const capacityAt = `${(1 / scale) * 100}%`;
  return (
    <table class="hw-table hw-table--load" data-testid="load-table">
      <caption class="hw-sr-only">{t('managersCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('colManager')}</th>
          <th scope="col">{t('colStatus')}</th>
          <th scope="col" class="hw-load-col">
            {t('colLoad')} <span class="hw-th-sub">{t('capacityMark')}</span>
          </th>
          <th scope="col" class="hw-num">
            {t('colUsed')}
          </th>
          <th scope="col" class="hw-num">
            {t('colOpenDeals')}
          </th>
        </tr>
      </thead>
      <tbody>
        {managers.map((m) => {
          const width = m.status === 'absent' ? 100 : Math.min(100, ((m.utilisation ?? 0) / scale) * 100);
          return (
            <tr key={m.id} data-manager-id={m.id} data-status={m.status}>
              <th scope="row">{m.name}</th>
              <td>
                <span class={`hw-chip hw-chip--${m.status}`} data-testid="load-status">
                  {statusWords(m, locale)}
                </span>
              </td>
              <td class="hw-load-col">
                <span class="hw-bar" aria-hidden="true">
                  <span class={`hw-bar-fill hw-bar-fill--${m.status}`} style={{ width: `${width}%` }} />
                  <span class="hw-bar-capacity" style={{ left: capacityAt }} />
                </span>
              </td>
              <td class="hw-num">
                {loadPercent(m.utilisation, locale)}
                <span class="hw-cell-sub">{t('unitsOf', { load: units(m.load), capacity: units(m.capacity) })}</span>
              </td>
              <td class="hw-num">
                {m.openDeals}
                {m.dealsNeedingCover > 0 ? <span class="hw-cell-sub">{t('needCover', { count: m.dealsNeedingCover })}</span> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

