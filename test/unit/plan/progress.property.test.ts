import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DailyTotals, dayNumber, isoDate, planProgress, wonBetweenFromDeals } from '../../../core/plan';
import type { Deal } from '../../../core/schema';
import { deal, plan } from './fixtures';

const first = dayNumber('2026-01-01');
const day = fc.integer({ min: first - 40, max: first + 420 }).map(isoDate);
const owner = fc.constantFrom('maya', 'tom', 'ana', null);
const currency = fc.constantFrom('EUR', 'USD', 'GBP', 'JPY', null);
const rates = { USD: 0.9, GBP: 1.2 }; // JPY has none

const arbDeal = fc
  .record({
    id: fc.uuid(),
    kind: fc.constantFrom('sale' as const, 'purchase' as const),
    status: fc.constantFrom('open' as const, 'won' as const, 'lost' as const),
    amount: fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: null, freq: 8 }),
    currency,
    probability: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null, freq: 8 }),
    ownerId: owner,
    date: day,
  })
  .map(({ date, ...f }): Deal =>
    deal({ ...f, closedAt: f.status === 'open' ? null : `${date}T12:00:00+02:00`, expectedClose: f.status === 'open' ? date : null }),
  );

const arbPlan = fc.record({
  ownerId: owner,
  kind: fc.constantFrom('sale' as const, 'purchase' as const),
  period: fc.constantFrom('month' as const, 'quarter' as const, 'year' as const),
  start: fc.constantFrom('2026-01-01', '2026-03-01', '2026-04-01', '2026-07-01'),
  target: fc.double({ min: 0, max: 1e8, noNaN: true }),
  currency: fc.constantFrom('EUR', 'USD'),
});

const input = { rates, reportingCurrency: 'EUR', holidays: ['2026-03-17', '2026-05-01'] };

describe('planProgress properties', () => {
  it('gives identical results from the daily aggregate and from raw deals, after any adds and removes', () => {
    fc.assert(
      fc.property(fc.array(arbDeal, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 20 }), arbPlan.map((p) => plan(p)), day, (deals, removals, p, today) => {
        const totals = new DailyTotals();
        for (const d of deals) totals.add(d);
        // Churn: remove some deals again (as an ingest would when they change) and compare with a fresh scan.
        const removed = new Set(removals.map((i) => deals[i % Math.max(1, deals.length)]?.id));
        for (const d of deals) if (removed.has(d.id)) totals.remove(d);
        const kept = deals.filter((d) => !removed.has(d.id));
        const raw = planProgress({ ...input, plan: p, deals: kept, today });
        const aggregated = planProgress({ ...input, plan: p, deals: kept.filter((d) => d.status === 'open'), wonTotals: totals, today });
        expect(aggregated).toEqual(raw);
      }),
    );
  });

  it('sums any day range, whole months or not, exactly like a scan of the deals', () => {
    fc.assert(
      fc.property(fc.array(arbDeal, { maxLength: 80 }), day, fc.integer({ min: -3, max: 400 }), owner, (deals, from, length, who) => {
        const totals = new DailyTotals();
        deals.forEach((d) => totals.add(d));
        const first = dayNumber(from);
        for (const kind of ['sale', 'purchase'] as const) {
          expect(totals.wonBetween(who, kind, first, first + length)).toEqual(wonBetweenFromDeals(deals, who, kind, first, first + length));
        }
      }),
    );
  });

  it('never sums a currency without a rate, and accounts for every won deal in scope', () => {
    fc.assert(
      fc.property(fc.array(arbDeal, { maxLength: 60 }), day, (deals, today) => {
        const p = planProgress({ ...input, plan: plan({ period: 'year', start: '2026-01-01' }), deals, today });
        const inScope = deals.filter((d) => d.status === 'won' && d.kind === 'sale' && d.closedAt!.slice(0, 4) === '2026');
        const summable = inScope.filter((d) => d.amount !== null && d.currency !== null && d.currency !== 'JPY');
        const expected = summable.reduce((s, d) => s + Math.round(d.amount! * 100) * (d.currency === 'EUR' ? 1 : rates[d.currency as 'USD' | 'GBP']), 0) / 100;
        expect(p.actual).toBeCloseTo(expected, 2);
        expect(p.count).toBe(inScope.length);
        const excludedWon = p.excluded.filter((g) => g.status === 'won').reduce((n, g) => n + g.count, 0);
        expect(excludedWon).toBe(inScope.length - summable.length);
        expect(p.excluded.filter((g) => g.currency === 'JPY').every((g) => g.reason === 'no-rate' || g.reason === 'no-amount')).toBe(true);
      }),
    );
  });

  it('has attainment monotone in actual', () => {
    fc.assert(
      fc.property(fc.array(arbDeal, { maxLength: 30 }), arbDeal, fc.double({ min: 1, max: 1e8, noNaN: true }), (deals, extra, target) => {
        const p = plan({ period: 'year', start: '2026-01-01', target, ownerId: null });
        const extraWon: Deal = { ...extra, kind: 'sale', status: 'won', currency: 'EUR', amount: extra.amount ?? 1, closedAt: '2026-06-01T10:00:00Z' };
        const without = planProgress({ ...input, plan: p, deals, today: '2026-06-15' });
        const withIt = planProgress({ ...input, plan: p, deals: [...deals, extraWon], today: '2026-06-15' });
        expect(withIt.actual).toBeGreaterThanOrEqual(without.actual);
        expect(withIt.attainmentPct!).toBeGreaterThanOrEqual(without.attainmentPct!);
      }),
    );
  });

  it('keeps expectedByNow between 0 and the target and monotone in today', () => {
    fc.assert(
      fc.property(arbPlan, day, fc.integer({ min: 1, max: 100 }), (p, today, step) => {
        const later = isoDate(dayNumber(today) + step);
        const a = planProgress({ ...input, plan: plan(p), deals: [], today });
        const b = planProgress({ ...input, plan: plan(p), deals: [], today: later });
        expect(a.expectedByNow).toBeGreaterThanOrEqual(0);
        expect(a.expectedByNow).toBeLessThanOrEqual(p.target);
        expect(b.expectedByNow).toBeGreaterThanOrEqual(a.expectedByNow);
        expect(b.workingDays.elapsed).toBeGreaterThanOrEqual(a.workingDays.elapsed);
      }),
    );
  });
});
