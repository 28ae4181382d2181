import type { SidebarInsight } from '../../extension/messages';
import { useT } from '../locale';
import { ownerLoadMessages } from '../../extension/load/i18n';

/**
 * On a deal page: who owns it as Headway knows them and how loaded they are, who should take it over and why,
 * an approved move still to be made in the CRM, and what winning it does to this month's plan.
 */
export function OwnerLoad({ insight }: { insight: SidebarInsight }) {
  const { owner, suggestion, move, ifWon } = insight;
  const t = useT(ownerLoadMessages);
  if (!owner && !suggestion && !move && !ifWon) return null;
  return (
    <section class="hw-section hw-owner" data-testid="owner-load">
      <p class="hw-eyebrow">{t('heading')}</p>
      {owner ? (
        <p class={`hw-line hw-tone--${owner.tone}`} data-testid="owner-line">
          <span class="hw-dot" aria-hidden="true" />
          {owner.text}
        </p>
      ) : null}
      {move ? <p class="hw-callout" data-testid="owner-move">{move}</p> : null}
      {suggestion ? (
        <p class="hw-suggest" data-testid="owner-suggestion">
          <strong>
            {suggestion.label}: {suggestion.name}
          </strong>
          <span>{suggestion.reason}</span>
        </p>
      ) : null}
      {ifWon ? <p class="hw-ifwon" data-testid="if-won">{ifWon}</p> : null}
    </section>
  );
}
