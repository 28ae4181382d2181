import type { AmountTier, BalanceSettings, Deal, ExchangeRates } from '../schema';
import { convert } from '../plan/currency';

/** Stage names differ in case, spacing and punctuation between CRMs ("Proposal/Price Quote", "proposalpricequote"). */
export function stageKey(stage: string): string {
  return stage.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface StageInfo {
  /** Position in the pipeline, early = small; unknown stages come after every listed one. */
  rank: number;
  weight: number;
}

/**
 * Looks stages up once per distinct spelling, since 200,000 deals share a few dozen stage strings.
 */
export function stageLookup(settings: BalanceSettings): (stage: string | null) => StageInfo {
  const known = new Map<string, StageInfo>();
  settings.stages.forEach((s, rank) => {
    const key = stageKey(s.stage);
    if (!known.has(key)) known.set(key, { rank, weight: s.weight });
  });
  const unknown: StageInfo = { rank: settings.stages.length, weight: settings.defaultWeight };
  const cache = new Map<string, StageInfo>();
  return (stage) => {
    if (stage === null) return unknown;
    let info = cache.get(stage);
    if (!info) {
      info = known.get(stageKey(stage)) ?? unknown;
      cache.set(stage, info);
    }
    return info;
  };
}

/**
 * The multiplier of the highest tier the deal's amount reaches, in the reporting currency. A deal without an
 * amount, or in a currency without a rate, gets 1: its size is unknown, so it weighs what its stage says.
 */
export function tierMultiplier(
  deal: Pick<Deal, 'amount' | 'currency'>,
  tiers: readonly AmountTier[],
  rates: ExchangeRates,
  reportingCurrency: string | undefined,
): number {
  if (tiers.length === 0 || deal.amount === null || deal.currency === null || reportingCurrency === undefined) return 1;
  const amount = convert(deal.amount, deal.currency, reportingCurrency, rates, reportingCurrency);
  if (amount === null) return 1;
  let multiplier = 1;
  let reached = -1;
  for (const tier of tiers) {
    if (amount >= tier.minAmount && tier.minAmount > reached) {
      reached = tier.minAmount;
      multiplier = tier.multiplier;
    }
  }
  return multiplier;
}
