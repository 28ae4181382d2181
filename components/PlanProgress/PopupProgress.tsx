import type { User } from '../../core/schema';
import { formatsFor, periodLabels } from '../Dashboard/format';
import { readServer } from '../Dashboard/server';
import { useServerRead } from '../Dashboard/useServerRead';
import '../Dashboard/dashboard.css';
import { UNITS } from './ManagersTable';
import { PaceBadge } from './PaceBadge';

/** One line per period in the popup: attainment and pace, own figures for a manager, the department's otherwise. */
export function PopupProgress({ user }: { user: User }) {
  const { state } = useServerRead(() => Promise.all(UNITS.map((period) => readServer('/api/progress', { period, kind: 'sale' }))), [user.id]);
  const loaded = state.value;
  const own = user.role === 'manager';
  if (loaded.error) {
    return (
      <p class="hw-error hw-popup-scope" role="alert">
        Plan progress could not be loaded: {loaded.error}
      </p>
    );
  }
  if (!loaded.data) {
    return (
      <p class="hw-popup-scope" role="status">
        Loading plan progress…
      </p>
    );
  }
  return (
    <>
      <p class="hw-popup-scope">{own ? 'Your sales plan' : 'Department sales plan'}</p>
      <ul class="hw-popup-progress" data-testid="popup-progress">
        {loaded.data.map((answer, index) => {
          const unit = UNITS[index]!;
          const row = own ? (answer.managers.find((m) => m.ownerId === user.id) ?? null) : answer.department;
          const format = formatsFor(row?.currency ?? answer.reportingCurrency);
          return (
            <li key={unit} data-unit={unit}>
              <span class="hw-popup-period">{periodLabels[unit]}</span>
              <span class="hw-popup-pct" data-testid={`popup-attainment-${unit}`}>
                {row ? format.percent(row.attainmentPct) : '—'}
              </span>
              {row ? <PaceBadge aheadBy={row.aheadBy} format={format} planned={row.planned} /> : <span class="hw-pace hw-pace--none">no plan</span>}
            </li>
          );
        })}
      </ul>
    </>
  );
}
