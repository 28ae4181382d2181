import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { suggestReassignments } from '../../../core/balance';
import type { BalanceState } from '../../../core/schema';
import { balanceInput } from '../../bench/plan-balance';

/*
 * The answers of suggestReassignments on the bench's own inputs (fixed seeds), pinned by a digest of the whole
 * answer, so that work on its speed cannot change a single move, reason, utilisation or uncovered deal unnoticed.
 * The property tests say the answers are right; this says they stay the same. A deliberate change of the rules
 * changes these digests: check the new answers, then update them here with the reason in the commit.
 */
const digest = (state: BalanceState) => createHash('sha256').update(JSON.stringify(suggestReassignments(state))).digest('hex').slice(0, 16);

/** Amount tiers make weights differ within a stage; JPY has no rate, so its deals weigh their stage only. */
function withTiers(state: BalanceState): BalanceState {
  const currencies = ['EUR', 'EUR', 'USD', 'JPY'];
  return {
    ...state,
    deals: state.deals.map((deal, i) => ({ ...deal, currency: currencies[i % currencies.length]! })),
    settings: {
      stages: [{ stage: 'Prospecting', weight: 3 }, { stage: 'Qualification', weight: 3 }, { stage: 'Proposal/Price Quote', weight: 1.5 }, { stage: 'Negotiation/Review', weight: 1.25 }],
      defaultWeight: 2,
      amountTiers: [{ minAmount: 25_000, multiplier: 1.5 }, { minAmount: 75_000, multiplier: 2 }],
      overAbove: 1,
      underBelow: 0.5,
      targetUtilisation: 0.85,
    },
    rates: { USD: 0.9 },
    reportingCurrency: 'EUR',
  };
}

describe('suggestReassignments pinned answers', () => {
  it('gives the same answer as before on the bench floor (300 managers × 60,000 deals)', () => {
    const state = balanceInput(300, 60_000);
    const result = suggestReassignments(state);
    expect([result.moves.length, result.uncovered.length]).toEqual([2336, 0]);
    expect(digest(state)).toBe('95363258fa551909');
  });

  it('gives the same answer as before with amount tiers and a currency without a rate', () => {
    const state = withTiers(balanceInput(200, 40_000, 7));
    const result = suggestReassignments(state);
    expect([result.moves.length, result.uncovered.length]).toEqual([2363, 0]);
    expect(digest(state)).toBe('76c15b8aa0a3b5c0');
  });

  it('gives the same answer as before when nobody serves some absent manager\'s segments', () => {
    const floor = balanceInput(100, 20_000, 1);
    const state = { ...floor, managers: floor.managers.map((m) => ({ ...m, segments: { ...m.segments, tier: [] } })) };
    const result = suggestReassignments(state);
    expect([result.moves.length, result.uncovered.length]).toEqual([834, 12]);
    expect(digest(state)).toBe('29fe33105b9bb176');
  });
});
