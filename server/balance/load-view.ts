import type {
  Deal, LoadAggregate, LoadResponse, ManagerLoad, ManagerLoadRow, MoveRecord, Reassignment, SuggestedMove, User,
} from '../../core/schema';

export function managerRows(before: readonly ManagerLoad[], managers: readonly User[]): ManagerLoadRow[] {
  const team = new Map(managers.map((m) => [m.id, m.team]));
  return before.map((m) => ({
    id: m.managerId,
    name: m.name,
    team: team.get(m.managerId) ?? null,
    load: m.load,
    capacity: m.capacity,
    utilisation: m.utilisation,
    status: m.status,
    absentUntil: m.absentUntil,
    openDeals: m.openDeals,
    dealsNeedingCover: m.dueInAbsence,
  }));
}

function aggregate(rows: readonly ManagerLoadRow[], scope: LoadAggregate['scope'], team: string | null): LoadAggregate {
  const load = rows.reduce((sum, r) => sum + r.load, 0);
  const capacity = rows.reduce((sum, r) => sum + r.capacity, 0);
  return {
    scope,
    team,
    managers: rows.length,
    load,
    capacity,
    utilisation: capacity > 0 ? load / capacity : load > 0 ? null : 0,
    over: rows.filter((r) => r.status === 'over').length,
    absent: rows.filter((r) => r.status === 'absent').length,
    under: rows.filter((r) => r.status === 'under').length,
  };
}

/** The department, then each team by name (managers without a team last); no names, so anyone may see them. */
export function loadAggregates(rows: readonly ManagerLoadRow[]): LoadAggregate[] {
  const teams = [...new Set(rows.map((r) => r.team))].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  return [aggregate(rows, 'department', null), ...teams.map((t) => aggregate(rows.filter((r) => r.team === t), 'team', t))];
}

/**
 * Suggestions as the dashboard lists them. Left out: deals that already have a pending move elsewhere (deciding
 * that one comes first) and suggestions the head dismissed for the same owner and target (asking again every
 * time would turn the list into noise; a different target or owner is a new question).
 */
export function suggestedMoves(reassignment: Reassignment, stored: ReadonlyMap<string, Deal>, names: ReadonlyMap<string, string>, moves: readonly MoveRecord[]): SuggestedMove[] {
  const pending = new Map(moves.filter((m) => m.status === 'proposed' || m.status === 'approved').map((m) => [m.dealId, m]));
  const dismissed = new Set(moves.filter((m) => m.status === 'dismissed').map((m) => `${m.dealId} ${m.from} ${m.to}`));
  const result: SuggestedMove[] = [];
  for (const move of reassignment.moves) {
    // Tens of thousands of suggestions on a large floor: no lookups or key strings when nothing is recorded.
    const open = pending.size === 0 ? undefined : pending.get(move.dealId);
    if (open && (open.status === 'approved' || open.to !== move.to)) continue;
    if (dismissed.size > 0 && dismissed.has(`${move.dealId} ${move.from} ${move.to}`)) continue;
    const deal = stored.get(move.dealId)!;
    result.push({
      ...move,
      fromName: names.get(move.from) ?? move.from,
      toName: names.get(move.to) ?? move.to,
      deal: { crm: deal.crm, instance: deal.instance, crmId: deal.crmId, recordType: deal.recordType, url: deal.url },
      proposalId: open?.id ?? null,
    });
  }
  return result;
}

/** What each role may see of the full view (see LoadResponse). */
export function visibleLoad(full: LoadResponse, caller: User): LoadResponse {
  if (caller.role === 'head' || caller.role === 'admin') return full;
  if (caller.role === 'exec') return { ...full, shown: 'aggregates', managers: [], moves: [], uncovered: [], proposals: [] };
  const mine = (m: { from: string; to: string }) => m.from === caller.id || m.to === caller.id;
  return {
    ...full,
    shown: 'own',
    managers: full.managers.filter((m) => m.id === caller.id),
    moves: full.moves.filter(mine),
    uncovered: full.uncovered.filter((u) => u.ownerId === caller.id),
    proposals: full.proposals.filter(mine),
  };
}
