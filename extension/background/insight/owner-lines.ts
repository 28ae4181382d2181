import { formatsOf, translator, type Locale, type Translate } from '../../../core/i18n';
import type { DealLoadResponse, ManagerLoadRow } from '../../../core/schema';
import type { SidebarInsight } from '../../messages';
import { ownerLoadMessages } from '../../load/i18n';

/** Runs in the background: the words the sidebar shows about a deal's owner, from GET /api/load/deal/…. */

function ownerLine(owner: ManagerLoadRow, t: Translate<typeof ownerLoadMessages.en>, locale: Locale): NonNullable<SidebarInsight['owner']> {
  if (owner.status === 'absent') {
    return { text: owner.absentUntil ? t('awayUntil', { name: owner.name, date: formatsOf(locale).dayMonth(owner.absentUntil) }) : t('away', { name: owner.name }), tone: 'absent' };
  }
  // A status line, not a sentence: name, load and state side by side, as the sidebar lists them.
  const load = owner.utilisation === null ? t('noCapacity') : t('loadPct', { percent: formatsOf(locale).percent(owner.utilisation * 100) });
  const state = owner.status === 'over' ? t('over') : owner.status === 'under' ? t('under') : null;
  return { text: [owner.name, load, ...(state ? [state] : [])].join(' · '), tone: owner.status };
}

const suggestionLabels = { cover: 'cover', rebalance: 'suggested', assign: 'suggested' } as const;

/**
 * The owner as Headway knows them, never guessed: a CRM owner that maps to no Headway user is said to be so by
 * the label the CRM shows. An owner Headway knows but this user may not see the load of gets no line.
 */
export function ownerInsight(load: DealLoadResponse | null, ownerLabel: string | undefined, locale: Locale = 'en'): Pick<SidebarInsight, 'owner' | 'suggestion' | 'move'> {
  if (!load) return { owner: null, suggestion: null, move: null };
  const t = translator(ownerLoadMessages, locale);
  let owner: SidebarInsight['owner'] = null;
  if (load.owner) owner = ownerLine(load.owner, t, locale);
  else if (load.deal.ownerId === null) {
    owner = ownerLabel ? { text: t('notLinked', { label: ownerLabel }), tone: 'muted' } : { text: t('noOwner'), tone: 'muted' };
  }
  const { suggestion, move } = load;
  return {
    owner,
    suggestion: suggestion && !move ? { label: t(suggestionLabels[suggestion.why]), name: suggestion.name, reason: suggestion.reason } : null,
    move: !move ? null : t(move.status === 'approved' ? 'moving' : 'proposed', { name: move.toName }),
  };
}
