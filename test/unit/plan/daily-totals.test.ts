import { describe, expect, it } from 'vitest';
import { DailyTotals, dayNumber, isoDate, wonBetweenFromDeals } from '../../../core/plan';
import type { Deal } from '../../../core/schema';
import { won } from './fixtures';

describe('DailyTotals', () => {
  it('stays exact through growth, removals and slot reuse over thousands of cells', () => {
    const first = dayNumber('2025-01-01');
    const currencies = ['EUR', 'USD', null] as const;
    const deals: Deal[] = Array.from({ length: 6000 }, (_, i) =>
      won(isoDate(first + ((i * 7919) % 500)), {
        id: `w${i}`,
        ownerId: i % 13 === 0 ? null : `m${i % 40}`,
        kind: i % 5 === 0 ? 'purchase' : 'sale',
        currency: currencies[i % 3]!,
        amount: i % 17 === 0 ? null : (i * 104729) % 1_000_000 / 100,
      }),
    );
    const totals = new DailyTotals();
    deals.forEach((d) => totals.add(d));
    // An ingest that moves every third deal to another day: old contribution out, new one in.
    const moved = deals.map((d, i) => (i % 3 === 0 ? { ...d, closedAt: `${isoDate(first + ((i * 31) % 500))}T09:00:00Z` } : d));
    deals.forEach((d, i) => i % 3 === 0 && totals.update(d, moved[i]!));
    // And every fourth deal is reopened, so it leaves the totals.
    moved.forEach((d, i) => i % 4 === 0 && totals.remove(d));
    const kept = moved.filter((_, i) => i % 4 !== 0);
    for (const owner of [null, 'm1', 'm7', 'm39']) {
      for (const kind of ['sale', 'purchase'] as const) {
        for (const [from, to] of [[first, first + 499], [first + 17, first + 95], [first + 31, first + 31]] as const) {
          expect(totals.wonBetween(owner, kind, from, to)).toEqual(wonBetweenFromDeals(kept, owner, kind, from, to));
        }
      }
    }
  });

  it('ignores open, lost and undated deals', () => {
    const totals = new DailyTotals();
    expect(totals.add(won('2026-03-02', { status: 'lost' }))).toBe(false);
    expect(totals.add(won('2026-03-02', { status: 'open', closedAt: null }))).toBe(false);
    expect(totals.add(won('2026-03-02', { closedAt: null }))).toBe(false);
    expect(totals.wonBetween(null, 'sale', dayNumber('2026-01-01'), dayNumber('2026-12-31')).size).toBe(0);
  });
});
