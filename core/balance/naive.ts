import type { BalanceState, Move, Reassignment, UncoveredDeal } from '../schema';
import { buildLoadModel, dealsOf, rebalanceOrder, utilisationOf } from './model';
import { MoveLog } from './move-log';
import { coverQueue, finish, rolesOf } from './reassign';
import { reasonWords } from './reasons';

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

  const takerFor = (d: number): number | null => {
    const key = model.keys[model.segmentOf(d)]!;
    const weight = model.weight[d]!;
    let best: number | null = null;
    for (let i = 0; i < n; i++) {
      if (!receiver[i] || !model.served[i]!.has(key)) continue;
      const room = model.limit[i]! - load[i]!;
      if (room < weight) continue;
      if (best === null || room > model.limit[best]! - load[best]!) best = i;
    }
    return best;
  };

  const log = new MoveLog(model);
  const uncovered: UncoveredDeal[] = [];
  for (const d of coverQueue(model)) {
    const to = takerFor(d);
    if (to !== null) log.record(load, d, model.owner[d]!, to, 'cover');
    else {
      const owner = model.managers[model.owner[d]!]!;
      const anyoneServes = model.managers.some((_, i) => receiver[i] && model.served[i]!.has(model.keys[model.segmentOf(d)]!));
      uncovered.push({ dealId: model.deals[d]!.id, ownerId: owner.id, reason: reasonWords(model.locale).uncoveredReason(owner.name, model.labels[model.segmentOf(d)]!, anyoneServes) });
    }
  }

  const tried = model.managers.map(() => new Set<number>());
  const moved = new Set<number>();
  const order = rebalanceOrder(model);
  const active = [...donor];
  for (;;) {
    let from = -1;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      if (from === -1 || utilisationOf(load[i]!, model.capacity[i]!) > utilisationOf(load[from]!, model.capacity[from]!)) from = i;
    }
    if (from === -1) break;
    let best: number | null = null;
    for (const d of dealsOf(model, from)) {
      if (model.weight[d] === 0 || tried[from]!.has(d) || moved.has(d)) continue;
      if (best === null || order(d, best) < 0) best = d;
    }
    if (best === null) {
      active[from] = false;
      continue;
    }
    tried[from]!.add(best);
    const to = takerFor(best);
    if (to === null) continue;
    log.record(load, best, from, to, 'rebalance');
    moved.add(best);
    if (load[from]! <= model.limit[from]!) active[from] = false;
  }
  return finish(model, load, log, uncovered);
}
