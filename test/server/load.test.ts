import { beforeAll, expect, it } from 'vitest';
import { BalanceSettings, DEFAULT_STAGES, DealLoadResponse, LoadResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { seedDemo } from '../../server/demo/seed';
import { TestClock, signedIn, testApp, testTenant } from './helpers';
import { insertDeals } from '../../server/store/deals';
import { clockStart, dealRow, getJson, seedDepartment, send, today } from './load-fixtures';
import { describeEachStore } from './stores';

describeEachStore('load: settings, department view, deal sidebar', ({ store, freshStore }) => {
  const clock = new TestClock(clockStart);
  let app: HeadwayApp;
  let world: Awaited<ReturnType<typeof seedDepartment>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    world = await seedDepartment(app, store(), clock);
  });

  const load = async (auth: Record<string, string>, query = '') => LoadResponse.parse(await getJson(app, `/api/load${query}`, auth));

  it('computes every manager for the head: over, under, absent with deals needing cover, and the moves', async () => {
    const view = await load(world.head.auth);
    expect(view.date).toBe(today);
    const byName = Object.fromEntries(view.managers.map((m) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['Ana Alves', 'Ben Brook', 'Cleo Cruz', 'Dev Desai']);
    expect(byName['Ana Alves']).toMatchObject({ load: 15, capacity: 10, utilisation: 1.5, status: 'over', openDeals: 5, dealsNeedingCover: 0, team: 'West' });
    expect(byName['Ben Brook']).toMatchObject({ load: 1.5, utilisation: 0.15, status: 'under' });
    expect(byName['Cleo Cruz']).toMatchObject({ load: 2, capacity: 0, utilisation: null, status: 'absent', absentUntil: '2026-06-19', dealsNeedingCover: 2 });
    expect(byName['Dev Desai']).toMatchObject({ load: 0, status: 'under' });

    const ids = { ana: world.ana.user.id, ben: world.ben.user.id, cleo: world.cleo.user.id, dev: world.dev.user.id };
    expect(view.moves.map((m) => [m.why, m.from, m.to])).toEqual([
      ['cover', ids.cleo, ids.dev],
      ['cover', ids.cleo, ids.dev],
      ['rebalance', ids.ana, ids.ben],
      ['rebalance', ids.ana, ids.ben],
    ]);
    // The deal closing soonest is covered first.
    expect(view.moves[0]!.dealId).toBe(world.cleoDeals[0]!.id);
    expect(view.moves[0]).toMatchObject({ fromName: 'Cleo Cruz', toName: 'Dev Desai', proposalId: null, deal: { crm: 'suitecrm', crmId: world.cleoDeals[0]!.crm_id } });
    expect(view.moves[0]!.reason).toBe('Cleo Cruz is absent until 19 Jun 2026; Dev Desai has room (0 %) and serves APAC.');
    expect(view.moves[2]!.reason).toBe('Ana Alves is at 150 % of capacity; Ben Brook has room (15 %) and serves EMEA.');
    expect(view.uncovered).toEqual([]);
    expect(view.aggregates[0]).toMatchObject({ scope: 'department', team: null, managers: 4, load: 18.5, capacity: 30, over: 1, absent: 1, under: 2 });
    expect(view.aggregates.slice(1).map((a) => [a.team, a.managers, a.load])).toEqual([['East', 2, 2], ['West', 2, 16.5]]);
    expect(await load(world.admin.auth)).toEqual(view);
    expect(view.shown).toBe('everyone');
  });

  it('writes the reasons in the reader’s language, and keeps each language’s suggestions apart in the cache', async () => {
    const russianReader = { ...world.head.auth, 'Accept-Language': 'ru-RU,ru;q=0.9,en;q=0.5' };
    const english = await load(world.head.auth);
    const russian = await load(russianReader);
    expect(russian.moves.map(({ reason: _, ...move }) => move)).toEqual(english.moves.map(({ reason: _, ...move }) => move));
    expect(russian.moves[0]!.reason).toBe('Cleo Cruz отсутствует до 19 июн. 2026; Dev Desai: есть запас (0\u00a0%), ведёт сегмент «APAC».');
    expect(russian.moves[2]!.reason).toBe('Ana Alves: загрузка 150\u00a0%; Ben Brook: есть запас (15\u00a0%), ведёт сегмент «EMEA».');
    expect(await load(world.head.auth)).toEqual(english);

    const planned = english.moves[2]!;
    const deal = world.anaDeals.find((d) => d.id === planned.dealId)!;
    const path = `/api/load/deal/suitecrm/deal/${deal.crm_id}?instance=${encodeURIComponent(testTenant.instance)}`;
    expect(DealLoadResponse.parse(await getJson(app, path, russianReader)).suggestion!.reason).toBe(russian.moves[2]!.reason);
    expect(DealLoadResponse.parse(await getJson(app, path, world.head.auth)).suggestion!.reason).toBe(planned.reason);
  });

  it('shows a manager their own row, the aggregates and only the moves that touch them', async () => {
    const head = await load(world.head.auth);
    const ben = await load(world.ben.auth);
    expect(ben.shown).toBe('own');
    expect(ben.managers.map((m) => m.name)).toEqual(['Ben Brook']);
    expect(ben.aggregates).toEqual(head.aggregates);
    expect(ben.moves).toHaveLength(2);
    for (const move of ben.moves) expect(move.to).toBe(world.ben.user.id);
    const cleo = await load(world.cleo.auth);
    expect(cleo.managers.map((m) => m.status)).toEqual(['absent']);
    expect(cleo.moves.every((m) => m.from === world.cleo.user.id)).toBe(true);
    expect(cleo.moves).toHaveLength(2);
    // Nobody else's name travels to a manager.
    expect(JSON.stringify(ben)).not.toContain('Cleo Cruz');
  });

  it('shows an exec the aggregates only', async () => {
    const exec = await load(world.exec.auth);
    // Said in the answer, so a screen can tell "not shown to you" from "none".
    expect(exec.shown).toBe('aggregates');
    expect(exec.managers).toEqual([]);
    expect(exec.moves).toEqual([]);
    expect(exec.proposals).toEqual([]);
    expect(exec.aggregates[0]).toMatchObject({ scope: 'department', managers: 4, over: 1, absent: 1 });
    expect(JSON.stringify(exec)).not.toMatch(/Ana Alves|Ben Brook|Cleo Cruz|Dev Desai/);
  });

  it('answers for another day: after the absence Cleo is back and nothing needs cover', async () => {
    const view = await load(world.head.auth, '?date=2026-06-22');
    expect(view.date).toBe('2026-06-22');
    const cleo = view.managers.find((m) => m.name === 'Cleo Cruz')!;
    expect(cleo).toMatchObject({ status: 'under', capacity: 10, absentUntil: null, dealsNeedingCover: 0 });
    expect(view.moves.every((m) => m.why === 'rebalance')).toBe(true);
  });

  it('refuses a bad date and callers without a device', async () => {
    for (const bad of ['?date=2026-13-01', '?date=yesterday', '?date=2026-06-17T00:00:00Z']) {
      const body = await getJson(app, `/api/load${bad}`, world.head.auth, 400);
      expect(body.error).toBe('invalid_query');
    }
    expect((await app.request('/api/load')).status).toBe(401);
    expect((await app.request('/api/load/settings')).status).toBe(401);
  });

  it('serves the balance settings to everyone signed in, with core defaults until the head saves their own', async () => {
    const settings = BalanceSettings.parse(await getJson(app, '/api/load/settings', world.ben.auth));
    expect(settings.stages).toEqual(DEFAULT_STAGES);
    expect(settings).toMatchObject({ targetUtilisation: 0.85, overAbove: 1, underBelow: 0.5, amountTiers: [] });
    expect(await getJson(app, '/api/load/settings', world.exec.auth)).toEqual(settings);
  });

  it('lets only head and admin change settings, validates them, and writes nothing on a refusal', async () => {
    const before = await getJson(app, '/api/load/settings', world.head.auth);
    for (const who of [world.ben, world.exec]) {
      const response = await app.request('/api/load/settings', send('PUT', { defaultWeight: 5 }, who.auth));
      expect(response.status).toBe(403);
    }
    const invalid: [unknown, string][] = [
      // The thresholds are checked on the settings as they would be stored: this one against the stored underBelow.
      [{ targetUtilisation: 1.2, overAbove: 1 }, 'invalid_settings'],
      [{ underBelow: 0.9 }, 'invalid_settings'],
      [{ stages: [{ stage: '', weight: 1 }] }, 'invalid_body'],
      [{ stages: [{ stage: 'Prospecting', weight: -1 }] }, 'invalid_body'],
      [{ amountTiers: [{ minAmount: 'lots', multiplier: 2 }] }, 'invalid_body'],
      [{ defaultWeight: 1e9 }, 'invalid_body'],
      // A misspelt key is refused, not ignored while the field it meant keeps its value.
      [{ defaultweight: 7 }, 'invalid_body'],
      [{ stages: [{ stage: 'Prospecting', weight: 1, wieght: 2 }] }, 'invalid_body'],
    ];
    for (const [body, code] of invalid) {
      const response = await app.request('/api/load/settings', send('PUT', body, world.head.auth));
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: string }).error, JSON.stringify(body)).toBe(code);
    }
    const notJson = await app.request('/api/load/settings', { method: 'PUT', headers: { ...world.head.auth, 'Content-Type': 'text/plain' }, body: 'x' });
    expect(notJson.status).toBe(400);
    expect(await getJson(app, '/api/load/settings', world.head.auth)).toEqual(before);
  });

  it('applies saved settings to the loads: early stages lighter, a bigger capacity threshold', async () => {
    const saved = await app.request('/api/load/settings', send('PUT', { stages: [{ stage: 'prospecting', weight: 2 }], defaultWeight: 1 }, world.admin.auth));
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ stages: [{ stage: 'prospecting', weight: 2 }], defaultWeight: 1, targetUtilisation: 0.85 });
    const view = await load(world.head.auth);
    const ana = view.managers.find((m) => m.name === 'Ana Alves')!;
    // Five Prospecting deals at 2 each; stage names match case-insensitively.
    expect(ana).toMatchObject({ load: 10, utilisation: 1, status: 'ok' });
    expect(view.managers.find((m) => m.name === 'Ben Brook')!.load).toBe(1);
    expect(view.moves.every((m) => m.why === 'cover')).toBe(true);
    // Fields left out keep what was saved; nothing falls back to a default unasked.
    const target = await app.request('/api/load/settings', send('PUT', { targetUtilisation: 0.8 }, world.head.auth));
    expect(await target.json()).toMatchObject({ stages: [{ stage: 'prospecting', weight: 2 }], defaultWeight: 1, targetUtilisation: 0.8 });
    const reset = await app.request('/api/load/settings', send('PUT', { stages: DEFAULT_STAGES, defaultWeight: 2, targetUtilisation: 0.85 }, world.head.auth));
    expect(await reset.json()).toMatchObject({ stages: DEFAULT_STAGES, defaultWeight: 2, targetUtilisation: 0.85 });
  });

  it('changes nothing for a misspelt field: PUT {"defaultweight":7} is a 400 and the custom weights stay', async () => {
    const custom = { stages: [{ stage: 'Prospecting', weight: 4 }], defaultWeight: 3, underBelow: 0.4, targetUtilisation: 0.7, overAbove: 1.1 };
    expect((await app.request('/api/load/settings', send('PUT', custom, world.head.auth))).status).toBe(200);
    const typo = await app.request('/api/load/settings', send('PUT', { defaultweight: 7 }, world.head.auth));
    expect(typo.status).toBe(400);
    expect(await typo.json()).toMatchObject({ error: 'invalid_body', issues: [{ code: 'unrecognized_keys', keys: ['defaultweight'] }] });
    expect(await getJson(app, '/api/load/settings', world.head.auth)).toMatchObject(custom);
    const reset = await app.request('/api/load/settings', send('PUT', { stages: DEFAULT_STAGES, defaultWeight: 2, underBelow: 0.5, targetUtilisation: 0.85, overAbove: 1 }, world.head.auth));
    expect(reset.status).toBe(200);
  });

  it('answers the deal sidebar: the owner\'s load and, when over, the suggested owner', async () => {
    const dashboard = await load(world.head.auth);
    const planned = dashboard.moves.find((m) => m.from === world.ana.user.id)!;
    const deal = world.anaDeals.find((d) => d.id === planned.dealId)!;
    const path = `/api/load/deal/suitecrm/deal/${deal.crm_id}?instance=${encodeURIComponent(testTenant.instance)}`;
    const forHead = DealLoadResponse.parse(await getJson(app, path, world.head.auth));
    expect(forHead.deal).toEqual({ id: deal.id, title: deal.title, kind: deal.kind, ownerId: world.ana.user.id, status: 'open' });
    expect(forHead.owner).toMatchObject({ name: 'Ana Alves', status: 'over', utilisation: 1.5 });
    expect(forHead.suggestion).toMatchObject({ ownerId: world.ben.user.id, name: 'Ben Brook', why: 'rebalance', withinTarget: true, reason: planned.reason });
    expect(forHead.move).toBeNull();
    // The owner sees the same; a colleague sees neither the owner's load nor the suggestion.
    expect(DealLoadResponse.parse(await getJson(app, path, world.ana.auth))).toEqual(forHead);
    const forDev = DealLoadResponse.parse(await getJson(app, path, world.dev.auth));
    expect(forDev).toMatchObject({ owner: null, suggestion: null, move: null });
    expect((await getJson(app, path, world.exec.auth, 403)).error).toBe('forbidden');

    // A deal of Ana's that the department plan keeps with her still names who would take it best.
    const kept = world.anaDeals.find((d) => !dashboard.moves.some((m) => m.dealId === d.id))!;
    const keptView = DealLoadResponse.parse(await getJson(app, `/api/load/deal/suitecrm/deal/${kept.crm_id}?instance=${encodeURIComponent(testTenant.instance)}`, world.head.auth));
    expect(keptView.suggestion).toMatchObject({ ownerId: world.ben.user.id, why: 'rebalance' });
    expect(keptView.suggestion!.reason).toContain('Ben Brook');
  });

  it('suggests cover on an absent owner\'s deal even when nobody has room under the target', async () => {
    const cleoDeal = world.cleoDeals[1]!;
    const view = DealLoadResponse.parse(await getJson(app, `/api/load/deal/suitecrm/deal/${cleoDeal.crm_id}?instance=${encodeURIComponent(testTenant.instance)}`, world.cleo.auth));
    expect(view.owner).toMatchObject({ status: 'absent', dealsNeedingCover: 2 });
    expect(view.suggestion).toMatchObject({ ownerId: world.dev.user.id, why: 'cover' });
    // Ben's own deal: he is under, so no suggestion.
    const benView = DealLoadResponse.parse(await getJson(app, `/api/load/deal/suitecrm/deal/${world.benDeal.crm_id}?instance=${encodeURIComponent(testTenant.instance)}`, world.ben.auth));
    expect(benView.owner).toMatchObject({ status: 'under' });
    expect(benView.suggestion).toBeNull();
  });

  it('suggests no cover for an absent owner\'s deal that falls due after they are back', async () => {
    const { store: own } = await freshStore();
    const ownApp = testApp(own, clock);
    const ownWorld = await seedDepartment(ownApp, own, clock);
    const later = dealRow(ownWorld.cleo.user.id, { stage: 'Closing', segment: 'APAC', expected_close: '2026-06-22' });
    await insertDeals(own.db, [later]);
    const view = DealLoadResponse.parse(await getJson(ownApp, `/api/load/deal/suitecrm/deal/${later.crm_id}?instance=${encodeURIComponent(testTenant.instance)}`, ownWorld.head.auth));
    expect(view.owner).toMatchObject({ status: 'absent', openDeals: 3, dealsNeedingCover: 2 });
    expect(view.suggestion).toBeNull();
    const dashboard = LoadResponse.parse(await getJson(ownApp, '/api/load', ownWorld.head.auth));
    expect(dashboard.moves.some((m) => m.dealId === later.id)).toBe(false);
  });

  it('answers 404 for a record Headway has not seen and 400 for a malformed address', async () => {
    expect((await getJson(app, `/api/load/deal/suitecrm/deal/never-seen?instance=${encodeURIComponent(testTenant.instance)}`, world.head.auth, 404)).error).toBe('unknown_deal');
    // Refused like every other refusal: worded in the reader's language.
    const russian = await app.request(`/api/load/deal/suitecrm/deal/never-seen?instance=${encodeURIComponent(testTenant.instance)}`, { headers: { ...world.head.auth, 'Accept-Language': 'ru-RU,ru;q=0.9' } });
    expect(russian.status).toBe(404);
    expect(await russian.json()).toEqual({ error: 'unknown_deal', message: 'Запись never-seen (suitecrm, deal) в Headway ещё не попадала.' });
    expect((await getJson(app, '/api/load/deal/nocrm/deal/x', world.head.auth, 400)).error).toBe('invalid_path');
    expect((await getJson(app, '/api/load/deal/suitecrm/invoice/x', world.head.auth, 400)).error).toBe('invalid_path');
  });

  it('on the demo workspace shows one overloaded manager, one absent manager and moves naming both managers', async () => {
    const { store: demoStore } = await freshStore();
    const demoApp = testApp(demoStore, clock);
    await seedDemo(demoStore, { origin: 'http://127.0.0.1:8787', clock });
    const head = await signedIn(demoApp, demoStore, clock, { role: 'head', name: 'Demo Head' });
    const view = LoadResponse.parse(await getJson(demoApp, '/api/load', head.auth));
    const over = view.managers.filter((m) => m.status === 'over');
    const absent = view.managers.filter((m) => m.status === 'absent');
    expect(over.map((m) => m.name)).toEqual(['Priya Shah']);
    expect(absent.map((m) => m.name)).toEqual(['Lukas Becker']);
    expect(absent[0]!.dealsNeedingCover).toBeGreaterThan(0);
    expect(view.uncovered).toEqual([]);
    const rebalance = view.moves.filter((m) => m.why === 'rebalance');
    const cover = view.moves.filter((m) => m.why === 'cover');
    expect(rebalance.length).toBeGreaterThan(0);
    expect(cover).toHaveLength(absent[0]!.dealsNeedingCover);
    for (const move of view.moves) {
      expect(move.reason).toContain(move.fromName);
      expect(move.reason).toContain(move.toName);
      expect(move.fromName).not.toBe(move.toName);
    }
    expect(rebalance.every((m) => m.fromName === 'Priya Shah')).toBe(true);
    // After the suggested moves nobody would be over the target.
    expect(Math.max(...rebalance.map((m) => m.toAfter))).toBeLessThanOrEqual(0.85);
  });
});
