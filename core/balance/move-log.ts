import type { Move } from '../schema';
import { type Counts, type LoadModel, MILLI, reportedUtilisation, utilisationOf } from './model';
import { reasonWords, type ReasonWords } from './reasons';

const COVER = 1;

/**
 * The moves of one answer as they are decided, in typed arrays: the deal, both managers and both loads just before
 * the move. The public Move objects, with their reason sentences, are made once the walk is over (`moves`), in one
 * tight loop, rather than one by one in the middle of it; a large department gets tens of thousands of them.
 */
export class MoveLog {
  size = 0;
  private deal = new Int32Array(256);
  private from = new Int32Array(256);
  private to = new Int32Array(256);
  private cover = new Uint8Array(256);
  private fromLoad = new Float64Array(256);
  private toLoad = new Float64Array(256);
  /**
   * The moved deals' ids and titles, read when the move is decided: the walk has just read that deal, so it is
   * still in the processor's cache then, where reading it again at the end would fetch each of thousands of
   * scattered deal objects from memory once more.
   */
  private readonly dealIds: string[] = [];
  private readonly dealTitles: string[] = [];

  constructor(private readonly model: LoadModel) {}

  /** Moves deal d from one manager to another in `load`, and remembers it. */
  record(load: number[], d: number, from: number, to: number, why: Move['why']): void {
    if (this.size === this.deal.length) this.grow();
    const i = this.size++;
    this.deal[i] = d;
    this.from[i] = from;
    this.to[i] = to;
    this.cover[i] = why === 'cover' ? COVER : 0;
    this.fromLoad[i] = load[from]!;
    this.toLoad[i] = load[to]!;
    const deal = this.model.deals[d]!;
    this.dealIds.push(deal.id);
    this.dealTitles.push(deal.title);
    const weight = this.model.weight[d]!;
    load[from]! -= weight;
    load[to]! += weight;
  }

  /** Each manager's open deals, and deals still needing cover (from `dueBefore`), once the moves are made. */
  countsAfter(dueBefore: readonly number[]): Required<Counts> {
    const { dealStart } = this.model;
    const openDeals = this.model.managers.map((_, i) => dealStart[i + 1]! - dealStart[i]!);
    const dueInAbsence = [...dueBefore];
    for (let i = 0; i < this.size; i++) {
      openDeals[this.from[i]!]! -= 1;
      openDeals[this.to[i]!]! += 1;
      if (this.cover[i] === COVER) dueInAbsence[this.from[i]!]! -= 1;
    }
    return { openDeals, dueInAbsence };
  }

  moves(): Move[] {
    const clauses = new LastClauses(this.model);
    const moves = new Array<Move>(this.size);
    for (let i = 0; i < this.size; i++) moves[i] = this.move(i, clauses);
    return moves;
  }

  private move(i: number, clauses: LastClauses): Move {
    const { model } = this;
    const d = this.deal[i]!;
    const from = this.from[i]!;
    const to = this.to[i]!;
    const weight = model.weight[d]!;
    const fromLoad = this.fromLoad[i]!;
    const toLoad = this.toLoad[i]!;
    const fromCapacity = model.capacity[from]!;
    const toCapacity = model.capacity[to]!;
    const toBefore = utilisationOf(toLoad, toCapacity);
    const cover = this.cover[i] === COVER;
    const noRateFor = model.noRate.size === 0 ? null : (model.noRate.get(d) ?? null);
    // The clauses are flat strings (see reasons.ts), so `+` makes a reason one small node pointing at two of them,
    // often shared with the neighbouring moves, where a flat copy of the whole sentence cost about three times the
    // memory: a large answer's tens of thousands of reasons survive the young generation, and copying them there was
    // a large part of its time. JSON.stringify reads the characters through the node when the answer is sent.
    const first = cover ? clauses.absent(from) : clauses.giving(from, utilisationOf(fromLoad, fromCapacity));
    const second = clauses.taking(to, toBefore, model.segmentOf(d));
    const reason = noRateFor === null ? first + second : first + second + clauses.words.noRateNote(noRateFor, model.reportingCurrency);
    return {
      dealId: this.dealIds[i]!,
      dealTitle: this.dealTitles[i]!,
      why: cover ? 'cover' : 'rebalance',
      from: model.managers[from]!.id,
      to: model.managers[to]!.id,
      weight: weight / MILLI,
      reason,
      noRateFor,
      fromBefore: reportedUtilisation(fromLoad, fromCapacity),
      fromAfter: reportedUtilisation(fromLoad - weight, fromCapacity),
      toBefore,
      toAfter: utilisationOf(toLoad + weight, toCapacity),
    };
  }

  private grow(): void {
    const size = 2 * this.deal.length;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.deal = grown(this.deal);
    this.from = grown(this.from);
    this.to = grown(this.to);
    this.cover = grown(this.cover);
    this.fromLoad = grown(this.fromLoad);
    this.toLoad = grown(this.toLoad);
  }
}

/**
 * The last clause written for each manager, reused while it reads the same: a donor's rounded percentage changes
 * only every few moves, a receiver's likewise, so most reasons are two strings already made (see reasons.ts).
 */
class LastClauses {
  private readonly givingPercent: (string | undefined)[] = [];
  private readonly givingText: string[] = [];
  private readonly absentText: string[] = [];
  private readonly takingPercent: (string | undefined)[] = [];
  private readonly takingKey: number[] = [];
  private readonly takingText: string[] = [];
  readonly words: ReasonWords;

  constructor(private readonly model: LoadModel) {
    this.words = reasonWords(model.locale);
  }

  giving(from: number, utilisation: number): string {
    const label = this.words.percent(utilisation);
    if (this.givingPercent[from] !== label) {
      this.givingPercent[from] = label;
      this.givingText[from] = this.words.donorClause(this.model.managers[from]!.name, utilisation);
    }
    return this.givingText[from]!;
  }

  absent(from: number): string {
    return (this.absentText[from] ??= this.words.absenceClause(this.model.managers[from]!.name, this.model.absentUntil[from]!));
  }

  taking(to: number, utilisation: number, keyId: number): string {
    const label = this.words.percent(utilisation);
    if (this.takingPercent[to] !== label || this.takingKey[to] !== keyId) {
      this.takingPercent[to] = label;
      this.takingKey[to] = keyId;
      this.takingText[to] = this.words.receiverClause(this.model.managers[to]!.name, utilisation, this.model.labels[keyId]!);
    }
    return this.takingText[to]!;
  }
}
