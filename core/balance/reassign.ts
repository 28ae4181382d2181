import type { BalanceState, Move, Reassignment, UncoveredDeal } from '../schema';
import { ShrinkingScoreHeap } from './heap';
import { DealIdSorter } from './id-order';
import { buildLoadModel, dealsOf, dueInAbsence, fallsDueInAbsence, type LoadModel, managerLoads, utilisationOf } from './model';
import { MoveLog } from './move-log';
import { reasonWords } from './reasons';

/*
 * Who may give and who may take, decided once from today's loads:
 *  - absent managers give the open deals that fall due before they are back (cover): a deal closing after the
 *    absence, or with no close date, waits for its owner, since handing it over costs more than the wait;
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

export function finish(model: LoadModel, load: number[], log: MoveLog, uncovered: UncoveredDeal[]): Reassignment {
  const due = dueInAbsence(model);
  return { moves: log.moves(), uncovered, before: managerLoads(model, model.load, { dueInAbsence: due }), after: managerLoads(model, load, log.countsAfter(due)) };
}

/**
 * The open deals of absent managers that fall due in the absence (expected close on or before the last day away,
 * overdue ones included), most urgent first: the deal closing soonest needs someone first; then the heavier; then
 * by id, for determinism. Each deal's close date and id are read once, before
 * sorting, so that comparisons touch no deal object.
 */
export function coverQueue(model: LoadModel): number[] {
  const deals: number[] = [];
  const close: string[] = [];
  const ids: string[] = [];
  model.managers.forEach((_, i) => {
    if (model.absentUntil[i] === null) return;
    for (const d of dealsOf(model, i)) {
      if (!fallsDueInAbsence(model, d, i)) continue;
      const deal = model.deals[d]!;
      deals.push(d);
      close.push(deal.expectedClose!);
      ids.push(deal.id);
    }
  });
  const { weight } = model;
  const order = deals.map((_, p) => p);
  order.sort((p, q) => {
    if (close[p] !== close[q]) return close[p]! < close[q]! ? -1 : 1;
    const a = deals[p]!;
    const b = deals[q]!;
    if (weight[a] !== weight[b]) return weight[b]! - weight[a]!;
    return ids[p]! < ids[q]! ? -1 : ids[p]! > ids[q]! ? 1 : 0;
  });
  return order.map((p) => deals[p]!);
}

/**
 * A donor's deals worth moving (weight > 0) in rebalanceOrder, walked once. Deals are sorted by stage rank and
 * weight up front, reading only the model's typed arrays. A run of equal rank and weight is ordered by id only when
 * the walk reaches it, and only its deals someone could take right then: receivers' room only shrinks, so a deal
 * nobody can take now is never taken later, and where it would have stood in the id order cannot matter. Comparing
 * ids is what costs (it touches deal objects), and an overloaded manager's deals are mostly in segments whose
 * receivers are full.
 */
class CandidateQueue {
  private readonly deals: Int32Array;
  private position = 0;
  /** The current run's takeable deals are deals[position … runStop); the next run starts at nextRun. */
  private runStop = 0;
  private nextRun = 0;

  constructor(
    private readonly model: LoadModel,
    owned: Int32Array,
    private readonly byId: DealIdSorter,
  ) {
    const { weight, rank } = model;
    // Counting sort by stage rank (a few dozen values), so no comparison touches most deals; the order of
    // stageOrderKey then needs only the heavier first within a rank, which is a sort only when tiers vary weights.
    let maxRank = 0;
    let count = 0;
    for (let i = 0; i < owned.length; i++) {
      const d = owned[i]!;
      if (weight[d]! <= 0) continue; // a weightless deal relieves nobody
      count += 1;
      if (rank[d]! > maxRank) maxRank = rank[d]!;
    }
    const start = new Int32Array(maxRank + 2);
    for (let i = 0; i < owned.length; i++) if (weight[owned[i]!]! > 0) start[rank[owned[i]!]! + 1]! += 1;
    for (let r = 0; r <= maxRank; r++) start[r + 1]! += start[r]!;
    const deals = new Int32Array(count);
    const fill = start.slice(0, maxRank + 1);
    for (let i = 0; i < owned.length; i++) if (weight[owned[i]!]! > 0) deals[fill[rank[owned[i]!]!]!++] = owned[i]!;
    for (let r = 0; r <= maxRank; r++) {
      const from = start[r]!;
      const to = start[r + 1]!;
      let uniform = true;
      for (let i = from + 1; i < to && uniform; i++) uniform = weight[deals[i]!] === weight[deals[from]!];
      if (!uniform) deals.subarray(from, to).sort((a, b) => weight[b]! - weight[a]!);
    }
    this.deals = deals;
  }

  get done(): boolean {
    return this.position >= this.runStop && this.nextRun >= this.deals.length;
  }

  /** The next deal someone may take, or -1 when no deal is left to offer. */
  next(canTake: (d: number) => boolean): number {
    const { deals } = this;
    while (this.position >= this.runStop) {
      const start = this.nextRun;
      if (start >= deals.length) return -1;
      const { rank, weight } = this.model;
      const first = deals[start]!;
      let end = start + 1;
      while (end < deals.length && rank[deals[end]!] === rank[first] && weight[deals[end]!] === weight[first]) end++;
      let kept = start;
      for (let i = start; i < end; i++) if (canTake(deals[i]!)) deals[kept++] = deals[i]!;
      this.byId.sort(deals, start, kept);
      this.position = start;
      this.runStop = kept;
      this.nextRun = end;
    }
    return deals[this.position++]!;
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
  // A typed array, like the donors' standing below, so that the heaps read one kind of array.
  const room = Float64Array.from(model.limit, (limit, i) => limit - load[i]!);
  // Indexed by the deal's segment key id; null once known that no receiver serves the key.
  const heaps: (ShrinkingScoreHeap | null | undefined)[] = [];
  const takerFor = (d: number): number | null => {
    const k = model.segmentOf(d);
    let heap = heaps[k];
    if (heap === undefined) {
      const members = byKey.get(model.keys[k]!);
      heap = members ? new ShrinkingScoreHeap(room, members) : null;
      heaps[k] = heap;
    }
    if (heap === null) return null;
    const top = heap.top();
    return top >= 0 && room[top]! >= model.weight[d]! ? top : null;
  };
  const canTake = (d: number) => takerFor(d) !== null;
  const log = new MoveLog(model);
  const move = (d: number, from: number, to: number, why: Move['why']) => {
    log.record(load, d, from, to, why);
    room[to] = model.limit[to]! - load[to]!;
  };

  const uncovered: UncoveredDeal[] = [];
  for (const d of coverQueue(model)) {
    const to = takerFor(d);
    if (to !== null) move(d, model.owner[d]!, to, 'cover');
    else {
      const owner = model.managers[model.owner[d]!]!;
      const deal = model.deals[d]!;
      uncovered.push({ dealId: deal.id, ownerId: owner.id, reason: reasonWords(model.locale).uncoveredReason(owner.name, model.labels[model.segmentOf(d)]!, byKey.has(model.keys[model.segmentOf(d)]!)) });
    }
  }

  // Most utilised donor first. Each donor sits in one heap keyed by its utilisation, which only goes down as it
  // gives deals away; a donor that is done drops to -Infinity and so sinks below every active one.
  const utilisation = (i: number) => utilisationOf(load[i]!, model.capacity[i]!);
  const standing = new Float64Array(n).fill(-Infinity);
  const donorList: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!donor[i]) continue;
    standing[i] = utilisation(i);
    donorList.push(i);
  }
  const donors = new ShrinkingScoreHeap(standing, donorList);
  const candidates: (CandidateQueue | null)[] = new Array(n).fill(null);
  const byId = new DealIdSorter(model.deals);
  for (let from = donors.top(); from >= 0 && standing[from] !== -Infinity; from = donors.top()) {
    const queue = (candidates[from] ??= new CandidateQueue(model, dealsOf(model, from), byId));
    for (let d = queue.next(canTake); d >= 0; d = queue.next(canTake)) {
      const to = takerFor(d);
      if (to === null) continue;
      move(d, from, to, 'rebalance');
      break;
    }
    standing[from] = load[from]! > model.limit[from]! && !queue.done ? utilisation(from) : -Infinity;
  }
  return finish(model, load, log, uncovered);
}
