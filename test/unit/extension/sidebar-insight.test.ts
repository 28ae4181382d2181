import { describe, expect, it } from 'vitest';
import type { DealLoadResponse, ManagerLoadRow, ScopeProgress } from '../../../core/schema';
import { SidebarInsight } from '../../../extension/messages';
import { looksLikeInsight } from '../../../extension/protocol';
import { ownerInsight } from '../../../extension/background/insight/owner-lines';
import { ifWonLine, progressInsight, type PeriodProgress } from '../../../extension/background/insight/progress-lines';
import { createSidebarInsight } from '../../../extension/background/insight/sidebar-insight';
import { memoryStorageArea } from '../../../extension/session';

const priya: ManagerLoadRow = {
  id: 'u-priya', name: 'Priya Shah', team: 'Sales', load: 120, capacity: 100, utilisation: 1.2, status: 'over',
  absentUntil: null, openDeals: 44, dealsNeedingCover: 0,
};

function dealLoad(over: Partial<DealLoadResponse> = {}): DealLoadResponse {
  return { date: '2026-11-27', deal: { id: 'd1', title: 'Acme – Renewal', kind: 'sale', ownerId: 'u-priya', status: 'open' }, owner: priya, suggestion: null, move: null, ...over };
}

describe('the owner lines the background words for a deal page', () => {
  it('names the owner with their load and status', () => {
    expect(ownerInsight(dealLoad(), 'Priya Shah').owner).toEqual({ text: 'Priya Shah · 120 % of capacity · over', tone: 'over' });
    expect(ownerInsight(dealLoad({ owner: { ...priya, utilisation: 0.45, status: 'under' } }), undefined).owner?.text).toBe('Priya Shah · 45 % of capacity · has room');
    expect(ownerInsight(dealLoad({ owner: { ...priya, utilisation: 0.8, status: 'ok' } }), undefined).owner?.text).toBe('Priya Shah · 80 % of capacity');
    const away = ownerInsight(dealLoad({ owner: { ...priya, name: 'Lukas Becker', capacity: 0, utilisation: null, status: 'absent', absentUntil: '2026-11-28' } }), undefined);
    expect(away.owner).toEqual({ text: 'Lukas Becker · away until 28 Nov', tone: 'absent' });
  });

  it('says a CRM owner is not linked instead of guessing, and says nothing of an owner it may not show', () => {
    const unlinked = dealLoad({ deal: { id: 'd1', title: 'x', kind: 'sale', ownerId: null, status: 'open' }, owner: null });
    expect(ownerInsight(unlinked, 'Jordan Blake').owner).toEqual({ text: 'Owner “Jordan Blake” is not linked to a Headway user', tone: 'muted' });
    expect(ownerInsight(unlinked, undefined).owner?.text).toBe('No owner in the CRM yet');
    expect(ownerInsight(dealLoad({ owner: null }), 'Priya Shah').owner).toBeNull();
    expect(ownerInsight(null, 'Priya Shah')).toEqual({ owner: null, suggestion: null, move: null });
  });

  it('gives the suggested owner with the reason, and an approved move instead of a suggestion', () => {
    const suggestion = { ownerId: 'u-marco', name: 'Marco Rossi', reason: 'Marco has room (62 %) and serves North.', utilisationBefore: 0.5, utilisationAfter: 0.62, withinTarget: true, why: 'rebalance' as const };
    expect(ownerInsight(dealLoad({ suggestion }), undefined).suggestion).toEqual({ label: 'Suggested owner', name: 'Marco Rossi', reason: suggestion.reason });
    expect(ownerInsight(dealLoad({ suggestion: { ...suggestion, why: 'cover' } }), undefined).suggestion?.label).toBe('Cover while away');
    const move = {
      id: 'm1', dealId: 'd1', dealTitle: 'x', deal: { crm: 'suitecrm' as const, instance: 'https://crm.example.test', crmId: 'c', recordType: 'deal' as const, url: null }, from: 'u-priya', fromName: 'Priya Shah',
      to: 'u-marco', toName: 'Marco Rossi', why: 'rebalance' as const, reason: 'r', status: 'approved' as const, createdBy: 'h', createdAt: '2026-11-27T09:00:00.000Z',
      decidedBy: 'h', decidedAt: '2026-11-27T09:00:00.000Z', doneAt: null, updatedAt: '2026-11-27T09:00:00.000Z', version: 2,
    };
    const moving = ownerInsight(dealLoad({ suggestion, move }), undefined);
    expect(moving.move).toBe('Moving to Marco Rossi — change the owner in the CRM');
    expect(moving.suggestion).toBeNull();
    expect(ownerInsight(dealLoad({ move: { ...move, status: 'proposed' } }), undefined).move).toBe('Move to Marco Rossi proposed — waiting for the head of sales');
  });
});

function scope(over: Partial<ScopeProgress> = {}): ScopeProgress {
  return {
    planId: 'p1', kind: 'sale', ownerId: null, unit: 'month', period: { start: '2026-11-01', end: '2026-11-30' }, today: '2026-11-27', currency: 'EUR',
    target: 100_000, actual: 62_000, count: 3, countTarget: null, attainmentPct: 62, countAttainmentPct: null,
    workingDays: { total: 21, elapsed: 19, remaining: 2 }, expectedByNow: 90_000, aheadBy: -28_000, runRateProjection: 0, weightedPipeline: 0,
    openPipeline: 0, pipelineProjection: 0, neededPerWorkingDay: 19_000, pipelineCoverage: null, excluded: [], planned: true, ...over,
  };
}

const period = (unit: 'month' | 'quarter' | 'year', department: ScopeProgress, managers: ScopeProgress[] = []): PeriodProgress => ({
  unit, department, managers: managers.map((m) => ({ ...m, name: 'Priya Shah', calendar: { country: null, unknownYears: [] } })), reportingCurrency: 'EUR',
});

describe('the plan bars and the “winning this deal” line', () => {
  const head = { id: 'u-head', role: 'head' as const };
  const manager = { id: 'u-priya', role: 'manager' as const };

  it('shows the department to the head and a manager their own row, with the pace marker at expected-by-now', () => {
    const own = scope({ ownerId: 'u-priya', target: 50_000, actual: 40_000, attainmentPct: 80, expectedByNow: 30_000 });
    const periods = [period('month', scope(), [own]), period('quarter', scope({ unit: 'quarter', planned: false, target: 0 }), [own]), period('year', scope({ unit: 'year' }))];
    const forHead = progressInsight(head, periods)!;
    expect(forHead.scope).toBe('Department plan');
    expect(forHead.kind).toBe('sale');
    expect(forHead.bars.map((bar) => [bar.label, bar.pct, bar.pacePct, bar.ahead])).toEqual([['This month', 62, 90, false], ['This year', 62, 90, false]]);
    expect(forHead.bars[0]!.detail).toBe('€62,000 of €100,000 won; €90,000 expected by now, behind by €28,000');
    const forManager = progressInsight(manager, periods)!;
    expect(forManager.scope).toBe('My plan');
    // The manager's year row is missing (no plan of theirs): no bar, rather than the department's.
    expect(forManager.bars.map((bar) => [bar.label, bar.pct, bar.pacePct, bar.ahead])).toEqual([['This month', 80, 60, true], ['This quarter', 80, 60, true]]);
    expect(progressInsight(manager, [period('month', scope())])).toBeNull();
  });

  it('works out what winning an open sale does to this month, and stays silent when it would not count', () => {
    const deal = { id: 'd1', kind: 'sale' as const, status: 'open' as const, ownerId: 'u-priya', amount: 19_000, currency: 'EUR' };
    expect(ifWonLine(head, period('month', scope()), deal, {})).toBe('Winning this deal: the department’s sales plan 62 % → 81 % this month');
    expect(ifWonLine(head, period('month', scope()), { ...deal, currency: 'USD', amount: 10_000 }, { USD: 0.9 })).toBe('Winning this deal: the department’s sales plan 62 % → 71 % this month');
    expect(ifWonLine(head, period('month', scope()), { ...deal, kind: 'purchase' }, {})).toBeNull();
    expect(ifWonLine(head, period('month', scope()), { ...deal, currency: 'USD' }, {})).toBeNull();
    expect(ifWonLine(head, period('month', scope()), { ...deal, status: 'won' }, {})).toBeNull();
    // A manager looking at a colleague's deal: it would not count towards their own plan.
    const own = scope({ ownerId: 'u-marco' });
    expect(ifWonLine({ id: 'u-marco', role: 'manager' }, period('month', scope(), [own]), deal, {})).toBeNull();
    expect(ifWonLine({ id: 'u-marco', role: 'manager' }, period('month', scope(), [own]), { ...deal, ownerId: 'u-marco' }, {})).toBe('Winning this deal: your sales plan 62 % → 81 % this month');
  });

  it('the content script’s shape check accepts what the background sends and refuses other shapes', () => {
    const answer = SidebarInsight.parse({ owner: { text: 'x', tone: 'ok' }, suggestion: null, move: null, ifWon: null, progress: { scope: 'My plan', kind: 'sale', bars: [] } });
    expect(looksLikeInsight(answer)).toBe(true);
    expect(looksLikeInsight({ ...answer, progress: null })).toBe(true);
    expect(looksLikeInsight({ failure: 'Headway hit an unexpected problem.' })).toBe(false);
    expect(looksLikeInsight({ owner: null, progress: 'lots' })).toBe(false);
    expect(looksLikeInsight(null)).toBe(false);
  });
});

describe('the background’s reads for the sidebar', () => {
  const session = {
    serverUrl: 'http://headway.test', token: 't', state: 'online' as const, lastContactAt: null, problem: null, config: null,
    user: { id: 'u-head', name: 'Dana Whitfield', email: 'dana@x.example', role: 'head' as const, team: 'Sales', capacity: 40, segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [], createdAt: '2026-01-01T00:00:00.000Z' },
  };
  const record = { crm: 'suitecrm' as const, instance: 'https://crm.example.test', recordType: 'deal' as const, crmId: 'c1' };

  function world(status = 200, kind: 'sale' | 'purchase' = 'sale') {
    const asked: string[] = [];
    let clock = 0;
    const fetch = (async (url: string) => {
      const path = new URL(url).pathname;
      asked.push(path + new URL(url).search);
      if (path.startsWith('/api/load/deal/')) {
        return status === 200 ? Response.json(dealLoad({ deal: { ...dealLoad().deal, kind } })) : Response.json({ error: 'unknown_deal', message: 'not seen' }, { status });
      }
      return Response.json({}, { status: 500 });
    }) as typeof globalThis.fetch;
    const insight = createSidebarInsight({ session: async () => session, fetch, now: () => clock });
    return { asked, insight, tick: (ms: number) => (clock += ms) };
  }
  const ask = (revision = 1) => ({ type: 'sidebar-insight' as const, record, fields: { ownerLabel: 'Priya Shah' }, revision });
  const loadsAsked = (asked: string[]) => asked.filter((path) => path.startsWith('/api/load/deal/')).length;

  it('reads a deal’s load once per 30 s, again after a sync that brought changes', async () => {
    const { asked, insight, tick } = world();
    expect((await insight.answer(ask())).owner?.text).toBe('Priya Shah · 120 % of capacity · over');
    tick(20_000);
    await insight.answer(ask());
    expect(loadsAsked(asked)).toBe(1);
    await insight.answer(ask(2));
    expect(loadsAsked(asked)).toBe(2);
    tick(31_000);
    await insight.answer(ask(2));
    expect(loadsAsked(asked)).toBe(3);
  });

  it('answers nothing, and keeps nothing, for a deal the server has not seen; and nothing when the progress read fails', async () => {
    const { asked, insight } = world(404);
    expect(await insight.answer(ask())).toEqual({ owner: null, suggestion: null, move: null, ifWon: null, progress: null, asOf: null });
    await insight.answer(ask());
    expect(loadsAsked(asked)).toBe(2);
  });

  it('reads the plan of the deal’s kind: the purchase plan on a purchase, the sales plan elsewhere', async () => {
    const { asked, insight } = world(200, 'purchase');
    const progressAsked = () => asked.filter((path) => path.startsWith('/api/progress')).map((path) => new URLSearchParams(path.split('?')[1]).get('kind'));
    await insight.answer({ ...ask(), fields: { ownerLabel: 'Priya Shah', kind: 'sale' } });
    expect(progressAsked()).toEqual(['sale', 'sale', 'sale']);
    // Known only from the server's record of the deal (the page shows no type): still that deal's kind.
    await insight.answer(ask());
    expect(progressAsked().slice(3)).toEqual(['purchase', 'purchase', 'purchase']);
  });

  it('asks the server nothing while offline', async () => {
    const asked: string[] = [];
    const insight = createSidebarInsight({
      session: async () => ({ ...session, state: 'offline' as const }),
      fetch: (async (url: string) => (asked.push(url), Response.json({}))) as typeof globalThis.fetch,
    });
    expect(await insight.answer(ask())).toEqual({ owner: null, suggestion: null, move: null, ifWon: null, progress: null, asOf: null });
    expect(asked).toEqual([]);
  });

  describe('when the server cannot be reached', () => {
    const month = scope({ unit: 'month' });
    const answerFor = (unit: 'month' | 'quarter' | 'year') => ({
      ...period(unit, scope({ unit })), kind: 'sale', period: month.period, today: month.today, mismatch: null, calendar: { country: null, unknownYears: [] },
    });
    const settings = { name: 'Northwind', reportingCurrency: 'EUR', fiscalYearStartMonth: 1 };
    function reachable() {
      let down = false;
      const fetch = (async (url: string) => {
        if (down) throw new TypeError('fetch failed');
        const { pathname, searchParams } = new URL(url);
        if (pathname.startsWith('/api/load/deal/')) return Response.json(dealLoad());
        if (pathname === '/api/progress') return Response.json(answerFor(searchParams.get('period') as 'month'));
        if (pathname === '/api/settings') return Response.json(settings);
        return Response.json({}, { status: 404 });
      }) as typeof globalThis.fetch;
      return { fetch, goDown: () => (down = true) };
    }
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

    it('shows the last figures the server gave, dated, across a worker restart, and drops the “if won” line', async () => {
      const store = memoryStorageArea();
      const server = reachable();
      let clock = Date.parse('2026-12-07T09:00:00.000Z');
      const first = createSidebarInsight({ session: async () => session, storage: store, fetch: server.fetch, now: () => clock });
      const live = await first.answer({ ...ask(), fields: { ownerLabel: 'Priya Shah', amount: 19_000, currency: 'EUR' } });
      expect(live.asOf).toBeNull();
      expect(live.owner?.text).toBe('Priya Shah · 120 % of capacity · over');
      expect(live.progress?.bars.length).toBeGreaterThan(0);
      expect(live.ifWon).not.toBeNull();
      await settle();

      // The worker stopped; later the browser is offline and the sidebar opens the same deal.
      clock += 3_600_000;
      const offline = createSidebarInsight({ session: async () => ({ ...session, state: 'offline' as const }), storage: store, fetch: server.fetch, now: () => clock });
      const stale = await offline.answer({ ...ask(), fields: { ownerLabel: 'Priya Shah', amount: 19_000, currency: 'EUR' } });
      expect(stale).toMatchObject({ owner: live.owner, progress: live.progress, ifWon: null, asOf: '2026-12-07T09:00:00.000Z' });

      // Online as far as the session knows, but the request fails: the same.
      server.goDown();
      const failing = createSidebarInsight({ session: async () => session, storage: store, fetch: server.fetch, now: () => clock });
      expect((await failing.answer(ask())).asOf).toBe('2026-12-07T09:00:00.000Z');

      // Another deal was never seen: its owner lines are not someone else's, only the plan is known.
      const other = await offline.answer({ ...ask(), record: { ...record, crmId: 'c2' } });
      expect(other).toMatchObject({ owner: null, progress: live.progress });

      // Disconnect forgets them.
      await offline.forget();
      expect(await offline.answer(ask())).toEqual({ owner: null, suggestion: null, move: null, ifWon: null, progress: null, asOf: null });
    });

    it('keeps another user’s lines to themselves', async () => {
      const store = memoryStorageArea();
      const server = reachable();
      await createSidebarInsight({ session: async () => session, storage: store, fetch: server.fetch }).answer(ask());
      await settle();
      const marco = { ...session, state: 'offline' as const, user: { ...session.user, id: 'u-marco', role: 'manager' as const } };
      expect(await createSidebarInsight({ session: async () => marco, storage: store, fetch: server.fetch }).answer(ask())).toMatchObject({ owner: null, progress: null, asOf: null });
    });
  });
});

describe('the same lines for a Russian browser', () => {
  it('name the owner, the move and the plan in Russian, with Russian figures and dates', () => {
    expect(ownerInsight(dealLoad(), 'Priya Shah', 'ru').owner).toEqual({ text: 'Priya Shah · загрузка 120\u00a0% · перегружен', tone: 'over' });
    const away = ownerInsight(dealLoad({ owner: { ...priya, name: 'Lukas Becker', capacity: 0, utilisation: null, status: 'absent', absentUntil: '2026-11-28' } }), undefined, 'ru');
    expect(away.owner?.text).toBe('Lukas Becker · отсутствует до 28 нояб.');
    const unlinked = dealLoad({ deal: { id: 'd1', title: 'x', kind: 'sale', ownerId: null, status: 'open' }, owner: null });
    expect(ownerInsight(unlinked, 'Jordan Blake', 'ru').owner?.text).toBe('Ответственный «Jordan Blake» не связан с пользователем Headway');
    const head = { id: 'u-head', role: 'head' as const };
    const bars = progressInsight(head, [period('month', scope())], 'ru')!;
    expect(bars.scope).toBe('План отдела');
    expect(bars.bars[0]).toMatchObject({
      label: 'Месяц',
      detail: 'Выиграно 62\u00a0000\u00a0€ из 100\u00a0000\u00a0€; к сегодняшнему дню ожидалось 90\u00a0000\u00a0€, отставание на 28\u00a0000\u00a0€',
    });
    const deal = { id: 'd1', kind: 'sale' as const, status: 'open' as const, ownerId: 'u-priya', amount: 19_000, currency: 'EUR' };
    expect(ifWonLine(head, period('month', scope()), deal, {}, 'ru')).toBe('Если выиграть эту сделку: план продаж отдела 62\u00a0% → 81\u00a0% в этом месяце');
  });
});
