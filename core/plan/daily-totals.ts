import type { Deal, DealKind } from '../schema';
import { civilFromDays, dayNumber, daysFromCivil, isoDate } from './calendar';
import { toCents } from './currency';

/** Won deals of one owner, kind, currency and closing day, reduced to what plan progress needs. */
export interface WonCell {
  cents: number;
  count: number;
  /** Won deals without an amount: they count towards a count target but add nothing to the actual. */
  noAmount: number;
}

/**
 * Every cell's sums live in parallel typed arrays, addressed by slot: a million cells are three arrays the garbage
 * collector never walks, instead of a million small objects it must trace and copy.
 */
class CellStore {
  cents = new Float64Array(1024);
  count = new Int32Array(1024);
  noAmount = new Int32Array(1024);
  private used = 0;
  private readonly free: number[] = [];

  allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.cents.length) {
      const grow = <A extends Float64Array | Int32Array>(from: A, to: A): A => (to.set(from), to);
      this.cents = grow(this.cents, new Float64Array(this.used * 2));
      this.count = grow(this.count, new Int32Array(this.used * 2));
      this.noAmount = grow(this.noAmount, new Int32Array(this.used * 2));
    }
    return this.used++;
  }

  release(slot: number): void {
    this.cents[slot] = 0;
    this.count[slot] = 0;
    this.noAmount[slot] = 0;
    this.free.push(slot);
  }
}

/**
 * The same sums twice, as slots of the CellStore: per closing day, and per calendar month (year × 12 + month − 1)
 * for whole-month spans.
 */
interface Series {
  days: Map<number, number>;
  months: Map<number, number>;
}
/** `currency` is '' for deals whose currency is unknown. */
type ByCurrency = Map<string, Series>;

/** Department-wide series live under this key; it cannot collide with a user id because ids are non-empty... */
const DEPARTMENT = Symbol('department');
/** ...and deals without a mapped owner live under this one, counted for the department only. */
const UNASSIGNED = Symbol('unassigned');
type OwnerKey = string | typeof DEPARTMENT | typeof UNASSIGNED;

/**
 * Per-day totals of won deals keyed by (owner, kind, currency, closing day), kept up to date one deal at a time, so
 * that the server answers plan progress over millions of closed deals by reading one cell per whole month of the
 * period (and one per day of a partial month) instead of scanning every deal. Sums are in whole cents, hence exact: adding and removing in any order
 * gives exactly the totals a fresh scan would.
 */
export class DailyTotals {
  private readonly series = new Map<OwnerKey, Record<DealKind, ByCurrency>>();
  private readonly store = new CellStore();

  /** The day a won deal counts on: the calendar date of closedAt as the CRM recorded it, in its own offset. */
  static closingDay(deal: Pick<Deal, 'status' | 'closedAt'>): number | null {
    return deal.status === 'won' && deal.closedAt ? dayNumber(deal.closedAt.slice(0, 10)) : null;
  }

  /** Adds a deal's contribution; open, lost and undated won deals contribute nothing. Returns whether it counted. */
  add(deal: Deal): boolean {
    return this.apply(deal, 1);
  }

  /** Removes a contribution made earlier by `add` with the deal as it was then (call before applying an update). */
  remove(deal: Deal): boolean {
    return this.apply(deal, -1);
  }

  /** Replaces a deal's old contribution with its new one, e.g. when an ingest changes its status or amount. */
  update(previous: Deal | null, next: Deal): void {
    if (previous) this.remove(previous);
    this.add(next);
  }

  /**
   * Sums per currency of won deals of `kind` closed between the two day numbers (inclusive), for one owner or —
   * when ownerId is null — the whole department, unassigned deals included.
   */
  wonBetween(ownerId: string | null, kind: DealKind, fromDay: number, toDay: number): Map<string, WonCell> {
    const result = new Map<string, WonCell>();
    const byCurrency = this.series.get(ownerId ?? DEPARTMENT)?.[kind];
    if (!byCurrency || toDay < fromDay) return result;
    const span = splitIntoMonths(fromDay, toDay);
    const store = this.store;
    const add = (sum: WonCell, slot: number | undefined) => {
      if (slot === undefined) return;
      sum.cents += store.cents[slot]!;
      sum.count += store.count[slot]!;
      sum.noAmount += store.noAmount[slot]!;
    };
    for (const [currency, series] of byCurrency) {
      const sum: WonCell = { cents: 0, count: 0, noAmount: 0 };
      for (const month of span.months) add(sum, series.months.get(month));
      for (const day of span.days) add(sum, series.days.get(day));
      if (sum.count > 0) result.set(currency, sum);
    }
    return result;
  }

  private apply(deal: Deal, sign: 1 | -1): boolean {
    const day = DailyTotals.closingDay(deal);
    if (day === null) return false;
    const month = Number(deal.closedAt!.slice(0, 4)) * 12 + Number(deal.closedAt!.slice(5, 7)) - 1;
    const currency = deal.currency ?? '';
    const cents = deal.amount === null ? 0 : sign * toCents(deal.amount);
    const noAmount = deal.amount === null ? sign : 0;
    const own = this.seriesFor(deal.ownerId ?? UNASSIGNED, deal.kind, currency);
    this.bump(own.days, day, cents, sign, noAmount);
    this.bump(own.months, month, cents, sign, noAmount);
    const department = this.seriesFor(DEPARTMENT, deal.kind, currency);
    this.bump(department.days, day, cents, sign, noAmount);
    this.bump(department.months, month, cents, sign, noAmount);
    return true;
  }

  private seriesFor(owner: OwnerKey, kind: DealKind, currency: string): Series {
    let kinds = this.series.get(owner);
    if (!kinds) {
      kinds = { sale: new Map(), purchase: new Map() };
      this.series.set(owner, kinds);
    }
    let series = kinds[kind].get(currency);
    if (!series) {
      series = { days: new Map(), months: new Map() };
      kinds[kind].set(currency, series);
    }
    return series;
  }

  private bump(cells: Map<number, number>, key: number, cents: number, count: number, noAmount: number): void {
    const store = this.store;
    let slot = cells.get(key);
    if (slot === undefined) {
      slot = store.allocate();
      cells.set(key, slot);
    }
    store.cents[slot]! += cents;
    store.count[slot]! += count;
    store.noAmount[slot]! += noAmount;
    // Empty cells are given back so that a long-lived aggregate does not grow with churn.
    if (store.count[slot] === 0 && store.cents[slot] === 0) {
      store.release(slot);
      cells.delete(key);
    }
  }
}

/** [fromDay, toDay] as the whole calendar months it covers plus the loose days at either end. */
function splitIntoMonths(fromDay: number, toDay: number): { months: number[]; days: number[] } {
  const months: number[] = [];
  const days: number[] = [];
  let day = fromDay;
  while (day <= toDay) {
    const { year, month, day: dayOfMonth } = civilFromDays(day);
    const nextMonth = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
    if (dayOfMonth === 1 && nextMonth - 1 <= toDay) {
      months.push(year * 12 + month - 1);
      day = nextMonth;
      continue;
    }
    for (; day < nextMonth && day <= toDay; day++) days.push(day);
  }
  return { months, days };
}

/** The same per-currency sums computed straight from deals: the reference the aggregate is tested against. */
export function wonBetweenFromDeals(
  deals: readonly Deal[],
  ownerId: string | null,
  kind: DealKind,
  fromDay: number,
  toDay: number,
): Map<string, WonCell> {
  const result = new Map<string, WonCell>();
  // ISO dates compare as strings, which keeps the scan free of date parsing.
  const from = isoDate(fromDay);
  const to = isoDate(toDay);
  for (const deal of deals) {
    if (deal.status !== 'won' || deal.kind !== kind || !deal.closedAt) continue;
    if (ownerId !== null && deal.ownerId !== ownerId) continue;
    const date = deal.closedAt.slice(0, 10);
    if (date < from || date > to) continue;
    const currency = deal.currency ?? '';
    let sum = result.get(currency);
    if (!sum) {
      sum = { cents: 0, count: 0, noAmount: 0 };
      result.set(currency, sum);
    }
    sum.count += 1;
    if (deal.amount === null) sum.noAmount += 1;
    else sum.cents += toCents(deal.amount);
  }
  return result;
}
