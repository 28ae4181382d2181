import { beforeAll, describe, expect, it } from 'vitest';
import { departmentProgress, periodContaining, workCalendar } from '../../core/plan';
import { ApiError, ProgressDealsResponse, ProgressResponse, type DealIngest, type PeriodUnit, type User } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { seededRandom } from '../../server/demo/prng';
import { upsertDeal } from '../../server/import/deal-upsert';
import { readFullSettings } from '../../server/plan/settings';
import { listPlans } from '../../server/plan/plans';
import { rebuildDealTotals } from '../../server/plan/deal-totals';
import { dealFromRow } from '../../server/store/deals';
import { writeTransaction } from '../../server/store/transaction';
import { listUsers } from '../../server/store/users';
import { describeEachStore } from './stores';
import { TestClock, declareTenant, post, salesforceTenant, signedIn, testApp } from './helpers';

type Auth = Record<string, string>;

function put(body: unknown, auth: Auth): RequestInit {
  return { method: 'PUT', headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(body) };
}

describeEachStore('plan progress', ({ store }) => {
  // Monday 16 March 2026: March has 22 weekdays; with the 19th a holiday, 21 working days. Today counts both as
  // elapsed (it is a working day) and as remaining (a deal can still close today): 11 and 11.
  const clock = new TestClock('2026-03-16T09:00:00.000Z');
  let app: HeadwayApp;
  let head: Auth;
  let exec: Auth;
  let ana: { user: User; auth: Auth };
  let ben: { user: User; auth: Auth };

  const ingest = (crmId: string, body: Omit<DealIngest, 'instance'> | Record<string, unknown>) =>
    app.request(`/api/deals/salesforce/${crmId}`, put({ instance: salesforceTenant.instance, ...body }, head));
  const progress = async (auth: Auth, query: string) => {
    const response = await app.request(`/api/progress?${query}`, { headers: auth });
    expect(response.status).toBe(200);
    return ProgressResponse.parse(await response.json());
  };

  beforeAll(async () => {
    app = testApp(store(), clock);
    await declareTenant(store(), clock, salesforceTenant);
    head = (await signedIn(app, store(), clock, { role: 'head' })).auth;
    exec = (await signedIn(app, store(), clock, { role: 'exec' })).auth;
    ana = await signedIn(app, store(), clock, { role: 'manager', name: 'Ana', email: 'ana@progress.test' });
    ben = await signedIn(app, store(), clock, { role: 'manager', name: 'Ben', email: 'ben@progress.test' });
    expect((await app.request('/api/settings', put({ holidays: ['2026-03-19'], rates: { USD: 0.5 } }, head))).status).toBe(200);
    const march = { kind: 'sale', period: 'month', start: '2026-03-01', currency: 'EUR', countTarget: null };
    for (const [ownerId, target] of [[null, 42_000], [ana.user.id, 21_000], [ben.user.id, 14_000]] as const) {
      expect((await app.request('/api/plans', post({ ...march, ownerId, target }, head))).status).toBe(201);
    }
    const won = (closedAt: string) => ({ status: 'won', closedAt, kind: 'sale' });
    await ingest('A1', { ...won('2026-03-02T10:00:00Z'), amount: 10_000, currency: 'EUR', ownerEmail: 'ana@progress.test' });
    await ingest('A2', { ...won('2026-03-31T23:30:00-05:00'), amount: 4_000, currency: 'USD', ownerEmail: 'ana@progress.test' });
    await ingest('A3', { ...won('2026-03-05T10:00:00Z'), amount: 999, currency: 'GBP', ownerEmail: 'ana@progress.test' });
    await ingest('A4', { ...won('2026-04-01T00:00:00Z'), amount: 50_000, currency: 'EUR', ownerEmail: 'ana@progress.test' });
    await ingest('A5', { status: 'open', kind: 'sale', amount: 8_000, currency: 'EUR', probability: 50, expectedClose: '2026-03-25', ownerEmail: 'ana@progress.test' });
    await ingest('A6', { status: 'open', kind: 'sale', amount: 8_000, currency: 'EUR', probability: 50, expectedClose: '2026-03-10', ownerEmail: 'ana@progress.test' });
    await ingest('B1', { ...won('2026-03-09T10:00:00Z'), amount: 2_000, currency: 'EUR', ownerEmail: 'ben@progress.test' });
    await ingest('B2', { ...won('2026-03-09T10:00:00Z'), amount: 7_000, currency: 'EUR', ownerEmail: 'ben@progress.test', kind: 'purchase' });
    await ingest('N1', { ...won('2026-03-12T10:00:00Z'), amount: 3_000, currency: 'EUR', ownerLabel: 'nobody we know' });
  });

  it('answers every figure for the department and each manager the head may see', async () => {
    const view = await progress(head, 'period=month&date=2026-03-20&kind=sale');
    expect(view).toMatchObject({ unit: 'month', period: { start: '2026-03-01', end: '2026-03-31' }, today: '2026-03-16', reportingCurrency: 'EUR' });
    expect(view.managers.map((m) => m.name)).toEqual([ana.user.id, ben.user.id].sort().map((id) => (id === ana.user.id ? 'Ana' : 'Ben')));
    const a = view.managers.find((m) => m.ownerId === ana.user.id)!;
    // 10,000 EUR + 4,000 USD at 0.5; the GBP deal has no rate and is listed, not summed; April's deal is not March's.
    expect(a).toMatchObject({ target: 21_000, actual: 12_000, count: 3, attainmentPct: (12_000 / 21_000) * 100, planned: true });
    expect(a.workingDays).toEqual({ total: 21, elapsed: 11, remaining: 11 });
    expect(a.expectedByNow).toBeCloseTo(11_000, 6);
    expect(a.aheadBy).toBeCloseTo(1_000, 6);
    expect(a.runRateProjection).toBeCloseTo((12_000 / 11) * 21, 6);
    expect(a.openPipeline).toBe(8_000);
    expect(a.weightedPipeline).toBe(4_000);
    expect(a.pipelineProjection).toBe(16_000);
    expect(a.neededPerWorkingDay).toBeCloseTo(9_000 / 11, 6);
    expect(a.pipelineCoverage).toBeCloseTo(8_000 / 9_000, 6);
    expect(a.excluded).toEqual([{ reason: 'no-rate', status: 'won', currency: 'GBP', count: 1, amount: 999, dealIds: [] }]);
    const b = view.managers.find((m) => m.ownerId === ben.user.id)!;
    expect(b).toMatchObject({ actual: 2_000, count: 1 });
    expect(b.aheadBy).toBeLessThan(0);
    // The department counts the unassigned deal too.
    expect(view.department).toMatchObject({ target: 42_000, actual: 17_000, count: 5 });
    expect(view.mismatch).toMatchObject({ departmentTarget: 42_000, managersTotal: 35_000, difference: -7_000 });
    expect(await progress(exec, 'period=month&date=2026-03-20&kind=sale')).toEqual(view);
  });

  it('shows a manager their own row and the department, nothing of colleagues', async () => {
    const view = await progress(ana.auth, 'period=month&kind=sale');
    expect(view.managers.map((m) => m.ownerId)).toEqual([ana.user.id]);
    expect(view.department.actual).toBe(17_000);
    expect(view.mismatch).toBeNull();
    const purchases = await progress(ben.auth, 'period=month&kind=purchase');
    expect(purchases.managers[0]).toMatchObject({ ownerId: ben.user.id, actual: 7_000, planned: false, target: 0 });
  });

  it('lists the deals behind a number, within the caller’s view', async () => {
    const ownWon = await app.request('/api/progress/deals?period=month&kind=sale&status=won', { headers: ana.auth });
    const body = ProgressDealsResponse.parse(await ownWon.json());
    expect(body.deals.map((d) => d.crmId).sort()).toEqual(['A1', 'A2', 'A3']);
    expect(body.total).toBe(3);
    const gbp = ProgressDealsResponse.parse(await (await app.request(`/api/progress/deals?period=month&ownerId=${ana.user.id}&currency=GBP`, { headers: head })).json());
    expect(gbp.deals.map((d) => d.crmId)).toEqual(['A3']);
    const open = ProgressDealsResponse.parse(await (await app.request('/api/progress/deals?period=month&status=open', { headers: head })).json());
    expect(open.deals.map((d) => d.crmId)).toEqual(['A6', 'A5']);
    const unassigned = ProgressDealsResponse.parse(await (await app.request('/api/progress/deals?period=month&ownerId=none', { headers: exec })).json());
    expect(unassigned.deals.map((d) => d.crmId)).toEqual(['N1']);
    const page = ProgressDealsResponse.parse(await (await app.request('/api/progress/deals?period=quarter&limit=2&offset=0', { headers: head })).json());
    expect(page).toMatchObject({ total: 5, period: { start: '2026-01-01', end: '2026-03-31' } });
    expect(page.deals).toHaveLength(2);
    const forbidden = await app.request(`/api/progress/deals?period=month&ownerId=${ben.user.id}`, { headers: ana.auth });
    expect(forbidden.status).toBe(403);
    expect(ApiError.parse(await forbidden.json()).error).toBe('forbidden');
  });

  it('refuses bad queries and unsigned callers', async () => {
    for (const query of ['', 'period=week', 'period=month&date=2026-02-30', 'period=month&kind=rent']) {
      expect((await app.request(`/api/progress?${query}`, { headers: head })).status, query).toBe(400);
    }
    expect((await app.request('/api/progress?period=month')).status).toBe(401);
    expect((await app.request('/api/progress/deals?period=month&limit=100000', { headers: head })).status).toBe(400);
  });

  describe('aggregates against a recomputation from raw deals', () => {
    it('agree after random inserts, updates, owner moves and status changes', async () => {
      const random = seededRandom(store().kind === 'sqlite' ? 7 : 11);
      // A plan in a currency without a rate: its view must list what it cannot convert, not sum it.
      const gbpPlan = { kind: 'sale', period: 'quarter', start: '2026-01-01', ownerId: ben.user.id, target: 9_000, currency: 'GBP', countTarget: 3 };
      expect((await app.request('/api/plans', post(gbpPlan, head))).status).toBe(201);
      const owners = ['ana@progress.test', 'ben@progress.test', 'stranger@nowhere.test'];
      const currencies = ['EUR', 'USD', 'GBP'];
      const users = await listUsers(store().db);
      const now = clock.now().toISOString();
      const day = () => `2026-${String(random.int(1, 6)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
      for (let step = 0; step < 400; step++) {
        const crmId = `R${random.int(1, 60)}`;
        const fields: Omit<DealIngest, 'instance'> = { recordType: 'deal' };
        if (random.chance(0.6)) fields.status = random.pick(['open', 'won', 'won', 'lost'] as const);
        if (random.chance(0.5)) fields.amount = random.chance(0.1) ? 0.005 * random.int(1, 3) : random.int(1, 500_000) / 100;
        if (random.chance(0.4)) fields.currency = random.pick(currencies);
        if (random.chance(0.3)) fields.ownerEmail = random.pick(owners);
        if (random.chance(0.3)) fields.kind = random.pick(['sale', 'purchase'] as const);
        if (random.chance(0.5)) fields.closedAt = `${day()}T${String(random.int(0, 23)).padStart(2, '0')}:00:00${random.pick(['Z', '+02:00', '-07:00'])}`;
        if (random.chance(0.4)) fields.expectedClose = day();
        if (random.chance(0.3)) fields.probability = random.int(0, 100);
        if ((fields.status === 'won' || fields.status === 'lost') && !fields.closedAt) fields.closedAt = `${day()}T12:00:00Z`;
        const { recordType, ...rest } = fields;
        const write = { crm: 'salesforce', instance: salesforceTenant.instance, crmId, recordType, fields: rest, source: 'api', author: { feed: 'test' } } as const;
        await writeTransaction(store(), (tx) => upsertDeal(tx, store().kind, { users, tenants: [salesforceTenant] }, write, now).catch(() => null));
      }

      const snapshot = async () => ({
        won: (await store().db.selectFrom('won_totals').selectAll().where('count', '!=', 0).orderBy('kind').orderBy('month').orderBy('owner_key').orderBy('currency').execute())
          .map((row) => ({ ...row, cents: Number(row.cents) })),
        pipeline: (await store().db.selectFrom('pipeline_totals').selectAll().where('count', '!=', 0).orderBy('kind').orderBy('grain').orderBy('bucket').orderBy('owner_key').orderBy('currency').execute())
          .map((row) => ({ ...row, cents: Number(row.cents), weighted_cents: Number(row.weighted_cents) })),
      });
      const kept = await snapshot();
      expect(kept.won.length).toBeGreaterThan(10);
      expect(kept.pipeline.length).toBeGreaterThan(10);
      await writeTransaction(store(), (tx) => rebuildDealTotals(tx));
      expect(kept).toEqual(await snapshot());

      const settings = await readFullSettings(store().db);
      const deals = (await store().db.selectFrom('deals').selectAll().execute()).map(dealFromRow);
      const allPlans = await listPlans(store().db);
      const managerIds = users.filter((u) => u.role === 'manager').map((u) => u.id);
      for (const unit of ['month', 'quarter', 'year'] as PeriodUnit[]) {
        for (const kind of ['sale', 'purchase'] as const) {
          for (const date of ['2026-02-10', '2026-03-16', '2026-05-31']) {
            const view = await progress(head, `period=${unit}&date=${date}&kind=${kind}`);
            const period = periodContaining(date, unit, settings.fiscalYearStartMonth);
            const expected = departmentProgress({
              plans: allPlans, kind, unit, start: period.start, managerIds, deals, today: '2026-03-16',
              holidays: workCalendar(settings.holidays, settings.weekendDays), rates: settings.rates, reportingCurrency: settings.reportingCurrency,
            });
            expect(view.department, `${unit} ${kind} ${date}`).toEqual(expected.department);
            expect(view.managers.map(({ name: _name, calendar: _calendar, ...row }) => row)).toEqual(expected.managers);
            expect(view.managers.every((m) => m.calendar.country === null && m.calendar.unknownYears.length === 0)).toBe(true);
            expect(view.mismatch).toEqual(expected.mismatch);
          }
        }
      }
    });
  });
});
