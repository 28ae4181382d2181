import { formatDay } from '../format/date-time';
/*
 * One plain sentence per suggestion, made of two clauses: who gives and why ("Maya is at 140 % of capacity; "),
 * and who takes ("Tom has room (62 %) and serves EMEA."). Each takes the segment already turned into its label
 * (segmentLabel), which the load model computes once per distinct segment rather than once per move.
 * A large department gets tens of thousands of these at once, all kept until the answer is sent. Consecutive moves
 * mostly repeat a clause (a donor's rounded percentage changes every few moves), so MoveLog keeps the last clause
 * of each manager and a reason is then two shared flat strings joined, not a fresh copy of the whole sentence.
 * Clauses are built with join, which makes one flat string, where `+` and template literals leave a tree of
 * partial strings. Percent labels up to 1000 % are made once.
 */

const percentLabels: string[] = [];

export function percent(utilisation: number): string {
  if (!Number.isFinite(utilisation)) return 'no capacity';
  const rounded = Math.round(utilisation * 100);
  if (rounded < 0 || rounded > 1000) return `${rounded} %`;
  return (percentLabels[rounded] ??= `${rounded} %`);
}

/** "Maya is at 140 % of capacity; ", or "Maya has deals but no capacity; ". */
export function donorClause(fromName: string, fromUtilisation: number): string {
  return Number.isFinite(fromUtilisation) ? `${fromName} is at ${percent(fromUtilisation)} of capacity; ` : `${fromName} has deals but no capacity; `;
}

/** "Maya is absent until 4 Dec 2026; " */
export function absenceClause(fromName: string, absentUntil: string): string {
  return `${fromName} is absent until ${formatDay(absentUntil)}; `;
}

/** "Tom has room (62 %) and serves EMEA." */
export function receiverClause(toName: string, toUtilisation: number, segment: string | null): string {
  return segment ? `${toName} has room (${percent(toUtilisation)}) and serves ${segment}.` : `${toName} has room (${percent(toUtilisation)}).`;
}

/** "Maya is at 140 % of capacity; Tom has room (62 %) and serves EMEA." */
export function rebalanceReason(fromName: string, fromUtilisation: number, toName: string, toUtilisation: number, segment: string | null): string {
  return donorClause(fromName, fromUtilisation) + receiverClause(toName, toUtilisation, segment);
}

/** "Maya is absent until 4 Dec 2026; Tom has room (62 %) and serves EMEA." */
export function coverReason(fromName: string, absentUntil: string, toName: string, toUtilisation: number, segment: string | null): string {
  return absenceClause(fromName, absentUntil) + receiverClause(toName, toUtilisation, segment);
}

export function uncoveredReason(fromName: string, segment: string | null, anyoneServes: boolean): string {
  if (!anyoneServes) return `${fromName} is absent and no available manager serves ${segment ?? 'this deal'}.`;
  return `${fromName} is absent and no manager${segment ? ` serving ${segment}` : ''} has room for it under the target.`;
}

/** Appended to a suggestion whose deal had no rate for its amount tier: " Its amount is in JPY, which has no rate to EUR, so it weighs its stage only." */
export function noRateNote(currency: string, reportingCurrency: string | null): string {
  return reportingCurrency === null
    ? ` Its amount is in ${currency} and no reporting currency is set, so it weighs its stage only.`
    : ` Its amount is in ${currency}, which has no rate to ${reportingCurrency}, so it weighs its stage only.`;
}
