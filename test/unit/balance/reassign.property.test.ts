import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadReport, naiveReassign, segmentKey, servedKeys, suggestOwner, suggestReassignments } from '../../../core/balance';
import type { BalanceState, Deal, ManagerLoad, User } from '../../../core/schema';
import { manager, openDeal } from './fixtures';

const today = '2026-03-16';
const regions = ['EMEA', 'APAC', 'LATAM'];
const stages = ['Prospecting', 'qualification', 'Proposal', 'Contract Sent', 'Negotiation', 'Mystery stage', null];

const arbManager = (id: string) =>
  fc
    .record({
      capacity: fc.oneof(
        { arbitrary: fc.constant(0), weight: 1 },
        { arbitrary: fc.integer({ min: 1, max: 12 }), weight: 4 },
        { arbitrary: fc.integer({ min: 13, max: 40 }), weight: 2 },
      ),
      region: fc.subarray(regions),
      absent: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      tier: fc.subarray(['Enterprise', 'SMB']),
    })
    .map(({ capacity, region, absent, tier }): User =>
      manager(id, {
        capacity,
        segments: { region, product: [], tier },
        absences: absent ? [{ from: '2026-03-10', to: '2026-03-20' }] : [],
      }),
    );


const arbState: fc.Arbitrary<BalanceState> = fc
  .integer({ min: 2, max: 7 })
  .chain((m) => {
    const ids = Array.from({ length: m }, (_, i) => `m${i}`);
    const arbDeal = fc
      .record({
        id: fc.string({ minLength: 1, maxLength: 6 }),
        owner: fc.constantFrom(...ids, 'stranger'),
        stage: fc.constantFrom(...stages),
        segment: fc.constantFrom(null, null, null, 'EMEA', 'region: APAC', 'LATAM', 'Enterprise', 'tier: SMB', 'Mars'),
        status: fc.constantFrom('open' as const, 'open' as const, 'open' as const, 'won' as const, 'lost' as const),
        expectedClose: fc.constantFrom(null, '2026-03-20', '2026-04-10', '2026-06-01'),
      })
      .map((d): Deal => openDeal(d.id, d.owner, { stage: d.stage, segment: d.segment, status: d.status, expectedClose: d.expectedClose }));
    return fc.record({
      managers: fc.tuple(...ids.map(arbManager)),
      deals: fc.uniqueArray(arbDeal, { minLength: 4, maxLength: 60, selector: (d) => d.id }),
    });
  })
  .map(({ managers, deals }) => ({ today, managers, deals }));

function utilisations(loads: ManagerLoad[]): number[] {
  return loads.map((l) => (l.utilisation === null ? Infinity : l.utilisation));
}

function apply(state: BalanceState, moves: { dealId: string; to: string }[]): BalanceState {
  const to = new Map(moves.map((m) => [m.dealId, m.to]));
  return { ...state, deals: state.deals.map((d) => (to.has(d.id) ? { ...d, ownerId: to.get(d.id)! } : d)) };
}

describe('suggestReassignments properties', () => {
  it('never raises the maximum utilisation, and the reported after-state is what applying the moves gives', () => {
    fc.assert(
      fc.property(arbState, (state) => {
        const result = suggestReassignments(state);
        const after = loadReport(apply(state, result.moves));
        expect(after).toEqual(result.after);
        expect(Math.max(0, ...utilisations(after))).toBeLessThanOrEqual(Math.max(0, ...utilisations(result.before)));
      }),
    );
  });

  it('moves only open deals, each at most once, to a present manager who serves its segment, never past the target', () => {
    fc.assert(
      fc.property(arbState, (state) => {
        const result = suggestReassignments(state);
        const byId = new Map(state.deals.map((d) => [d.id, d]));
        const managers = new Map(state.managers.map((m) => [m.id, m]));
        expect(new Set(result.moves.map((m) => m.dealId)).size).toBe(result.moves.length);
        for (const move of result.moves) {
          const deal = byId.get(move.dealId)!;
          expect(deal.status).toBe('open');
          expect(deal.ownerId).toBe(move.from);
          const to = managers.get(move.to)!;
          expect(servedKeys(to)).toContain(segmentKey(deal.segment));
          expect(to.absences.some((a) => a.from <= today && today <= a.to)).toBe(false);
          expect(move.toAfter).toBeLessThanOrEqual(0.85 + 1e-12);
        }
      }),
    );
  });

  it('is independent of the order of managers and deals', () => {
    fc.assert(
      fc.property(arbState, fc.integer(), (state, seed) => {
        const shuffle = <T>(xs: T[]) => xs.map((x, i) => ({ x, k: Math.sin(seed + i * 7919) })).sort((a, b) => a.k - b.k).map((e) => e.x);
        const shuffled = { ...state, managers: shuffle(state.managers), deals: shuffle(state.deals) };
        expect(suggestReassignments(shuffled)).toEqual(suggestReassignments(state));
      }),
    );
  });

  it('makes exactly the moves of the naive baseline', () => {
    fc.assert(
      fc.property(arbState, (state) => {
        expect(suggestReassignments(state)).toEqual(naiveReassign(state));
      }),
    );
  });

  it('covers exactly the deals that fall due while their owner is away', () => {
    fc.assert(
      fc.property(arbState, (state) => {
        const result = suggestReassignments(state);
        const handled = new Set([...result.moves.filter((m) => m.why === 'cover').map((m) => m.dealId), ...result.uncovered.map((u) => u.dealId)]);
        for (const deal of state.deals) {
          const owner = state.managers.find((m) => m.id === deal.ownerId);
          const away = owner?.absences.find((a) => a.from <= today && today <= a.to);
          const due = deal.status === 'open' && away !== undefined && deal.expectedClose !== null && deal.expectedClose <= away.to;
          expect(handled.has(deal.id)).toBe(due);
        }
      }),
    );
  });

  it('covers absent managers first, and leaves an absent deal uncovered only when no eligible manager has room', () => {
    fc.assert(
      fc.property(arbState, (state) => {
        const result = suggestReassignments(state);
        const firstRebalance = result.moves.findIndex((m) => m.why === 'rebalance');
        if (firstRebalance >= 0) expect(result.moves.slice(firstRebalance).every((m) => m.why === 'rebalance')).toBe(true);
        // An uncovered deal: at the end of the cover phase, nobody present who serves it had room for it.
        const afterCover = apply(state, result.moves.filter((m) => m.why === 'cover'));
        const loads = new Map(loadReport(afterCover).map((l) => [l.managerId, l]));
        const present = state.managers.filter((m) => !m.absences.some((a) => a.from <= today && today <= a.to));
        for (const u of result.uncovered) {
          const deal = state.deals.find((d) => d.id === u.dealId)!;
          const weight = loadReport({ ...state, managers: [manager('probe', { capacity: 1 })], deals: [{ ...deal, ownerId: 'probe' }] })[0]!.load;
          for (const m of present) {
            if (!servedKeys(m).includes(segmentKey(deal.segment)) || m.capacity === 0) continue;
            const l = loads.get(m.id)!;
            const initiallyOver = loadReport(state).find((r) => r.managerId === m.id)!.status === 'over';
            if (initiallyOver) continue;
            expect(l.load + weight).toBeGreaterThan(0.85 * m.capacity - 1e-9);
          }
        }
      }),
    );
  });

  it('terminates on degenerate inputs: zero capacities, everyone overloaded, nobody with the segment', () => {
    const managers = [manager('a', { capacity: 0 }), manager('b', { capacity: 1 }), manager('c', { capacity: 0, absences: [{ from: today, to: today }] })];
    const deals = Array.from({ length: 50 }, (_, i) => openDeal(`d${i}`, ['a', 'b', 'c'][i % 3]!, { segment: i % 2 ? 'Mars' : null, expectedClose: today }));
    const result = suggestReassignments({ today, managers, deals });
    expect(result.moves).toEqual([]);
    expect(result.uncovered).toHaveLength(16); // every deal of c: all fall due today, while c is away
    expect(result.after).toEqual(result.before);
  });
});

describe('suggestOwner properties', () => {
  it('only suggests a present manager serving the segment, and the one least utilised afterwards', () => {
    fc.assert(
      fc.property(arbState, fc.constantFrom(null, 'EMEA', 'region: APAC', 'Mars'), (state, segment) => {
        const deal = openDeal('brand-new', 'nobody', { segment, ownerId: null });
        const s = suggestOwner(deal, state);
        const eligible = state.managers.filter(
          (m) => m.capacity > 0 && !m.absences.some((a) => a.from <= today && today <= a.to) && servedKeys(m).includes(segmentKey(segment)),
        );
        if (eligible.length === 0) expect(s).toBeNull();
        else {
          expect(eligible.map((m) => m.id)).toContain(s!.ownerId);
          const withIt = loadReport(apply({ ...state, deals: [...state.deals, deal] }, [{ dealId: 'brand-new', to: s!.ownerId }]));
          const chosen = withIt.find((l) => l.managerId === s!.ownerId)!;
          expect(chosen.utilisation).toBeCloseTo(s!.utilisationAfter, 12);
        }
      }),
    );
  });
});
