import type { Deal } from '../schema';
import { segmentLabel } from './segments';

export function percent(utilisation: number): string {
  return Number.isFinite(utilisation) ? `${Math.round(utilisation * 100)} %` : 'no capacity';
}

function receiverClause(toName: string, toUtilisation: number, deal: Pick<Deal, 'segment'>): string {
  const segment = segmentLabel(deal.segment);
  return `${toName} has room (${percent(toUtilisation)})${segment ? ` and serves ${segment}` : ''}`;
}

/** "Maya is at 140 % of capacity; Tom has room (62 %) and serves EMEA." */
export function rebalanceReason(fromName: string, fromUtilisation: number, toName: string, toUtilisation: number, deal: Pick<Deal, 'segment'>): string {
  const from = Number.isFinite(fromUtilisation)
    ? `${fromName} is at ${percent(fromUtilisation)} of capacity`
    : `${fromName} has deals but no capacity`;
  return `${from}; ${receiverClause(toName, toUtilisation, deal)}.`;
}

/** "Maya is absent until 2026-12-04; Tom has room (62 %) and serves EMEA." */
export function coverReason(fromName: string, absentUntil: string, toName: string, toUtilisation: number, deal: Pick<Deal, 'segment'>): string {
  return `${fromName} is absent until ${absentUntil}; ${receiverClause(toName, toUtilisation, deal)}.`;
}

export function uncoveredReason(fromName: string, deal: Pick<Deal, 'segment'>, anyoneServes: boolean): string {
  const segment = segmentLabel(deal.segment);
  if (!anyoneServes) return `${fromName} is absent and no available manager serves ${segment ?? 'this deal'}.`;
  return `${fromName} is absent and no manager${segment ? ` serving ${segment}` : ''} has room for it under the target.`;
}
