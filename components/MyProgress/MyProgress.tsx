import type { SidebarInsight } from '../../extension/messages';
import { useFormats, useT } from '../locale';
import { progressMessages } from '../../extension/plan/i18n';

/** Compact plan bars: attainment filled, a tick where the plan expects to be by today. Details in the tooltip. */
export function MyProgress({ progress }: { progress: NonNullable<SidebarInsight['progress']> }) {
  const t = useT(progressMessages);
  const { percent } = useFormats();
  return (
    <section class="hw-section" data-testid="my-progress">
      <p class="hw-eyebrow" data-testid="progress-plan">
        {progress.scope} · {t(progress.kind === 'purchase' ? 'purchases' : 'sales')}
      </p>
      {progress.bars.map((bar) => (
        <div class="hw-bar-row" key={bar.label} title={bar.detail} aria-label={t('barLabel', { period: bar.label, percent: percent(bar.pct), detail: bar.detail })} data-testid="progress-bar">
          <span class="hw-bar-label">{bar.label}</span>
          <span class="hw-bar" aria-hidden="true">
            <span class={`hw-bar-fill${bar.ahead ? '' : ' hw-behind'}`} style={{ width: `${Math.min(bar.pct, 100)}%` }} />
            <span class="hw-pace" style={{ left: `${Math.min(bar.pacePct, 100)}%` }} />
          </span>
          <span class={`hw-bar-pct${bar.ahead ? '' : ' hw-behind'}`}>{percent(bar.pct)}</span>
        </div>
      ))}
    </section>
  );
}
