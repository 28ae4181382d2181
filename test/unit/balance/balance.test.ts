import { describe, expect, it } from 'vitest';
import { loadReport, naiveReassign, segmentKey, servedKeys, stageKey, suggestOwner, suggestReassignments } from '../../../core/balance';
import { BalanceSettings } from '../../../core/schema';
import { manager, openDeal } from './fixtures';

const today = '2026-03-16';

describe('load model', () => {
  it('weighs stages case- and punctuation-insensitively, early stages more, unknown ones by default', () => {
    expect(stageKey('Proposal/Price Quote')).toBe(stageKey('proposalpricequote'));
    const report = loadReport({
      today,
      managers: [manager('maya', { capacity: 10 })],
      deals: [
        openDeal('a', 'maya', { stage: 'QUALIFICATION' }), // 3
        openDeal('b', 'maya', { stage: 'contract sent' }), // 1
        openDeal('c', 'maya', { stage: 'Waiting for legal' }), // unknown: 2
        openDeal('d', 'maya', { stage: null }), // unknown: 2
        openDeal('e', 'maya', { status: 'won' }), // closed: no load
        openDeal('f', 'someone-else'),
      ],
    });
    expect(report).toEqual([{ managerId: 'maya', name: 'Maya', capacity: 10, load: 8, utilisation: 0.8, status: 'ok', openDeals: 4, absentUntil: null, dueInAbsence: 0 }]);
  });

  it('multiplies by the amount tier in the reporting currency', () => {
    const settings = BalanceSettings.parse({ amountTiers: [{ minAmount: 50_000, multiplier: 2 }, { minAmount: 10_000, multiplier: 1.5 }] });
    const [maya] = loadReport({
      today,
      settings,
      rates: { USD: 0.5 },
      reportingCurrency: 'EUR',
      managers: [manager('maya')],
      deals: [
        openDeal('a', 'maya', { amount: 60_000 }), // ×2 → 6
        openDeal('b', 'maya', { amount: 30_000, currency: 'USD' }), // 15,000 EUR ×1.5 → 4.5
        openDeal('c', 'maya', { amount: 90_000, currency: 'JPY' }), // no rate: ×1 → 3
      ],
    });
    expect(maya!.load).toBe(13.5);
  });

  it('never tiers an amount it cannot convert, and says so in the move and the owner suggestion', () => {
    const settings = BalanceSettings.parse({ amountTiers: [{ minAmount: 10_000, multiplier: 2 }] });
    const tom = manager('tom', { capacity: 20 });
    const state = {
      today,
      settings,
      rates: { USD: 0.5 },
      reportingCurrency: 'EUR',
      managers: [manager('maya', { capacity: 4 }), tom],
      deals: [
        openDeal('usd', 'maya', { amount: 30_000, currency: 'USD', stage: 'Prospecting' }), // 15,000 EUR: ×2 → 6
        openDeal('jpy', 'maya', { amount: 5_000_000, currency: 'JPY', stage: 'Qualification' }), // no rate: ×1 → 3
        openDeal('eur', 'maya', { amount: 5_000, stage: 'Contract Sent' }), // under the tier: 1
      ],
    };
    expect(loadReport(state)[0]!.load).toBe(10);
    const { moves } = suggestReassignments(state);
    const jpy = moves.find((m) => m.dealId === 'jpy')!;
    expect(jpy).toMatchObject({ weight: 3, noRateFor: 'JPY' });
    expect(jpy.reason).toBe('Maya is at 100 % of capacity; Tom has room (30 %). Its amount is in JPY, which has no rate to EUR, so it weighs its stage only.');
    const usd = moves.find((m) => m.dealId === 'usd')!;
    expect(usd).toMatchObject({ weight: 6, noRateFor: null });
    expect(usd.reason).not.toContain('rate');
    expect(naiveReassign(state)).toEqual(suggestReassignments(state));
    // With a rate the same deal is tiered like any other: 5,000,000 JPY × 0.006 = 30,000 EUR → ×2.
    expect(loadReport({ ...state, rates: { USD: 0.5, JPY: 0.006 } })[0]!.load).toBe(13);
    // A state without a reporting currency cannot convert anything: stage weight only, and said so.
    const noReporting = suggestOwner(state.deals[1]!, { ...state, reportingCurrency: undefined });
    expect(noReporting!.reason).toContain('Its amount is in JPY and no reporting currency is set, so it weighs its stage only.');
  });

  it('marks absence, overload and underload', () => {
    const report = loadReport({
      today,
      managers: [manager('ana', { absences: [{ from: '2026-03-10', to: '2026-03-20' }] }), manager('maya', { capacity: 4 }), manager('tom')],
      deals: [openDeal('a', 'ana'), openDeal('b', 'maya'), openDeal('c', 'maya'), openDeal('d', 'tom')],
    });
    expect(report.map((r) => [r.managerId, r.status, r.capacity, r.utilisation, r.absentUntil])).toEqual([
      ['ana', 'absent', 0, null, '2026-03-20'],
      ['maya', 'over', 4, 1.5, null],
      ['tom', 'under', 10, 0.3, null],
    ]);
  });

  it('matches segments in any dimension, or in the one named', () => {
    const emea = manager('tom', { segments: { region: ['EMEA'], product: [], tier: ['Enterprise'] } });
    expect(servedKeys(emea)).toContain(segmentKey(' emea '));
    expect(servedKeys(emea)).toContain(segmentKey('Region: EMEA'));
    expect(servedKeys(emea)).not.toContain(segmentKey('product: EMEA'));
    expect(servedKeys(emea)).toContain(segmentKey(null));
    expect(servedKeys(manager('x'))).not.toContain(segmentKey('EMEA'));
  });
});

describe('suggestReassignments', () => {
  it('moves early-stage deals from the overloaded manager to the one with room, explaining why', () => {
    const managers = [manager('maya', { capacity: 10 }), manager('tom', { capacity: 10, segments: { region: ['EMEA'], product: [], tier: [] } })];
    const deals = [
      openDeal('m1', 'maya', { stage: 'Contract Sent', segment: 'EMEA' }), // 1
      openDeal('m2', 'maya', { stage: 'Negotiation', segment: 'EMEA' }), // 1.5
      openDeal('m3', 'maya', { stage: 'Prospecting', segment: 'EMEA' }), // 3
      openDeal('m4', 'maya', { stage: 'Qualification', segment: 'EMEA' }), // 3
      openDeal('m5', 'maya', { stage: 'Discovery', segment: 'EMEA' }), // 2.5
      openDeal('m6', 'maya', { stage: 'Qualification', segment: 'EMEA' }), // 3 → maya 14
      openDeal('t1', 'tom', { stage: 'Qualification' }), // 3
    ];
    const result = suggestReassignments({ today, managers, deals });
    // Prospecting (earliest) goes first; the Qualification deals (3) no longer fit under Tom's 85 % target, so the
    // next stage's Discovery deal (2.5) fills Tom to exactly 85 % and brings Maya to 85 %.
    expect(result.moves).toEqual([
      {
        dealId: 'm3',
        dealTitle: 'Deal m3',
        why: 'rebalance',
        from: 'maya',
        to: 'tom',
        weight: 3,
        reason: 'Maya is at 140 % of capacity; Tom has room (30 %) and serves EMEA.',
        fromBefore: 1.4,
        fromAfter: 1.1,
        toBefore: 0.3,
        toAfter: 0.6,
        noRateFor: null,
      },
      {
        dealId: 'm5',
        dealTitle: 'Deal m5',
        why: 'rebalance',
        from: 'maya',
        to: 'tom',
        weight: 2.5,
        reason: 'Maya is at 110 % of capacity; Tom has room (60 %) and serves EMEA.',
        fromBefore: 1.1,
        fromAfter: 0.85,
        toBefore: 0.6,
        toAfter: 0.85,
        noRateFor: null,
      },
    ]);
    expect(result.after.map((m) => [m.managerId, m.status, m.openDeals])).toEqual([
      ['maya', 'ok', 4],
      ['tom', 'ok', 3],
    ]);
  });

  it('covers what falls due in an absence first, soonest closing deal first, and lists what nobody can take', () => {
    const managers = [
      manager('ana', { absences: [{ from: '2026-03-01', to: '2026-03-31' }] }),
      manager('tom', { capacity: 4 }),
      manager('zoe', { capacity: 10, segments: { region: ['APAC'], product: [], tier: [] } }),
    ];
    const deals = [
      openDeal('late', 'ana', { expectedClose: '2026-04-01' }), // after Ana is back: waits for her
      openDeal('undated', 'ana', { expectedClose: null }), // no close date: nothing falls due
      openDeal('last-day', 'ana', { expectedClose: '2026-03-31' }),
      openDeal('soon', 'ana', { expectedClose: '2026-03-20' }),
      openDeal('overdue', 'ana', { expectedClose: '2026-03-02' }),
      openDeal('latam', 'ana', { segment: 'LATAM', expectedClose: '2026-03-25' }),
    ];
    const result = suggestReassignments({ today, managers, deals });
    expect(result.moves.map((m) => [m.dealId, m.to, m.why])).toEqual([
      ['overdue', 'zoe', 'cover'],
      ['soon', 'zoe', 'cover'],
      ['last-day', 'tom', 'cover'],
    ]);
    expect(result.moves[0]!.reason).toBe('Ana is absent until 31 Mar 2026; Zoe has room (0 %).');
    expect(result.uncovered).toEqual([{ dealId: 'latam', ownerId: 'ana', reason: 'Ana is absent and no available manager serves LATAM.' }]);
    expect(result.before.find((m) => m.managerId === 'ana')).toMatchObject({ openDeals: 6, dueInAbsence: 4 });
    expect(result.after.find((m) => m.managerId === 'ana')).toMatchObject({ openDeals: 3, dueInAbsence: 1 }); // LATAM
  });

  it('does nothing when everyone is overloaded or nobody has capacity', () => {
    const managers = [manager('a', { capacity: 1 }), manager('b', { capacity: 0 })];
    const deals = [openDeal('1', 'a'), openDeal('2', 'b')];
    const result = suggestReassignments({ today, managers, deals });
    expect(result.moves).toEqual([]);
    expect(result.before.map((m) => m.utilisation)).toEqual([3, null]);
  });

  it('agrees with the naive baseline', () => {
    const managers = [manager('a', { capacity: 3 }), manager('b', { capacity: 20 }), manager('c', { capacity: 20 })];
    const deals = Array.from({ length: 12 }, (_, i) => openDeal(`d${i}`, 'a', { stage: i % 2 ? 'Proposal' : 'New' }));
    expect(naiveReassign({ today, managers, deals })).toEqual(suggestReassignments({ today, managers, deals }));
  });
});

describe('suggestOwner', () => {
  const managers = [
    manager('maya', { capacity: 10, segments: { region: ['EMEA'], product: [], tier: [] } }),
    manager('tom', { capacity: 20, segments: { region: ['EMEA'], product: [], tier: [] } }),
    manager('zoe', { capacity: 100 }),
  ];
  const deals = [openDeal('m', 'maya'), openDeal('t1', 'tom'), openDeal('t2', 'tom'), openDeal('t3', 'tom')];

  it('picks the manager serving the segment who ends up least utilised', () => {
    const s = suggestOwner(openDeal('new', 'x', { segment: 'EMEA', ownerId: null }), { today, managers, deals });
    expect(s).toMatchObject({ ownerId: 'maya', utilisationBefore: 0.3, utilisationAfter: 0.6, withinTarget: true });
    expect(s!.reason).toBe('Maya has the most room (30 % now, 60 % with this deal) among managers serving its segment.');
  });

  it('answers for an existing deal without counting it twice, and null when nobody serves the segment', () => {
    const s = suggestOwner(deals[1]!, { today, managers, deals });
    expect(s).toMatchObject({ ownerId: 'zoe' });
    expect(s!.reason).toBe('Tom is at 45 % of capacity; Zoe has room (0 %).');
    expect(suggestOwner(openDeal('x', 'maya', { segment: 'APAC' }), { today, managers, deals })).toBeNull();
  });
});

describe('reasons in the reader’s language', () => {
  const emea = { region: ['EMEA'], product: [], tier: [] };

  it('writes the same moves with Russian reasons that never decline or agree with a name', () => {
    const managers = [manager('maya', { name: 'Мария', capacity: 10 }), manager('tom', { name: 'Том', capacity: 10, segments: emea })];
    const deals = [
      openDeal('m1', 'maya', { stage: 'Contract Sent', segment: 'EMEA' }),
      openDeal('m3', 'maya', { stage: 'Prospecting', segment: 'EMEA' }),
      openDeal('m4', 'maya', { stage: 'Qualification', segment: 'EMEA' }),
      openDeal('m6', 'maya', { stage: 'Qualification', segment: 'EMEA' }),
      openDeal('m7', 'maya', { stage: 'Qualification', amount: 90_000, currency: 'JPY' }),
      openDeal('t1', 'tom', { stage: 'Qualification' }),
    ];
    const settings = BalanceSettings.parse({ amountTiers: [{ minAmount: 50_000, multiplier: 2 }] });
    const state = { today, managers, deals, settings, reportingCurrency: 'EUR' };
    const english = suggestReassignments(state);
    const russian = suggestReassignments({ ...state, locale: 'ru' });
    expect(russian.moves.map(({ reason: _, ...move }) => move)).toEqual(english.moves.map(({ reason: _, ...move }) => move));
    expect(russian.moves.map((m) => m.reason)).toEqual([
      'Мария: загрузка 130\u00a0%; Том: есть запас (30\u00a0%), ведёт сегмент «EMEA».',
      'Мария: загрузка 100\u00a0%; Том: есть запас (60\u00a0%), ведёт сегмент «EMEA».',
    ]);
    expect(naiveReassign({ ...state, locale: 'ru' })).toEqual(russian);
  });

  it('writes an absence with the Russian date, and what nobody can take', () => {
    const managers = [manager('ana', { name: 'Анна', absences: [{ from: '2026-03-01', to: '2026-12-11' }] }), manager('zoe', { name: 'Зоя', capacity: 10 })];
    const deals = [openDeal('soon', 'ana', { expectedClose: '2026-03-20' }), openDeal('latam', 'ana', { segment: 'LATAM', expectedClose: '2026-03-25' })];
    const result = suggestReassignments({ today, managers, deals, locale: 'ru' });
    expect(result.moves.map((m) => m.reason)).toEqual(['Анна отсутствует до 11 дек. 2026; Зоя: есть запас (0\u00a0%).']);
    expect(result.uncovered.map((u) => u.reason)).toEqual(['Анна отсутствует, и ни один свободный менеджер не ведёт сегмент «LATAM».']);
  });

  it('suggests an owner in Russian', () => {
    const managers = [manager('maya', { name: 'Мария', capacity: 10, segments: emea }), manager('zoe', { name: 'Зоя', capacity: 100 })];
    const s = suggestOwner(openDeal('new', 'x', { segment: 'EMEA', ownerId: null }), { today, managers, deals: [openDeal('m', 'maya')], locale: 'ru' });
    expect(s!.reason).toBe('Мария: больше всего запаса среди менеджеров сегмента сделки (30\u00a0% сейчас, 60\u00a0% с этой сделкой).');
    const settings = BalanceSettings.parse({ amountTiers: [{ minAmount: 50_000, multiplier: 2 }] });
    const yen = openDeal('yen', 'x', { segment: 'EMEA', ownerId: null, amount: 90_000, currency: 'JPY' });
    expect(suggestOwner(yen, { today, managers, deals: [openDeal('m', 'maya')], settings, reportingCurrency: 'EUR', locale: 'ru' })!.reason).toBe(
      'Мария: больше всего запаса среди менеджеров сегмента сделки (30\u00a0% сейчас, 60\u00a0% с этой сделкой). Сумма сделки указана в JPY, курса к EUR нет, поэтому её вес считается только по этапу.',
    );
  });
});
