import { describe, expect, it } from 'vitest';
import { convert, ifWon, planProgress } from '../../../core/plan';
import { deal, plan, won } from './fixtures';

// March 2026: 22 weekdays; 17 March is a holiday below, leaving 21. Monday 16 March is the 11th working day.
const holidays = ['2026-03-17'];
const rates = { USD: 0.9, GBP: 1.2 };
const base = { holidays, rates, reportingCurrency: 'EUR' };

describe('convert', () => {
  it('goes through the reporting currency and refuses unknown currencies', () => {
    expect(convert(100, 'USD', 'EUR', rates, 'EUR')).toBeCloseTo(90);
    expect(convert(120, 'GBP', 'USD', rates, 'EUR')).toBeCloseTo(160);
    expect(convert(100, 'JPY', 'EUR', rates, 'EUR')).toBeNull();
    expect(convert(100, 'JPY', 'JPY', rates, 'EUR')).toBe(100);
    expect(convert(100, 'USD', 'EUR', { USD: 0 }, 'EUR')).toBeNull();
  });
});

describe('planProgress', () => {
  it('computes pace, projections and what is still needed for a manager', () => {
    const deals = [
      won('2026-03-03', { amount: 2000 }),
      won('2026-03-10', { amount: 1000, currency: 'USD' }), // 900 EUR
      won('2026-03-12', { amount: 500, ownerId: 'tom' }), // another manager
      won('2026-02-27', { amount: 9999 }), // before the period
      won('2026-03-05', { amount: 700, kind: 'purchase' }), // other kind
      deal({ status: 'lost', closedAt: '2026-03-05T10:00:00Z', amount: 5000 }),
      deal({ expectedClose: '2026-03-20', amount: 4000, probability: 25 }),
      deal({ expectedClose: '2026-03-10', amount: 4000, probability: 90 }), // overdue: not counted on
      deal({ expectedClose: '2026-04-02', amount: 4000, probability: 90 }), // next period
    ];
    const p = planProgress({ ...base, plan: plan({ ownerId: 'maya', target: 10_000, countTarget: 4 }), deals, today: '2026-03-16' });
    expect(p.period).toEqual({ start: '2026-03-01', end: '2026-03-31' });
    expect(p.actual).toBeCloseTo(2900);
    expect(p.count).toBe(2);
    expect(p.countAttainmentPct).toBe(50);
    expect(p.attainmentPct).toBeCloseTo(29);
    expect(p.workingDays).toEqual({ total: 21, elapsed: 11, remaining: 11 });
    expect(p.expectedByNow).toBeCloseTo((10_000 * 11) / 21);
    expect(p.aheadBy).toBeCloseTo(2900 - (10_000 * 11) / 21);
    expect(p.runRateProjection).toBeCloseTo((2900 / 11) * 21);
    expect(p.weightedPipeline).toBeCloseTo(1000);
    expect(p.openPipeline).toBeCloseTo(4000);
    expect(p.pipelineProjection).toBeCloseTo(3900);
    expect(p.neededPerWorkingDay).toBeCloseTo(7100 / 11);
    expect(p.pipelineCoverage).toBeCloseTo(4000 / 7100);
    expect(p.excluded).toEqual([]);
  });

  it('counts every manager and unassigned deals for the department', () => {
    const deals = [won('2026-03-03', { amount: 2000 }), won('2026-03-04', { amount: 500, ownerId: 'tom' }), won('2026-03-05', { amount: 100, ownerId: null })];
    const p = planProgress({ ...base, plan: plan(), deals, today: '2026-03-16' });
    expect(p.actual).toBe(2600);
    expect(p.count).toBe(3);
  });

  it('excludes and lists deals in currencies without a rate, never summing them unconverted', () => {
    const deals = [
      won('2026-03-03', { amount: 2000 }),
      won('2026-03-04', { amount: 300_000, currency: 'JPY' }),
      won('2026-03-04', { amount: 100_000, currency: 'JPY' }),
      won('2026-03-05', { amount: null }),
      won('2026-03-05', { amount: 50, currency: null }),
      deal({ id: 'open-jpy', expectedClose: '2026-03-25', amount: 1_000_000, currency: 'JPY' }),
      deal({ id: 'open-noprob', expectedClose: '2026-03-25', probability: null }),
    ];
    const p = planProgress({ ...base, plan: plan({ countTarget: 10 }), deals, today: '2026-03-16' });
    expect(p.actual).toBe(2000);
    expect(p.count).toBe(5);
    expect(p.excluded).toEqual([
      { reason: 'no-probability', status: 'open', currency: 'EUR', count: 1, amount: 1000, dealIds: ['open-noprob'] },
      { reason: 'no-rate', status: 'open', currency: 'JPY', count: 1, amount: 1_000_000, dealIds: ['open-jpy'] },
      { reason: 'no-amount', status: 'won', currency: 'EUR', count: 1, amount: 0, dealIds: [] },
      { reason: 'no-currency', status: 'won', currency: null, count: 1, amount: 50, dealIds: [] },
      { reason: 'no-rate', status: 'won', currency: 'JPY', count: 2, amount: 400_000, dealIds: [] },
    ]);
    expect(p.weightedPipeline).toBe(0);
  });

  it('reports in the plan currency when it differs from the reporting currency', () => {
    const p = planProgress({ ...base, plan: plan({ currency: 'USD', target: 1000 }), deals: [won('2026-03-03', { amount: 90 })], today: '2026-03-16' });
    expect(p.actual).toBeCloseTo(100);
    expect(p.attainmentPct).toBeCloseTo(10);
  });

  it('defines the edges: before the period, after it, met target, zero target', () => {
    const deals = [won('2026-03-03', { amount: 4000 })];
    const before = planProgress({ ...base, plan: plan(), deals, today: '2026-02-20' });
    expect(before.workingDays.elapsed).toBe(0);
    expect(before.expectedByNow).toBe(0);
    expect(before.runRateProjection).toBe(4000); // nothing to extrapolate from
    expect(before.neededPerWorkingDay).toBeCloseTo(6000 / 21);

    const after = planProgress({ ...base, plan: plan(), deals, today: '2026-04-02' });
    expect(after.expectedByNow).toBe(10_000);
    expect(after.workingDays.remaining).toBe(0);
    expect(after.neededPerWorkingDay).toBeNull(); // unmet and no day left
    expect(after.runRateProjection).toBe(4000);

    const met = planProgress({ ...base, plan: plan({ target: 3000 }), deals, today: '2026-03-16' });
    expect(met.neededPerWorkingDay).toBe(0);
    expect(met.pipelineCoverage).toBeNull();

    const zero = planProgress({ ...base, plan: plan({ target: 0 }), deals, today: '2026-03-16' });
    expect(zero.attainmentPct).toBeNull();
  });

  it('tells what winning an open deal would do', () => {
    const deals = [won('2026-03-03', { amount: 2000 })];
    const p = planProgress({ ...base, plan: plan({ ownerId: 'maya' }), deals, today: '2026-03-16' });
    const candidate = deal({ id: 'big', amount: 3000, currency: 'USD' }); // 2700 EUR
    const w = ifWon(p, candidate, rates, 'EUR');
    expect(w.counts).toBe(true);
    expect(w.amount).toBeCloseTo(2700);
    expect(w.attainmentPct).toBeCloseTo(47);
    expect(w.attainmentDeltaPct).toBeCloseTo(27);
    expect(w.neededPerWorkingDay).toBeCloseTo(5300 / 11);
    expect(ifWon(p, deal({ ownerId: 'tom' }), rates, 'EUR').counts).toBe(false);
    const yen = ifWon(p, deal({ currency: 'JPY' }), rates, 'EUR');
    expect(yen).toMatchObject({ counts: true, excludedBecause: 'no-rate', amount: 0, attainmentDeltaPct: 0 });
    const late = planProgress({ ...base, plan: plan({ ownerId: 'maya' }), deals, today: '2026-04-02' });
    expect(ifWon(late, candidate, rates, 'EUR').counts).toBe(false);
  });
});
