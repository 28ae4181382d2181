import { BalanceSettings, type BalanceState, type Deal, type LoadStatus, type ManagerLoad, type User } from '../schema';
import { servedKeys } from './segments';
import { stageLookup, tierMultiplier } from './weights';

/*
 * Loads are kept in integer thousandths of a load unit ("milli-units") so that sums are exact: the same deals give
 * the same load in any order, which is what makes the suggestions independent of input order.
 */
export const MILLI = 1000;

/** An open deal of one of the managers, with what the algorithm needs precomputed. */
export interface LoadedDeal {
  deal: Deal;
  owner: number;
  weight: number;
  rank: number;
}

/** The state digested once: managers sorted by id and addressed by index. */
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
  dealsOf: LoadedDeal[][];
  served: Set<string>[];
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
  const indexOf = new Map(managers.map((m, i) => [m.id, i]));
  const absentUntil = managers.map((m) => absenceCovering(m, state.today));
  const capacity = managers.map((m, i) => (absentUntil[i] === null ? m.capacity : 0));
  const target = settings.targetUtilisation;
  // A tiny epsilon absorbs binary fractions such as 0.85 × 7 × 1000 = 5949.999…
  const limit = capacity.map((c) => Math.floor(c * target * MILLI + 1e-6));
  const overLimit = capacity.map((c) => Math.floor(c * settings.overAbove * MILLI + 1e-6));
  const load = managers.map(() => 0);
  const dealsOf: LoadedDeal[][] = managers.map(() => []);
  const stage = stageLookup(settings);
  const rates = state.rates ?? {};
  for (const deal of state.deals) {
    if (deal.status !== 'open' || deal.ownerId === null || deal.id === skipDealId) continue;
    const owner = indexOf.get(deal.ownerId);
    if (owner === undefined) continue;
    const info = stage(deal.stage);
    const multiplier = settings.amountTiers.length === 0 ? 1 : tierMultiplier(deal, settings.amountTiers, rates, state.reportingCurrency);
    const weight = Math.round(info.weight * multiplier * MILLI);
    load[owner]! += weight;
    dealsOf[owner]!.push({ deal, owner, weight, rank: info.rank });
  }
  return {
    settings,
    managers,
    capacity,
    load,
    limit,
    overLimit,
    absentUntil,
    dealsOf,
    served: managers.map((m) => new Set(servedKeys(m))),
  };
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

export function managerLoads(model: LoadModel, load: readonly number[] = model.load, openDeals?: readonly number[]): ManagerLoad[] {
  return model.managers.map((m, i) => ({
    managerId: m.id,
    name: m.name,
    capacity: model.capacity[i]!,
    load: load[i]! / MILLI,
    utilisation: reportedUtilisation(load[i]!, model.capacity[i]!),
    status: statusOf(model, i, load[i]!),
    openDeals: openDeals?.[i] ?? model.dealsOf[i]!.length,
    absentUntil: model.absentUntil[i]!,
  }));
}

/** Every manager's load, utilisation and status today, sorted by manager id. */
export function loadReport(state: BalanceState): ManagerLoad[] {
  return managerLoads(buildLoadModel(state));
}

/** Cover order: the deal closing soonest needs someone first; then the heavier; then by id for determinism. */
export function coverOrder(a: LoadedDeal, b: LoadedDeal): number {
  const ca = a.deal.expectedClose ?? '9999-99-99';
  const cb = b.deal.expectedClose ?? '9999-99-99';
  if (ca !== cb) return ca < cb ? -1 : 1;
  if (a.weight !== b.weight) return b.weight - a.weight;
  return a.deal.id < b.deal.id ? -1 : a.deal.id > b.deal.id ? 1 : 0;
}

/**
 * Which of an overloaded manager's deals to offer first: early-stage ones (little relationship built yet, so a
 * hand-over costs least), and within a stage the heaviest, so that fewer moves are needed; then by id.
 */
export function rebalanceOrder(a: LoadedDeal, b: LoadedDeal): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.weight !== b.weight) return b.weight - a.weight;
  return a.deal.id < b.deal.id ? -1 : a.deal.id > b.deal.id ? 1 : 0;
}
