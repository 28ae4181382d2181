import type { LoadStatus, ManagerLoadRow } from '../../core/schema';

export function statusWords(row: Pick<ManagerLoadRow, 'status' | 'absentUntil'>, formatDate: (iso: string) => string): string {
  const words: Record<LoadStatus, string> = { over: 'Over capacity', ok: 'Balanced', under: 'Has room', absent: 'Absent' };
  return row.status === 'absent' && row.absentUntil ? `Absent until ${formatDate(row.absentUntil).replace(/,? \d{4}$/, '')}` : words[row.status];
}

const pct = (value: number) => `${Math.round(value * 100)} %`;

/** Each manager's load against capacity; the status is a word as well as a colour. */
export function LoadBars({ managers, formatDate }: { managers: readonly ManagerLoadRow[]; formatDate: (iso: string) => string }) {
  if (managers.length === 0) return <p class="hw-empty">No managers to show.</p>;
  const scale = Math.max(1.5, ...managers.map((m) => (m.utilisation ?? 0) * 1.05));
  const capacityAt = `${(1 / scale) * 100}%`;
  return (
    <table class="hw-table hw-table--load" data-testid="load-table">
      <caption class="hw-sr-only">Load against capacity per manager, today</caption>
      <thead>
        <tr>
          <th scope="col">Manager</th>
          <th scope="col">Status</th>
          <th scope="col" class="hw-load-col">
            Load <span class="hw-th-sub">| = capacity</span>
          </th>
          <th scope="col" class="hw-num">
            Used
          </th>
          <th scope="col" class="hw-num">
            Open deals
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
                  {statusWords(m, formatDate)}
                </span>
              </td>
              <td class="hw-load-col">
                <span class="hw-bar" aria-hidden="true">
                  <span class={`hw-bar-fill hw-bar-fill--${m.status}`} style={{ width: `${width}%` }} />
                  <span class="hw-bar-capacity" style={{ left: capacityAt }} />
                </span>
              </td>
              <td class="hw-num">
                {m.utilisation === null ? '—' : pct(m.utilisation)}
                <span class="hw-cell-sub">
                  {formatUnits(m.load)} of {formatUnits(m.capacity)} units
                </span>
              </td>
              <td class="hw-num">
                {m.openDeals}
                {m.dealsNeedingCover > 0 ? <span class="hw-cell-sub">{m.dealsNeedingCover} need cover</span> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function formatUnits(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
