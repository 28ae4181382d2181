import { paceWords, type Formats } from '../Dashboard/format';
import { dashboardMessages } from '../Dashboard/i18n';
import { useT } from '../locale';

/** Ahead / behind pace, with an arrow and words, so it reads without colour. */
export function PaceBadge({ aheadBy, format, planned = true }: { aheadBy: number; format: Formats; planned?: boolean }) {
  const t = useT(dashboardMessages);
  if (!planned) return <span class="hw-pace hw-pace--none">{t('noPlan')}</span>;
  const pace = paceWords(aheadBy, format);
  const arrow = pace.tone === 'ahead' ? '▲' : pace.tone === 'behind' ? '▼' : '•';
  return (
    <span class={`hw-pace hw-pace--${pace.tone}`}>
      <span aria-hidden="true">{arrow}</span> {pace.text}
    </span>
  );
}
