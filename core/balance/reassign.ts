import type { BalanceState, Move, Reassignment, UncoveredDeal } from '../schema';
import { Heap, ShrinkingScoreHeap } from './heap';
import {
  buildLoadModel,
  coverOrder,
  dealsOf,
  type LoadModel,
  managerLoads,
  MILLI,
  byDealId,
  stageOrderKey,
  reportedUtilisation,
  utilisationOf,
} from './model';
import { coverReason, rebalanceReason, uncoveredReason } from './reasons';

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
export function recordMove(model: LoadModel, load: number[], d: number, from: number, to: number, why: Move['why']): Move {
  const deal = model.deals[d]!;
  const weight = model.weight[d]!;
  const fromBefore = utilisationOf(load[from]!, model.capacity[from]!);
  const toBefore = utilisationOf(load[to]!, model.capacity[to]!);
  const fromBeforeReported = reportedUtilisation(load[from]!, model.capacity[from]!);
  load[from]! -= weight;
  load[to]! += weight;
  const fromName = model.managers[from]!.name;
  const toName = model.managers[to]!.name;
  return {
    dealId: deal.id,
    dealTitle: deal.title,
    why,
    from: model.managers[from]!.id,
    to: model.managers[to]!.id,
    weight: weight / MILLI,
    reason:
      why === 'cover'
        ? coverReason(fromName, model.absentUntil[from]!, toName, toBefore, model.labels[model.keyId[d]!]!)
        : rebalanceReason(fromName, fromBefore, toName, toBefore, model.labels[model.keyId[d]!]!),
    fromBefore: fromBeforeReported,
    fromAfter: reportedUtilisation(load[from]!, model.capacity[from]!),
    toBefore,
    toAfter: utilisationOf(load[to]!, model.capacity[to]!),
  };
}

export function finish(model: LoadModel, load: number[], moves: Move[], uncovered: UncoveredDeal[]): Reassignment {
  const count = model.managers.map((_, i) => model.dealStart[i + 1]! - model.dealStart[i]!);
  const index = new Map(model.managers.map((m, i) => [m.id, i]));
  for (const move of moves) {
    count[index.get(move.from)!]! -= 1;
    count[index.get(move.to)!]! += 1;
  }
  return { moves, uncovered, before: managerLoads(model), after: managerLoads(model, load, count) };
}

/** All open deals of absent managers, most urgent first. */
export function coverQueue(model: LoadModel): number[] {
  const queue: number[] = [];
  model.managers.forEach((_, i) => {
    if (model.absentUntil[i] !== null) for (const d of dealsOf(model, i)) queue.push(d);
  });
  return queue.sort(coverOrder(model));
}

/**
 * A donor's deals worth moving (weight > 0) in rebalanceOrder, walked once. Deals are sorted by their numeric
 * stage key up front; a run of equal keys is sorted by id only when the walk reaches it, because comparing ids is
 * what costs, and a donor usually stops after its first few runs.
 */
class CandidateQueue {
  private readonly deals: number[];
  private readonly keys: number[];
  private position = 0;
  /** Last index of the run that `position` is in; below `position` until the next run is sorted. */
  private runEnd = -1;

  constructor(private readonly model: LoadModel, deals: Int32Array) {
    const movable: number[] = [];
    for (let i = 0; i < deals.length; i++) if (model.weight[deals[i]!]! > 0) movable.push(deals[i]!); // a weightless deal relieves nobody
    const key = movable.map((d) => stageOrderKey(model, d));
    const positions = movable.map((_, i) => i).sort((a, b) => key[a]! - key[b]!);
    this.deals = positions.map((p) => movable[p]!);
    this.keys = positions.map((p) => key[p]!);
  }

  get done(): boolean {
    return this.position >= this.deals.length;
  }

  next(): number | null {
    const { deals, keys, position } = this;
    if (position >= deals.length) return null;
    if (position > this.runEnd) {
      let end = position;
      while (end + 1 < deals.length && keys[end + 1] === keys[position]) end++;
      if (end > position) {
        const run = deals.slice(position, end + 1).sort(byDealId(this.model));
        for (let i = 0; i < run.length; i++) deals[position + i] = run[i]!;
      }
      this.runEnd = end;
    }
    this.position += 1;
    return deals[position]!;
  }
}

/**
 * Moves that cover absent managers' deals, then bring overloaded managers down to the target utilisation.
 * Each deal goes to the eligible receiver with the most room left (ties: lowest id), so the check "can anyone take
 * it" is one look at the top of a heap. O(deals + donors' deals × log + moves × segments × log managers).
 */
export function suggestReassignments(state: BalanceState): Reassignment {
  const model = buildLoadModel(state);
  const { donor, receiver } = rolesOf(model);
  const load = [...model.load];
  const n = model.managers.length;

  // One heap of receivers per segment key, built only for keys some deal asks for, ordered by room left.
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (!receiver[i]) continue;
    for (const key of model.served[i]!) {
      const members = byKey.get(key);
      if (members) members.push(i);
      else byKey.set(key, [i]);
    }
  }
  const room = model.limit.map((limit, i) => limit - load[i]!);
  const heaps = new Map<string, ShrinkingScoreHeap>();
  const heapsOf: ShrinkingScoreHeap[][] = model.managers.map(() => []);
  const takerFor = (d: number): number | null => {
    const key = model.keys[model.keyId[d]!]!;
    let heap = heaps.get(key);
    if (!heap) {
      const members = byKey.get(key);
      if (!members) return null;
      heap = new ShrinkingScoreHeap(room, members, n);
      heaps.set(key, heap);
      for (const m of members) heapsOf[m]!.push(heap);
    }
    const top = heap.top();
    return top >= 0 && room[top]! >= model.weight[d]! ? top : null;
  };
  const moves: Move[] = [];
  const move = (d: number, from: number, to: number, why: Move['why']) => {
    moves.push(recordMove(model, load, d, from, to, why));
    room[to] = model.limit[to]! - load[to]!;
    for (const heap of heapsOf[to]!) heap.decreased(to);
  };

  const uncovered: UncoveredDeal[] = [];
  for (const d of coverQueue(model)) {
    const to = takerFor(d);
    if (to !== null) move(d, model.owner[d]!, to, 'cover');
    else {
      const owner = model.managers[model.owner[d]!]!;
      const deal = model.deals[d]!;
      uncovered.push({ dealId: deal.id, ownerId: owner.id, reason: uncoveredReason(owner.name, model.labels[model.keyId[d]!]!, byKey.has(model.keys[model.keyId[d]!]!)) });
    }
  }

  // Most utilised donor first; after each move it goes back in with its new utilisation.
  const utilisation = (i: number) => utilisationOf(load[i]!, model.capacity[i]!);
  const donors = new Heap<{ manager: number; utilisation: number }>(
    (a, b) => a.utilisation > b.utilisation || (a.utilisation === b.utilisation && a.manager < b.manager),
    [],
  );
  const candidates: (CandidateQueue | null)[] = new Array(n).fill(null);
  for (let i = 0; i < n; i++) if (donor[i]) donors.push({ manager: i, utilisation: utilisation(i) });
  while (donors.size > 0) {
    const { manager: from } = donors.pop()!;
    const queue = (candidates[from] ??= new CandidateQueue(model, dealsOf(model, from)));
    for (let d = queue.next(); d !== null; d = queue.next()) {
      const to = takerFor(d);
      if (to === null) continue;
      move(d, from, to, 'rebalance');
      break;
    }
    if (load[from]! > model.limit[from]! && !queue.done) donors.push({ manager: from, utilisation: utilisation(from) });
  }
  return finish(model, load, moves, uncovered);
}
