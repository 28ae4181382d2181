import type { LoadAggregate } from '../../core/schema';

const pct = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)} %`);

/** Load per team without names: what an exec may see of the floor (see LoadShown). */
export function TeamLoad({ aggregates }: { aggregates: readonly LoadAggregate[] }) {
  const teams = aggregates.filter((a) => a.scope === 'team');
  if (teams.length === 0) return <p class="hw-empty">No teams with managers yet.</p>;
  return (
    <table class="hw-table" data-testid="team-load-table">
      <caption class="hw-sr-only">Load against capacity per team, today</caption>
      <thead>
        <tr>
          <th scope="col">Team</th>
          <th scope="col" class="hw-num">Managers</th>
          <th scope="col" class="hw-num">Used</th>
          <th scope="col" class="hw-num">Over capacity</th>
          <th scope="col" class="hw-num">Absent</th>
        </tr>
      </thead>
      <tbody>
        {teams.map((team) => (
          <tr key={team.team ?? ''} data-team={team.team ?? ''}>
            <th scope="row">{team.team ?? 'No team'}</th>
            <td class="hw-num">{team.managers}</td>
            <td class="hw-num">{pct(team.utilisation)}</td>
            <td class="hw-num">{team.over}</td>
            <td class="hw-num">{team.absent}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
