/*
 * One plain sentence per suggestion. Each takes the segment already turned into its label (segmentLabel), which
 * the load model computes once per distinct segment rather than once per move.
 */

export function percent(utilisation: number): string {
  return Number.isFinite(utilisation) ? `${Math.round(utilisation * 100)} %` : 'no capacity';
}

function receiverClause(toName: string, toUtilisation: number, segment: string | null): string {
  return `${toName} has room (${percent(toUtilisation)})${segment ? ` and serves ${segment}` : ''}`;
}

/** "Maya is at 140 % of capacity; Tom has room (62 %) and serves EMEA." */
export function rebalanceReason(fromName: string, fromUtilisation: number, toName: string, toUtilisation: number, segment: string | null): string {
  const from = Number.isFinite(fromUtilisation)
    ? `${fromName} is at ${percent(fromUtilisation)} of capacity`
    : `${fromName} has deals but no capacity`;
  return `${from}; ${receiverClause(toName, toUtilisation, segment)}.`;
}

/** "Maya is absent until 2026-12-04; Tom has room (62 %) and serves EMEA." */
export function coverReason(fromName: string, absentUntil: string, toName: string, toUtilisation: number, segment: string | null): string {
  return `${fromName} is absent until ${absentUntil}; ${receiverClause(toName, toUtilisation, segment)}.`;
}

export function uncoveredReason(fromName: string, segment: string | null, anyoneServes: boolean): string {
  if (!anyoneServes) return `${fromName} is absent and no available manager serves ${segment ?? 'this deal'}.`;
  return `${fromName} is absent and no manager${segment ? ` serving ${segment}` : ''} has room for it under the target.`;
}
