import { describe, expect, it } from 'vitest';
import type { Deal } from '../../../core/schema';
import { formatsFor, paceWords, periodName } from '../../../components/Dashboard/format';
import { axisTicks, burnUp, runRateEvidence } from '../../../components/PlanProgress/burnup';

function won(id: string, closedAt: string, amount: number | null, currency: string | null): Deal {
  return {
    id, crm: 'suitecrm', instance: 'https://crm.example.test', crmId: id, recordType: 'deal', title: `Deal ${id}`, kind: 'sale', amount, currency, stage: 'Closed Won',
    probability: 100, ownerId: 'u1', ownerLabel: null, segment: null, expectedClose: null, status: 'won', closedAt,
    source: 'import', url: null, updatedAt: closedAt, version: 1,
  };
}

describe('dashboard formats', () => {
  const format = formatsFor('EUR', 'en-GB');
  it('formats money in the workspace currency, percentages and pace in words', () => {
    expect(format.money(1234567.4)).toBe('€1,234,567');
    expect(format.percent(71.6)).toBe('72 %');
    expect(format.percent(null)).toBe('—');
    expect(paceWords(1500.2, format)).toEqual({ text: '€1,500 ahead', tone: 'ahead' });
    expect(paceWords(-80, format)).toEqual({ text: '€80 behind', tone: 'behind' });
    expect(paceWords(0.3, format)).toEqual({ text: 'on pace', tone: 'even' });
    // The same forms as the sidebar and the inbox (core/format, en-GB's), whatever the browser's locale.
    expect(formatsFor('USD', 'en-US').money(99)).toBe('US$99');
    expect(formatsFor('EUR', 'en-US').moneyCompact(1_420_000)).toBe('€1.4M');
    expect(formatsFor('EUR', 'en-US').date('2026-12-07T04:53:56.000Z')).toBe('7 Dec 2026');
  });
  it('names periods', () => {
    expect(periodName('month', { start: '2026-11-01', end: '2026-11-30' }, 'en-GB')).toBe('November 2026');
    expect(periodName('quarter', { start: '2026-10-01', end: '2026-12-31' }, 'en-GB')).toBe('Oct – Dec 2026');
    expect(periodName('year', { start: '2026-01-01', end: '2026-12-31' }, 'en-GB')).toBe('2026');
    expect(periodName('year', { start: '2026-04-01', end: '2027-03-31' }, 'en-GB')).toBe('FY 2026/27');
  });
});

describe('burnUp', () => {
  const base = {
    period: { start: '2026-11-01', end: '2026-11-30' },
    today: '2026-11-10',
    target: 2000,
    currency: 'EUR',
    rates: { USD: 0.5 },
    reportingCurrency: 'EUR',
    holidays: [],
    weekendDays: [0, 6],
  };

  it('cumulates won amounts per day in the plan currency and stops the actual line at today', () => {
    const result = burnUp({ ...base, deals: [won('a', '2026-11-02T10:00:00Z', 100, 'EUR'), won('b', '2026-11-02T15:00:00Z', 200, 'USD'), won('c', '2026-11-05T09:00:00Z', 50, 'EUR')] });
    expect(result.days).toHaveLength(30);
    expect(result.days[0]).toMatchObject({ date: '2026-11-01', actual: 0 });
    expect(result.days[1]!.actual).toBe(200);
    expect(result.days[4]!.actual).toBe(250);
    expect(result.days[9]!.actual).toBe(250);
    expect(result.days[10]!.actual).toBeNull();
    expect(result.notDrawn).toBe(0);
  });

  it('draws the pace line on working days, reaching the target on the last one', () => {
    const { days } = burnUp({ ...base, deals: [] });
    // 21 working days in November 2026; Sunday the 1st has none passed, Monday the 2nd one.
    expect(days[0]!.pace).toBe(0);
    expect(days[1]!.pace).toBeCloseTo(2000 / 21);
    expect(days[6]!.pace).toBeCloseTo(days[5]!.pace); // Saturday the 7th adds nothing
    expect(days[29]!.pace).toBeCloseTo(2000);
  });

  it('counts, rather than guesses, deals it cannot convert', () => {
    const result = burnUp({ ...base, deals: [won('a', '2026-11-02T10:00:00Z', 100, 'GBP'), won('b', '2026-11-03T10:00:00Z', null, 'EUR'), won('c', '2026-11-03T10:00:00Z', 10, 'EUR')] });
    expect(result.notDrawn).toBe(2);
    expect(result.days[9]!.actual).toBe(10);
  });
});

describe('the burn-up axis and what the run rate rests on', () => {
  it('labels values in round steps up past the highest line, the projection above the target included', () => {
    expect(axisTicks(1_420_000)).toEqual([0, 500_000, 1_000_000, 1_500_000]);
    expect(axisTicks(520_000)).toEqual([0, 200_000, 400_000, 600_000]);
    expect(axisTicks(100_000)).toEqual([0, 25_000, 50_000, 75_000, 100_000]);
    expect(axisTicks(0)).toEqual([0, 1]);
    for (const max of [1, 7, 99, 12_345, 987_654_321]) {
      const ticks = axisTicks(max);
      expect(ticks.at(-1)!, String(max)).toBeGreaterThanOrEqual(max);
      expect(ticks.length, String(max)).toBeLessThanOrEqual(6);
    }
  });

  it('says when a run rate rests on few won deals', () => {
    expect(runRateEvidence(0)).toBe('no deal won yet');
    expect(runRateEvidence(1)).toBe('rests on only 1 won deal');
    expect(runRateEvidence(3)).toBe('rests on only 3 won deals');
    expect(runRateEvidence(12)).toBe('from 12 won deals');
  });
});

describe('dashboard figures in a Russian browser', () => {
  it('write amounts, dates, pace and periods as Russian does', () => {
    const format = formatsFor('EUR', 'ru');
    expect(format.money(141_200)).toBe('141\u00a0200\u00a0€');
    expect(format.date('2026-12-07')).toBe('7 дек. 2026');
    expect(format.percent(58.4)).toBe('58\u00a0%');
    expect(format.moneyCompact(1_420_000)).toBe('1,4\u00a0млн\u00a0€');
    expect(format.moneyCompact(999_960)).toBe('1\u00a0млн\u00a0€');
    expect(formatsFor('RUB', 'ru-RU').moneyCompact(950_000)).toBe('950\u00a0тыс.\u00a0₽');
    expect(paceWords(1500.2, format)).toEqual({ text: 'опережение 1\u00a0500\u00a0€', tone: 'ahead' });
    expect(paceWords(0, format).text).toBe('в темпе');
    expect(periodName('month', { start: '2026-11-01', end: '2026-11-30' }, 'ru')).toBe('ноябрь 2026');
    expect(periodName('quarter', { start: '2026-10-01', end: '2026-12-31' }, 'ru')).toBe('окт. – дек. 2026');
    expect(periodName('year', { start: '2026-04-01', end: '2027-03-31' }, 'ru')).toBe('фин. год 2026/27');
    expect(runRateEvidence(3, 'ru')).toBe('всего по 3 выигранным сделкам');
  });
});
