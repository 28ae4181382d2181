import type { BalanceState, Move, Reassignment, UncoveredDeal } from '../schema';
import { buildLoadModel, type LoadedDeal, rebalanceOrder, utilisationOf } from './model';
import { coverQueue, finish, recordMove, rolesOf } from './reassign';
import { uncoveredReason } from './reasons';
import { segmentKey } from './segments';

/**
 * The obvious way to do what suggestReassignments does, kept as the benchmark's baseline and the tests' oracle:
 * for every move, scan all managers for the most loaded donor, walk its deals for the best one left, and scan all
 * managers again for the receiver. Same rules and tie-breaks, so both must produce the same moves; this one costs
 * O(moves × (managers + deals per donor × managers)).
 */
export function naiveReassign(state: BalanceState): Reassignment {
  const model = buildLoadModel(state);
  const { donor, receiver } = rolesOf(model);
  const load = [...model.load];
  const n = model.managers.length;

  const takerFor = (d: LoadedDeal): number | null => {
    const key = segmentKey(d.deal.segment);
    let best: number | null = null;
    for (let i = 0; i < n; i++) {
      if (!receiver[i] || !model.served[i]!.has(key)) continue;
      const room = model.limit[i]! - load[i]!;
      if (room < d.weight) continue;
      if (best === null || room > model.limit[best]! - load[best]!) best = i;
    }
    return best;
  };

  const moves: Move[] = [];
  const uncovered: UncoveredDeal[] = [];
  for (const d of coverQueue(model)) {
    const to = takerFor(d);
    if (to !== null) moves.push(recordMove(model, load, d, d.owner, to, 'cover'));
    else {
      const owner = model.managers[d.owner]!;
      const anyoneServes = model.managers.some((_, i) => receiver[i] && model.served[i]!.has(segmentKey(d.deal.segment)));
      uncovered.push({ dealId: d.deal.id, ownerId: owner.id, reason: uncoveredReason(owner.name, d.deal, anyoneServes) });
    }
  }

  const tried = model.dealsOf.map(() => new Set<string>());
  const moved = new Set<string>();
  const active = [...donor];
  for (;;) {
    let from = -1;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      if (from === -1 || utilisationOf(load[i]!, model.capacity[i]!) > utilisationOf(load[from]!, model.capacity[from]!)) from = i;
    }
    if (from === -1) break;
    let best: LoadedDeal | null = null;
    for (const d of model.dealsOf[from]!) {
      if (d.weight === 0 || tried[from]!.has(d.deal.id) || moved.has(d.deal.id)) continue;
      if (best === null || rebalanceOrder(d, best) < 0) best = d;
    }
    if (best === null) {
      active[from] = false;
      continue;
    }
    tried[from]!.add(best.deal.id);
    const to = takerFor(best);
    if (to === null) continue;
    moves.push(recordMove(model, load, best, from, to, 'rebalance'));
    moved.add(best.deal.id);
    if (load[from]! <= model.limit[from]!) active[from] = false;
  }
  return finish(model, load, moves, uncovered);
}
