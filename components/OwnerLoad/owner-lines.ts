import { formatDayMonth } from '../../core/format/date-time';
import type { DealLoadResponse, ManagerLoadRow } from '../../core/schema';
import type { SidebarInsight } from '../../extension/messages';

/** Runs in the background: the words the sidebar shows about a deal's owner, from GET /api/load/deal/…. */

function ownerLine(owner: ManagerLoadRow): NonNullable<SidebarInsight['owner']> {
  if (owner.status === 'absent') {
    return { text: `${owner.name} · away${owner.absentUntil ? ` until ${formatDayMonth(owner.absentUntil)}` : ''}`, tone: 'absent' };
  }
  const load = owner.utilisation === null ? 'no capacity set' : `${Math.round(owner.utilisation * 100)} % of capacity`;
  const word = owner.status === 'over' ? ' · over' : owner.status === 'under' ? ' · has room' : '';
  return { text: `${owner.name} · ${load}${word}`, tone: owner.status };
}

const suggestionLabels = { cover: 'Cover while away', rebalance: 'Suggested owner', assign: 'Suggested owner' } as const;

/**
 * The owner as Headway knows them, never guessed: a CRM owner that maps to no Headway user is said to be so by
 * the label the CRM shows. An owner Headway knows but this user may not see the load of gets no line.
 */
export function ownerInsight(load: DealLoadResponse | null, ownerLabel: string | undefined): Pick<SidebarInsight, 'owner' | 'suggestion' | 'move'> {
  if (!load) return { owner: null, suggestion: null, move: null };
  let owner: SidebarInsight['owner'] = null;
  if (load.owner) owner = ownerLine(load.owner);
  else if (load.deal.ownerId === null) {
    owner = ownerLabel
      ? { text: `Owner “${ownerLabel}” is not linked to a Headway user`, tone: 'muted' }
      : { text: 'No owner in the CRM yet', tone: 'muted' };
  }
  const { suggestion, move } = load;
  return {
    owner,
    suggestion: suggestion && !move ? { label: suggestionLabels[suggestion.why], name: suggestion.name, reason: suggestion.reason } : null,
    move: !move
      ? null
      : move.status === 'approved'
        ? `Moving to ${move.toName} — change the owner in the CRM`
        : `Move to ${move.toName} proposed — waiting for the head of sales`,
  };
}
