import type { Deal, DealKind } from '../schema';
import { dayNumber, isoDate } from './calendar';
import { toCents } from './currency';

/** Won deals of one owner, kind, currency and closing day, reduced to what plan progress needs. */
export interface WonCell {
  cents: number;
  count: number;
  /** Won deals without an amount: they count towards a count target but add nothing to the actual. */
  noAmount: number;
}

/** `currency` is '' for deals whose currency is unknown. */
type ByCurrency = Map<string, Map<number, WonCell>>;

/** Department-wide series live under this key; it cannot collide with a user id because ids are non-empty... */
const DEPARTMENT = Symbol('department');
/** ...and deals without a mapped owner live under this one, counted for the department only. */
const UNASSIGNED = Symbol('unassigned');
type OwnerKey = string | typeof DEPARTMENT | typeof UNASSIGNED;

/**
 * Per-day totals of won deals keyed by (owner, kind, currency, closing day), kept up to date one deal at a time, so
 * that the server answers plan progress over millions of closed deals by reading at most one cell per day of the
 * period instead of scanning every deal. Sums are in whole cents, hence exact: adding and removing in any order
 * gives exactly the totals a fresh scan would.
 */
export class DailyTotals {
  private readonly series = new Map<OwnerKey, Record<DealKind, ByCurrency>>();

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
    for (const [currency, days] of byCurrency) {
      const sum: WonCell = { cents: 0, count: 0, noAmount: 0 };
      if (days.size < toDay - fromDay + 1) {
        for (const [day, cell] of days) if (day >= fromDay && day <= toDay) addCell(sum, cell);
      } else {
        for (let day = fromDay; day <= toDay; day++) {
          const cell = days.get(day);
          if (cell) addCell(sum, cell);
        }
      }
      if (sum.count > 0) result.set(currency, sum);
    }
    return result;
  }

  private apply(deal: Deal, sign: 1 | -1): boolean {
    const day = DailyTotals.closingDay(deal);
    if (day === null) return false;
    const currency = deal.currency ?? '';
    const delta: WonCell = {
      cents: deal.amount === null ? 0 : sign * toCents(deal.amount),
      count: sign,
      noAmount: deal.amount === null ? sign : 0,
    };
    this.bump(deal.ownerId ?? UNASSIGNED, deal.kind, currency, day, delta);
    this.bump(DEPARTMENT, deal.kind, currency, day, delta);
    return true;
  }

  private bump(owner: OwnerKey, kind: DealKind, currency: string, day: number, delta: WonCell): void {
    let kinds = this.series.get(owner);
    if (!kinds) {
      kinds = { sale: new Map(), purchase: new Map() };
      this.series.set(owner, kinds);
    }
    let days = kinds[kind].get(currency);
    if (!days) {
      days = new Map();
      kinds[kind].set(currency, days);
    }
    const cell = days.get(day) ?? { cents: 0, count: 0, noAmount: 0 };
    addCell(cell, delta);
    // Empty cells are dropped so that a long-lived aggregate does not grow with churn.
    if (cell.count === 0 && cell.cents === 0) days.delete(day);
    else days.set(day, cell);
  }
}

function addCell(into: WonCell, cell: WonCell): void {
  into.cents += cell.cents;
  into.count += cell.count;
  into.noAmount += cell.noAmount;
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
