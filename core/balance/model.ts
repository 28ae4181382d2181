import type { Locale } from '../i18n/locale';
import { BalanceSettings, type BalanceState, type Deal, type LoadStatus, type ManagerLoad, type User } from '../schema';
import { ServedKeyCache, segmentKey, segmentLabel, servedKeySet } from './segments';
import { amountTier, stageLookup } from './weights';

/*
 * Loads are kept in integer thousandths of a load unit ("milli-units") so that sums are exact: the same deals give
 * the same load in any order, which is what makes the suggestions independent of input order.
 */
export const MILLI = 1000;

/**
 * The state digested once: managers sorted by id and addressed by index; the managers' open deals addressed by
 * index too, their figures in parallel typed arrays. At 200,000 deals, one small object per deal would cost more
 * in garbage collection than the whole algorithm.
 */
export interface LoadModel {
  settings: BalanceSettings;
  managers: User[];
  capacity: number[];
  load: number[];
  /** Largest load (milli) a manager may carry and stay at or under the target utilisation. */
  limit: number[];
  /** Load (milli) above which a manager is `over`. */
  overLimit: number[];
  absentUntil: (string | null)[];
  served: Set<string>[];
  /** state.deals itself, not a copy; the arrays below are indexed like it. */
  deals: readonly Deal[];
  /** Owner's manager index, or -1 for deals that carry no load here (closed, or owned by someone else). */
  owner: Int32Array;
  weight: Float64Array;
  /** Pipeline position of the deal's stage (see stageLookup). */
  rank: Int32Array;
  /**
   * The id of deal d's segment: keys[id] = segmentKey(deal.segment), labels[id] = segmentLabel(deal.segment), each
   * computed once per distinct segment. Looked up the first time a deal's is asked for: only the deals that may
   * move need one, a small part of all.
   */
  segmentOf: (d: number) => number;
  keys: string[];
  labels: (string | null)[];
  /**
   * Deals weighed without their amount tier because their currency has no rate to the reporting currency:
   * deal index → that currency. Empty when no tiers are set.
   */
  noRate: Map<number, string>;
  reportingCurrency: string | null;
  /** The language of the reasons (see reasons.ts). */
  locale: Locale;
  /** Deal indices grouped by owner: manager i's are dealIndex[dealStart[i] … dealStart[i + 1]). */
  dealStart: Int32Array;
  dealIndex: Int32Array;
}

export function resolveSettings(settings: BalanceState['settings']): BalanceSettings {
  return settings ?? BalanceSettings.parse({});
}

function absenceCovering(user: User, today: string): string | null {
  let until: string | null = null;
  for (const a of user.absences) if (a.from <= today && today <= a.to && (until === null || a.to > until)) until = a.to;
  return until;
}

export function buildLoadModel(state: BalanceState, skipDealId?: string): LoadModel {
  const settings = resolveSettings(state.settings);
  const managers = [...state.managers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Looked up once per deal: a null-prototype object finds a string key faster than a Map (see stageLookup).
  const indexOf: Record<string, number> = Object.create(null);
  managers.forEach((m, i) => (indexOf[m.id] = i));
  const absentUntil = managers.map((m) => absenceCovering(m, state.today));
  const capacity = managers.map((m, i) => (absentUntil[i] === null ? m.capacity : 0));
  const target = settings.targetUtilisation;
  // A tiny epsilon absorbs binary fractions such as 0.85 × 7 × 1000 = 5949.999…
  const limit = capacity.map((c) => Math.floor(c * target * MILLI + 1e-6));
  const overLimit = capacity.map((c) => Math.floor(c * settings.overAbove * MILLI + 1e-6));
  const load = managers.map(() => 0);
  const stage = stageLookup(settings);
  const rates = state.rates ?? {};
  // Only typed arrays are allocated per deal: they live outside the garbage-collected heap.
  const deals = state.deals;
  const size = deals.length;
  const owner = new Int32Array(size).fill(-1);
  const weight = new Float64Array(size);
  const rank = new Int32Array(size);
  const segments = segmentIds(deals);
  const servedKeyCache = new ServedKeyCache();
  const noRate = new Map<number, string>();
  let counted = 0;
  for (let d = 0; d < size; d++) {
    const deal = deals[d]!;
    if (deal.status !== 'open' || deal.ownerId === null) continue;
    if (skipDealId !== undefined && deal.id === skipDealId) continue;
    const index = indexOf[deal.ownerId];
    if (index === undefined) continue;
    const info = stage(deal.stage);
    let multiplier = 1;
    if (settings.amountTiers.length > 0) {
      const tier = amountTier(deal, settings.amountTiers, rates, state.reportingCurrency);
      multiplier = tier.multiplier;
      if (tier.noRateFor !== null) noRate.set(d, tier.noRateFor);
    }
    const w = Math.round(info.weight * multiplier * MILLI);
    owner[d] = index;
    weight[d] = w;
    rank[d] = info.rank;
    load[index]! += w;
    counted += 1;
  }
  // Counting sort of deal indices by owner.
  const dealStart = new Int32Array(managers.length + 1);
  for (let d = 0; d < size; d++) if (owner[d]! >= 0) dealStart[owner[d]! + 1]! += 1;
  for (let i = 0; i < managers.length; i++) dealStart[i + 1]! += dealStart[i]!;
  const fill = dealStart.slice(0, managers.length);
  const dealIndex = new Int32Array(counted);
  for (let d = 0; d < size; d++) if (owner[d]! >= 0) dealIndex[fill[owner[d]!]!++] = d;
  return {
    settings,
    managers,
    capacity,
    load,
    limit,
    overLimit,
    absentUntil,
    served: managers.map((m) => servedKeySet(m, servedKeyCache)),
    deals,
    owner,
    weight,
    rank,
    ...segments,
    noRate,
    reportingCurrency: state.reportingCurrency ?? null,
    locale: state.locale ?? 'en',
    dealStart,
    dealIndex,
  };
}

function segmentIds(deals: readonly Deal[]): Pick<LoadModel, 'segmentOf' | 'keys' | 'labels'> {
  const keys: string[] = [];
  const labels: (string | null)[] = [];
  // By segment as written, in a null-prototype object like indexOf; deals without a segment share noSegment.
  const idOf: Record<string, number> = Object.create(null);
  let noSegment = -1;
  const known = new Int32Array(deals.length).fill(-1);
  const segmentOf = (d: number): number => {
    if (known[d]! >= 0) return known[d]!;
    const segment = deals[d]!.segment;
    let id = segment === null ? noSegment : idOf[segment];
    if (id === undefined || id < 0) {
      id = keys.push(segmentKey(segment)) - 1;
      labels.push(segmentLabel(segment));
      if (segment === null) noSegment = id;
      else idOf[segment] = id;
    }
    return (known[d] = id);
  };
  return { segmentOf, keys, labels };
}

/** Indices of manager i's open deals. */
export function dealsOf(model: LoadModel, i: number): Int32Array {
  return model.dealIndex.subarray(model.dealStart[i]!, model.dealStart[i + 1]!);
}

/** load ÷ capacity, Infinity when there is load and no capacity. */
export function utilisationOf(load: number, capacity: number): number {
  if (capacity === 0) return load === 0 ? 0 : Infinity;
  return load / MILLI / capacity;
}

/** Infinity does not survive JSON, so "load without capacity" is reported as null. */
export function reportedUtilisation(load: number, capacity: number): number | null {
  const u = utilisationOf(load, capacity);
  return Number.isFinite(u) ? u : null;
}

export function statusOf(model: LoadModel, i: number, load: number): LoadStatus {
  if (model.absentUntil[i] !== null) return 'absent';
  if (load > model.overLimit[i]!) return 'over';
  return utilisationOf(load, model.capacity[i]!) < model.settings.underBelow ? 'under' : 'ok';
}

/**
 * Whether a deal needs cover while its owner is away until `absentUntil`: it falls due (expected close, overdue ones
 * included) on or before the last day away. A deal closing after the absence, or with no close date, waits for
 * its owner: handing it over costs more than the wait.
 */
export function fallsDueBy(expectedClose: string | null, absentUntil: string | null): boolean {
  return absentUntil !== null && expectedClose !== null && expectedClose <= absentUntil;
}

/** fallsDueBy for deal d of manager i. */
export function fallsDueInAbsence(model: LoadModel, d: number, i: number): boolean {
  return fallsDueBy(model.deals[d]!.expectedClose, model.absentUntil[i]!);
}

/** Per manager, how many of their open deals fall due in their absence. */
export function dueInAbsence(model: LoadModel): number[] {
  return model.managers.map((_, i) => {
    if (model.absentUntil[i] === null) return 0;
    let due = 0;
    for (const d of dealsOf(model, i)) if (fallsDueInAbsence(model, d, i)) due += 1;
    return due;
  });
}

/** Counts per manager other than the model's own (after some moves, or already computed). */
export interface Counts {
  openDeals?: readonly number[];
  dueInAbsence?: readonly number[];
}

export function managerLoads(model: LoadModel, load: readonly number[] = model.load, counts: Counts = {}): ManagerLoad[] {
  const due = counts.dueInAbsence ?? dueInAbsence(model);
  return model.managers.map((m, i) => ({
    managerId: m.id,
    name: m.name,
    capacity: model.capacity[i]!,
    load: load[i]! / MILLI,
    utilisation: reportedUtilisation(load[i]!, model.capacity[i]!),
    status: statusOf(model, i, load[i]!),
    openDeals: counts.openDeals?.[i] ?? model.dealStart[i + 1]! - model.dealStart[i]!,
    absentUntil: model.absentUntil[i]!,
    dueInAbsence: due[i]!,
  }));
}

/** Every manager's load, utilisation and status today, sorted by manager id. */
export function loadReport(state: BalanceState): ManagerLoad[] {
  return managerLoads(buildLoadModel(state));
}

const byId = (a: Deal, b: Deal) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Which of an overloaded manager's deals to offer first: early-stage ones (little relationship built yet, so a
 * hand-over costs least), and within a stage the heaviest, so that fewer moves are needed; then by id.
 */
export function stageOrderKey(model: LoadModel, d: number): number {
  // Weights stay below 2^37 milli-units (1000 × 100 × 1000), ranks below 2^9: the sum is an exact integer.
  return model.rank[d]! * 2 ** 37 + (2 ** 37 - 1 - model.weight[d]!);
}

export function rebalanceOrder(model: LoadModel): (a: number, b: number) => number {
  return (a, b) => stageOrderKey(model, a) - stageOrderKey(model, b) || byDealId(model)(a, b);
}

export function byDealId(model: LoadModel): (a: number, b: number) => number {
  return (a, b) => byId(model.deals[a]!, model.deals[b]!);
}
