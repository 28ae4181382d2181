import type { Deal, ExcludedGroup, ExchangeRates, ExclusionReason, IfWon, Plan, PlanInput, PlanProgress } from '../schema';
import { dayNumber, isoDate, periodStartingAt } from './calendar';
import { rateOf, toCents } from './currency';
import { type DailyTotals, type WonCell, wonBetweenFromDeals } from './daily-totals';
import { type WorkCalendar, workCalendar, workingDaysInDays } from './working-days';

export interface PlanProgressInput {
  plan: Plan | PlanInput;
  /**
   * Deals of the workspace. Open ones feed the pipeline figures; won ones feed the actual unless `wonTotals` is
   * given, in which case won deals are read from the aggregate only and those in `deals` are ignored.
   */
  deals: readonly Deal[];
  wonTotals?: DailyTotals;
  today: string;
  /** Holidays as ISO dates, or a calendar built once by workCalendar() when computing many scopes. */
  holidays?: readonly string[] | WorkCalendar;
  rates: ExchangeRates;
  reportingCurrency: string;
}

/**
 * Where one scope (the department, or one manager) stands against its plan: actual against target, pace against
 * elapsed working days, where it will land, and what it still needs per working day. Amounts are in the plan's
 * currency; deals that cannot be converted are reported in `excluded`, never summed as they are.
 */
export function planProgress(input: PlanProgressInput): PlanProgress {
  const { plan, today, rates, reportingCurrency } = input;
  const calendar = Array.isArray(input.holidays) || input.holidays === undefined
    ? workCalendar(input.holidays as readonly string[] | undefined)
    : (input.holidays as WorkCalendar);
  const period = periodStartingAt(plan.start, plan.period);
  const first = dayNumber(period.start);
  const last = dayNumber(period.end);
  const now = dayNumber(today);

  const total = workingDaysInDays(first, last, calendar);
  const elapsed = workingDaysInDays(first, Math.min(now, last), calendar);
  const remaining = workingDaysInDays(Math.max(now, first), last, calendar);

  const won = input.wonTotals
    ? input.wonTotals.wonBetween(plan.ownerId, plan.kind, first, last)
    : wonBetweenFromDeals(input.deals, plan.ownerId, plan.kind, first, last);
  const toPlan = (currency: string): number | null => {
    if (currency === plan.currency) return 1;
    const from = rateOf(currency, rates, reportingCurrency);
    const to = rateOf(plan.currency, rates, reportingCurrency);
    return from === null || to === null ? null : from / to;
  };

  const excluded: ExcludedGroup[] = [];
  const { amount: actual, count } = sumWon(won, toPlan, excluded);
  const pipeline = sumOpenPipeline(input.deals, plan, Math.max(now, first), last, toPlan, excluded);

  const target = plan.target;
  const missing = Math.max(0, target - actual);
  // target × (elapsed ÷ total), in that order: the fraction is at most 1, so rounding can never push it past target.
  const expectedByNow = total > 0 ? target * (elapsed / total) : now >= first ? target : 0;
  const countTarget = plan.countTarget ?? null;

  return {
    planId: 'id' in plan ? plan.id : null,
    kind: plan.kind,
    ownerId: plan.ownerId,
    unit: plan.period,
    period,
    today,
    currency: plan.currency,
    target,
    actual,
    count,
    countTarget,
    attainmentPct: target > 0 ? (actual / target) * 100 : null,
    countAttainmentPct: countTarget ? (count / countTarget) * 100 : null,
    workingDays: { total, elapsed, remaining },
    expectedByNow,
    aheadBy: actual - expectedByNow,
    // With no working day behind us there is no pace to extrapolate: the projection is what is already won.
    runRateProjection: elapsed > 0 ? (actual / elapsed) * total : actual,
    weightedPipeline: pipeline.weighted,
    openPipeline: pipeline.open,
    pipelineProjection: actual + pipeline.weighted,
    neededPerWorkingDay: neededPerDay(missing, remaining),
    pipelineCoverage: missing > 0 ? pipeline.open / missing : null,
    excluded: excluded.sort(byGroupKey),
  };
}

function neededPerDay(missing: number, remaining: number): number | null {
  if (missing <= 0) return 0;
  return remaining > 0 ? missing / remaining : null;
}

/** Currencies are visited in sorted order so the floating-point sum is the same however the deals arrived. */
function sumWon(
  won: Map<string, WonCell>,
  toPlan: (currency: string) => number | null,
  excluded: ExcludedGroup[],
): { amount: number; count: number } {
  let amount = 0;
  let count = 0;
  for (const currency of [...won.keys()].sort()) {
    const cell = won.get(currency)!;
    count += cell.count;
    const code = currency === '' ? null : currency;
    if (cell.noAmount > 0) excluded.push(group('no-amount', 'won', code, cell.noAmount, 0, []));
    const priced = cell.count - cell.noAmount;
    if (priced === 0) continue;
    const factor = code === null ? null : toPlan(code);
    if (factor === null) {
      excluded.push(group(code === null ? 'no-currency' : 'no-rate', 'won', code, priced, cell.cents / 100, []));
    } else {
      amount += factor === 1 ? cell.cents / 100 : (cell.cents * factor) / 100;
    }
  }
  return { amount, count };
}

function sumOpenPipeline(
  deals: readonly Deal[],
  plan: Plan | PlanInput,
  fromDay: number,
  toDay: number,
  toPlan: (currency: string) => number | null,
  excluded: ExcludedGroup[],
): { open: number; weighted: number } {
  const open = new Map<string, { cents: number; weightedCents: number }>();
  const skipped = new Map<string, ExcludedGroup>();
  const skip = (reason: ExclusionReason, deal: Deal) => {
    const key = `${reason}|${deal.currency ?? ''}`;
    const entry = skipped.get(key) ?? group(reason, 'open', deal.currency, 0, 0, []);
    entry.count += 1;
    entry.amount += deal.amount ?? 0;
    entry.dealIds.push(deal.id);
    skipped.set(key, entry);
  };
  // ISO dates compare as strings: no parsing in a loop over every open deal.
  const from = isoDate(fromDay);
  const to = isoDate(toDay);
  for (const deal of deals) {
    if (deal.status !== 'open' || deal.kind !== plan.kind || !deal.expectedClose) continue;
    if (plan.ownerId !== null && deal.ownerId !== plan.ownerId) continue;
    // "The rest of the period": deals already overdue are not counted on, deals beyond the period belong to the next.
    if (deal.expectedClose < from || deal.expectedClose > to) continue;
    if (deal.amount === null) skip('no-amount', deal);
    else if (deal.currency === null) skip('no-currency', deal);
    else if (toPlan(deal.currency) === null) skip('no-rate', deal);
    else if (deal.probability === null) skip('no-probability', deal);
    else {
      const sum = open.get(deal.currency) ?? { cents: 0, weightedCents: 0 };
      sum.cents += toCents(deal.amount);
      sum.weightedCents += toCents((deal.amount * deal.probability) / 100);
      open.set(deal.currency, sum);
    }
  }
  let openTotal = 0;
  let weighted = 0;
  for (const currency of [...open.keys()].sort()) {
    const sum = open.get(currency)!;
    const factor = toPlan(currency)!;
    openTotal += (sum.cents * factor) / 100;
    weighted += (sum.weightedCents * factor) / 100;
  }
  for (const entry of skipped.values()) {
    entry.dealIds.sort();
    excluded.push(entry);
  }
  return { open: openTotal, weighted };
}

function group(
  reason: ExclusionReason,
  status: 'won' | 'open',
  currency: string | null,
  count: number,
  amount: number,
  dealIds: string[],
): ExcludedGroup {
  return { reason, status, currency, count, amount, dealIds };
}

function byGroupKey(a: ExcludedGroup, b: ExcludedGroup): number {
  const ka = `${a.status}|${a.reason}|${a.currency ?? ''}`;
  const kb = `${b.status}|${b.reason}|${b.currency ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * What winning one open deal today would do to this progress. It counts only if the deal is of the plan's kind,
 * in its scope, and today lies inside the period; a deal whose amount cannot be converted counts for nothing and
 * says why.
 */
export function ifWon(progress: PlanProgress, deal: Deal, rates: ExchangeRates, reportingCurrency: string): IfWon {
  const counts =
    deal.status === 'open' &&
    deal.kind === progress.kind &&
    (progress.ownerId === null || deal.ownerId === progress.ownerId) &&
    progress.today >= progress.period.start &&
    progress.today <= progress.period.end;
  let amount = 0;
  let excludedBecause: ExclusionReason | null = null;
  if (counts) {
    if (deal.amount === null) excludedBecause = 'no-amount';
    else if (deal.currency === null) excludedBecause = 'no-currency';
    else {
      const from = deal.currency === progress.currency ? 1 : rateOf(deal.currency, rates, reportingCurrency);
      const to = deal.currency === progress.currency ? 1 : rateOf(progress.currency, rates, reportingCurrency);
      if (from === null || to === null) excludedBecause = 'no-rate';
      else amount = (deal.amount * from) / to;
    }
  }
  const actual = progress.actual + amount;
  const attainmentPct = progress.target > 0 ? (actual / progress.target) * 100 : null;
  return {
    dealId: deal.id,
    counts,
    excludedBecause,
    amount,
    actual,
    attainmentPct,
    attainmentDeltaPct:
      attainmentPct === null || progress.attainmentPct === null ? null : attainmentPct - progress.attainmentPct,
    aheadBy: actual - progress.expectedByNow,
    neededPerWorkingDay: neededPerDay(Math.max(0, progress.target - actual), progress.workingDays.remaining),
  };
}
