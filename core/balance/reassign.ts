import type { BalanceState, Move, Reassignment, UncoveredDeal } from '../schema';
import { Heap } from './heap';
import {
  buildLoadModel,
  coverOrder,
  type LoadedDeal,
  type LoadModel,
  managerLoads,
  MILLI,
  rebalanceOrder,
  reportedUtilisation,
  utilisationOf,
} from './model';
import { coverReason, rebalanceReason, uncoveredReason } from './reasons';
import { segmentKey } from './segments';

/*
 * Who may give and who may take, decided once from today's loads:
 *  - absent managers give all their open deals (cover);
 *  - managers over the `overAbove` threshold give deals until they are at or under the target utilisation;
 *  - everyone else who is present, has capacity and is at or under the target may take deals, but never beyond it.
 * A donor never receives and a receiver never donates, so deals cannot ping-pong, and since receivers only fill
 * up, a deal nobody can take now cannot be taken later either — each deal is considered at most once.
 */
export interface Roles {
  donor: boolean[];
  receiver: boolean[];
}

export function rolesOf(model: LoadModel): Roles {
  const donor = model.managers.map((_, i) => model.absentUntil[i] === null && model.load[i]! > model.overLimit[i]!);
  const receiver = model.managers.map(
    (_, i) => model.absentUntil[i] === null && !donor[i] && model.capacity[i]! > 0 && model.load[i]! <= model.limit[i]!,
  );
  return { donor, receiver };
}

/** A move in the model's terms; turned into the public Move with reasons and utilisations. */
export function recordMove(model: LoadModel, load: number[], d: LoadedDeal, from: number, to: number, why: Move['why']): Move {
  const fromBefore = utilisationOf(load[from]!, model.capacity[from]!);
  const toBefore = utilisationOf(load[to]!, model.capacity[to]!);
  const fromBeforeReported = reportedUtilisation(load[from]!, model.capacity[from]!);
  load[from]! -= d.weight;
  load[to]! += d.weight;
  const fromName = model.managers[from]!.name;
  const toName = model.managers[to]!.name;
  return {
    dealId: d.deal.id,
    dealTitle: d.deal.title,
    why,
    from: model.managers[from]!.id,
    to: model.managers[to]!.id,
    weight: d.weight / MILLI,
    reason:
      why === 'cover'
        ? coverReason(fromName, model.absentUntil[from]!, toName, toBefore, d.deal)
        : rebalanceReason(fromName, fromBefore, toName, toBefore, d.deal),
    fromBefore: fromBeforeReported,
    fromAfter: reportedUtilisation(load[from]!, model.capacity[from]!),
    toBefore,
    toAfter: utilisationOf(load[to]!, model.capacity[to]!),
  };
}

export function finish(model: LoadModel, load: number[], moves: Move[], uncovered: UncoveredDeal[]): Reassignment {
  const count = model.dealsOf.map((deals) => deals.length);
  const index = new Map(model.managers.map((m, i) => [m.id, i]));
  for (const move of moves) {
    count[index.get(move.from)!]! -= 1;
    count[index.get(move.to)!]! += 1;
  }
  return { moves, uncovered, before: managerLoads(model), after: managerLoads(model, load, count) };
}

/** All open deals of absent managers, most urgent first. */
export function coverQueue(model: LoadModel): LoadedDeal[] {
  const queue: LoadedDeal[] = [];
  model.managers.forEach((_, i) => {
    if (model.absentUntil[i] !== null) queue.push(...model.dealsOf[i]!);
  });
  return queue.sort(coverOrder);
}

interface Room {
  headroom: number;
  manager: number;
}

/**
 * Moves that cover absent managers' deals, then bring overloaded managers down to the target utilisation.
 * Each deal goes to the eligible receiver with the most room left (ties: lowest id), so the check "can anyone take
 * it" is one look at the top of a heap. O((deals + moves × segments) log managers).
 */
export function suggestReassignments(state: BalanceState): Reassignment {
  const model = buildLoadModel(state);
  const { donor, receiver } = rolesOf(model);
  const load = [...model.load];
  const n = model.managers.length;

  // One heap of receivers per segment key, built only for keys some deal asks for. Entries go stale when a
  // receiver takes a deal; a fresh entry is pushed then, and stale ones are dropped when they reach the top.
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (!receiver[i]) continue;
    for (const key of model.served[i]!) {
      const members = byKey.get(key);
      if (members) members.push(i);
      else byKey.set(key, [i]);
    }
  }
  const heaps = new Map<string, Heap<Room>>();
  const headroom = (i: number) => model.limit[i]! - load[i]!;
  const roomFirst = (a: Room, b: Room) => a.headroom > b.headroom || (a.headroom === b.headroom && a.manager < b.manager);
  const heapFor = (key: string): Heap<Room> | undefined => {
    let heap = heaps.get(key);
    if (!heap) {
      const members = byKey.get(key);
      if (!members) return undefined;
      heap = new Heap(roomFirst, members.map((m) => ({ headroom: headroom(m), manager: m })));
      heaps.set(key, heap);
    }
    return heap;
  };
  const takerFor = (d: LoadedDeal): number | null => {
    const heap = heapFor(segmentKey(d.deal.segment));
    if (!heap) return null;
    for (let top = heap.peek(); top; top = heap.peek()) {
      if (top.headroom === headroom(top.manager)) return top.headroom >= d.weight ? top.manager : null;
      heap.pop();
    }
    return null;
  };
  const moves: Move[] = [];
  const move = (d: LoadedDeal, from: number, to: number, why: Move['why']) => {
    moves.push(recordMove(model, load, d, from, to, why));
    for (const key of model.served[to]!) heaps.get(key)?.push({ headroom: headroom(to), manager: to });
  };

  const uncovered: UncoveredDeal[] = [];
  for (const d of coverQueue(model)) {
    const to = takerFor(d);
    if (to !== null) move(d, d.owner, to, 'cover');
    else {
      const owner = model.managers[d.owner]!;
      uncovered.push({ dealId: d.deal.id, ownerId: owner.id, reason: uncoveredReason(owner.name, d.deal, byKey.has(segmentKey(d.deal.segment))) });
    }
  }

  // Most utilised donor first; after each move it goes back in with its new utilisation.
  const utilisation = (i: number) => utilisationOf(load[i]!, model.capacity[i]!);
  const donors = new Heap<{ manager: number; utilisation: number }>(
    (a, b) => a.utilisation > b.utilisation || (a.utilisation === b.utilisation && a.manager < b.manager),
    [],
  );
  const candidates: (LoadedDeal[] | null)[] = new Array(n).fill(null);
  const next = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) if (donor[i]) donors.push({ manager: i, utilisation: utilisation(i) });
  while (donors.size > 0) {
    const { manager: from } = donors.pop()!;
    const list = (candidates[from] ??= model.dealsOf[from]!.filter((d) => d.weight > 0).sort(rebalanceOrder));
    while (next[from]! < list.length) {
      const d = list[next[from]!]!;
      next[from]! += 1;
      const to = takerFor(d);
      if (to === null) continue;
      move(d, from, to, 'rebalance');
      break;
    }
    if (load[from]! > model.limit[from]! && next[from]! < list.length) donors.push({ manager: from, utilisation: utilisation(from) });
  }
  return finish(model, load, moves, uncovered);
}
