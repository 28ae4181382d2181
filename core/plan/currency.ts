import type { ExchangeRates } from '../schema';

/** What one unit of `currency` is worth in the reporting currency, or null when no usable rate is known. */
export function rateOf(currency: string, rates: ExchangeRates, reportingCurrency?: string): number | null {
  if (currency === reportingCurrency) return 1;
  const rate = rates[currency];
  // A zero, negative or non-finite rate is as good as none: summing with it would invent or erase money.
  return rate !== undefined && Number.isFinite(rate) && rate > 0 ? rate : null;
}

/**
 * Converts through the reporting currency (which needs no entry in `rates` when it is named). Returns null — never the unconverted amount — when either side has no
 * rate, so callers must decide visibly what to do with such a deal.
 */
export function convert(
  amount: number,
  from: string,
  to: string,
  rates: ExchangeRates,
  reportingCurrency?: string,
): number | null {
  if (from === to) return amount;
  const fromRate = rateOf(from, rates, reportingCurrency);
  const toRate = rateOf(to, rates, reportingCurrency);
  if (fromRate === null || toRate === null) return null;
  return (amount * fromRate) / toRate;
}

/**
 * Amounts are summed as whole cents so that sums are exact: the same deals give the same total in any order, and
 * adding then removing a deal from an aggregate leaves no residue. Exact up to 2^53 cents (≈ 90 trillion).
 */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}
