import type { User } from '../../core/schema';
import { routes } from '../../core/api/routes';
import { formatsFor, periodLabel } from '../Dashboard/format';
import { useLocale, useT } from '../locale';
import { planMessages } from './i18n';
import { readServer } from '../Dashboard/server';
import { useServerRead } from '../Dashboard/useServerRead';
import '../Dashboard/dashboard.css';
import { UNITS } from './ManagersTable';
import { PaceBadge } from './PaceBadge';

/** One line per period in the popup: attainment and pace, own figures for a manager, the department's otherwise. */
export function PopupProgress({ user }: { user: User }) {
  const t = useT(planMessages);
  const locale = useLocale();
  const { state } = useServerRead(() => Promise.all(UNITS.map((period) => readServer(routes.progress, { period, kind: 'sale' }))), [user.id]);
  const loaded = state.value;
  const own = user.role === 'manager';
  if (loaded.error) {
    return (
      <p class="hw-error hw-popup-scope" role="alert">
        {t('loadFailed', { error: loaded.error })}
      </p>
    );
  }
  if (!loaded.data) {
    return (
      <p class="hw-popup-scope" role="status">
        {t('loading')}
      </p>
    );
  }
  return (
    <>
      <p class="hw-popup-scope">{own ? t('popupOwn') : t('popupDepartment')}</p>
      <ul class="hw-popup-progress" data-testid="popup-progress">
        {loaded.data.map((answer, index) => {
          const unit = UNITS[index]!;
          const row = own ? (answer.managers.find((m) => m.ownerId === user.id) ?? null) : answer.department;
          const format = formatsFor(row?.currency ?? answer.reportingCurrency, locale);
          return (
            <li key={unit} data-unit={unit}>
              <span class="hw-popup-period">{periodLabel(unit, locale)}</span>
              <span class="hw-popup-pct" data-testid={`popup-attainment-${unit}`}>
                {row ? format.percent(row.attainmentPct) : '—'}
              </span>
              <PaceBadge aheadBy={row?.aheadBy ?? 0} format={format} planned={row?.planned ?? false} />
            </li>
          );
        })}
      </ul>
    </>
  );
}
