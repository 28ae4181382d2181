import { describe, expect, it } from 'vitest';
import { DailyTotals, departmentProgress, targetMismatch } from '../../../core/plan';
import { plan, won } from './fixtures';

const base = { rates: { USD: 0.9 }, reportingCurrency: 'EUR', holidays: [], today: '2026-03-16' };

describe('departmentProgress', () => {
  const plans = [
    plan({ id: 'dept', target: 10_000 }),
    plan({ id: 'p-maya', ownerId: 'maya', target: 6000 }),
    plan({ id: 'p-tom', ownerId: 'tom', target: 3000 }),
    plan({ id: 'p-old', ownerId: 'maya', start: '2026-02-01', target: 1 }),
    plan({ id: 'p-buy', ownerId: 'maya', kind: 'purchase', target: 1 }),
  ];
  const deals = [won('2026-03-02', { amount: 3000 }), won('2026-03-03', { amount: 1000, ownerId: 'tom' }), won('2026-03-04', { amount: 200, ownerId: 'ana' })];

  it('returns the department and every manager, flagging unplanned ones and the target gap', () => {
    const result = departmentProgress({ ...base, plans, deals, kind: 'sale', unit: 'month', start: '2026-03-01', managerIds: ['ana', 'tom'] });
    expect(result.department).toMatchObject({ planId: 'dept', planned: true, actual: 4200, target: 10_000 });
    expect(result.managers.map((m) => [m.ownerId, m.planned, m.target, m.actual])).toEqual([
      ['ana', false, 0, 200],
      ['maya', true, 6000, 3000],
      ['tom', true, 3000, 1000],
    ]);
    expect(result.mismatch).toMatchObject({ departmentTarget: 10_000, managersTotal: 9000, difference: -1000 });
  });

  it('reads won deals from the aggregate when given one', () => {
    const totals = new DailyTotals();
    deals.forEach((d) => totals.add(d));
    const fromTotals = departmentProgress({ ...base, plans, deals: [], wonTotals: totals, kind: 'sale', unit: 'month', start: '2026-03-01' });
    const fromDeals = departmentProgress({ ...base, plans, deals, kind: 'sale', unit: 'month', start: '2026-03-01' });
    expect(fromTotals).toEqual(fromDeals);
  });
});

describe('targetMismatch', () => {
  it('is silent when the managers add up, converting other currencies', () => {
    expect(targetMismatch([plan({ id: 'd', target: 1900 }), plan({ id: 'm', ownerId: 'maya', target: 1000 }), plan({ id: 't', ownerId: 'tom', target: 1000, currency: 'USD' })], { USD: 0.9 }, 'EUR')).toEqual([]);
  });

  it('names manager plans it cannot convert, and ignores groups without a department plan', () => {
    const result = targetMismatch([
      plan({ id: 'd', target: 1000 }),
      plan({ id: 'm', ownerId: 'maya', target: 1000 }),
      plan({ id: 'y', ownerId: 'tom', target: 5, currency: 'JPY' }),
      plan({ id: 'lonely', ownerId: 'tom', start: '2026-04-01' }),
    ], {}, 'EUR');
    expect(result).toEqual([
      { kind: 'sale', unit: 'month', start: '2026-03-01', currency: 'EUR', departmentTarget: 1000, managersTotal: 1000, difference: 0, managerPlanIds: ['m', 'y'], unconvertiblePlanIds: ['y'] },
    ]);
  });
});
