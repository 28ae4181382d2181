import type { LoadAggregate } from '../../core/schema';
import { useLocale, useT } from '../locale';
import { loadMessages } from './i18n';
import { loadPercent } from './load-words';

/** Load per team without names: what an exec may see of the floor (see LoadShown). */
export function TeamLoad({ aggregates }: { aggregates: readonly LoadAggregate[] }) {
  const t = useT(loadMessages);
  const locale = useLocale();
  const teams = aggregates.filter((a) => a.scope === 'team');
  if (teams.length === 0) return <p class="hw-empty">{t('noTeams')}</p>;
  return (
    <table class="hw-table" data-testid="team-load-table">
      <caption class="hw-sr-only">{t('teamsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('colTeam')}</th>
          <th scope="col" class="hw-num">{t('colManagers')}</th>
          <th scope="col" class="hw-num">{t('colUsed')}</th>
          <th scope="col" class="hw-num">{t('colOver')}</th>
          <th scope="col" class="hw-num">{t('colAbsent')}</th>
        </tr>
      </thead>
      <tbody>
        {teams.map((team) => (
          <tr key={team.team ?? ''} data-team={team.team ?? ''}>
            <th scope="row">{team.team ?? t('noTeam')}</th>
            <td class="hw-num">{team.managers}</td>
            <td class="hw-num">{loadPercent(team.utilisation, locale)}</td>
            <td class="hw-num">{team.over}</td>
            <td class="hw-num">{team.absent}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
