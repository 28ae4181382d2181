import { beforeAll, expect, it } from 'vitest';
import { ApiError, ImportRejected, ImportResult, PlanResponse, PlansResponse, type Plan, type User } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { describeEachStore } from './stores';
import { TestClock, post, signedIn, testApp } from './helpers';

type Auth = Record<string, string>;

function send(method: string, body: unknown, auth: Auth): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(body) };
}
function csv(text: string, auth: Auth): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'text/csv', ...auth }, body: text };
}

describeEachStore('plans API', ({ store }) => {
  const clock = new TestClock('2026-03-16T09:00:00.000Z');
  let app: HeadwayApp;
  let head: Auth;
  let admin: Auth;
  let exec: Auth;
  let mia: { user: User; auth: Auth };
  let noah: { user: User; auth: Auth };
  const planCount = async () => Number((await store().db.selectFrom('plans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    app = testApp(store(), clock);
    head = (await signedIn(app, store(), clock, { role: 'head' })).auth;
    admin = (await signedIn(app, store(), clock, { role: 'admin' })).auth;
    exec = (await signedIn(app, store(), clock, { role: 'exec' })).auth;
    mia = await signedIn(app, store(), clock, { role: 'manager', email: 'mia@plans.test' });
    noah = await signedIn(app, store(), clock, { role: 'manager', email: 'noah@plans.test' });
  });

  const march = { kind: 'sale', period: 'month', start: '2026-03-01', currency: 'EUR', countTarget: null } as const;

  it('creates department and manager plans and flags targets that do not add up', async () => {
    const department = await app.request('/api/plans', post({ ...march, ownerId: null, target: 100_000 }, head));
    expect(department.status).toBe(201);
    expect(PlanResponse.parse(await department.json()).mismatches).toEqual([]);
    const miaPlan = await app.request('/api/plans', post({ ...march, ownerId: mia.user.id, target: 60_000, countTarget: 12 }, head));
    expect(miaPlan.status).toBe(201);
    const answer = PlanResponse.parse(await miaPlan.json());
    expect(answer.plan).toMatchObject({ ownerId: mia.user.id, target: 60_000, countTarget: 12, version: 1 });
    expect(answer.mismatches).toEqual([expect.objectContaining({ departmentTarget: 100_000, managersTotal: 60_000, difference: -40_000 })]);
    const noahPlan = await app.request('/api/plans', post({ ...march, ownerId: noah.user.id, target: 40_000 }, admin));
    expect(PlanResponse.parse(await noahPlan.json()).mismatches).toEqual([]);
  });

  it('refuses a negative target with a clear reason and writes nothing', async () => {
    const before = await planCount();
    const response = await app.request('/api/plans', post({ ...march, kind: 'purchase', ownerId: null, target: -5 }, head));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('a target cannot be negative');
    expect(await planCount()).toBe(before);
  });

  it('refuses a second plan for the same scope and period with 409', async () => {
    const before = await planCount();
    const response = await app.request('/api/plans', post({ ...march, ownerId: mia.user.id, target: 1 }, head));
    expect(response.status).toBe(409);
    const error = ApiError.parse(await response.json());
    expect(error.error).toBe('duplicate_plan');
    expect(error.message).toMatch(/mia@plans\.test already has a sale plan for the month starting 2026-03-01/);
    // Same scope, other kind or other period: fine.
    expect((await app.request('/api/plans', post({ ...march, ownerId: mia.user.id, kind: 'purchase', target: 1 }, head))).status).toBe(201);
    expect(await planCount()).toBe(before + 1);
  });

  it('refuses a start that is not the first day of a fiscal period, and owners who are not managers', async () => {
    const quarter = await app.request('/api/plans', post({ ...march, period: 'quarter', start: '2026-02-01', ownerId: null, target: 1 }, head));
    expect(quarter.status).toBe(400);
    expect(ApiError.parse(await quarter.json()).message).toMatch(/first day of a fiscal quarter: 2026-02-01 lies in the quarter starting 2026-01-01/);
    const stranger = await app.request('/api/plans', post({ ...march, start: '2026-04-01', ownerId: 'nobody', target: 1 }, head));
    expect(stranger.status).toBe(400);
  });

  it('enforces roles: managers and execs cannot write; managers read the department and their own', async () => {
    for (const auth of [mia.auth, exec]) {
      expect((await app.request('/api/plans', post({ ...march, start: '2026-05-01', ownerId: null, target: 1 }, auth))).status).toBe(403);
    }
    const mine = PlansResponse.parse(await (await app.request('/api/plans?period=month&kind=sale&start=2026-03-01', { headers: mia.auth })).json());
    expect(mine.plans.map((p) => p.ownerId).sort()).toEqual([mia.user.id, null].sort());
    expect(mine.mismatches).toEqual([]);
    const all = PlansResponse.parse(await (await app.request('/api/plans?period=month&kind=sale&start=2026-03-01', { headers: exec })).json());
    expect(all.plans).toHaveLength(3);
    expect((await app.request('/api/plans?period=week', { headers: exec })).status).toBe(400);
  });

  it('updates with optimistic versions and deletes', async () => {
    const list = PlansResponse.parse(await (await app.request('/api/plans?kind=sale&period=month', { headers: head })).json());
    const plan = list.plans.find((p) => p.ownerId === noah.user.id)!;
    const updated = await app.request(`/api/plans/${plan.id}`, send('PUT', { ...march, ownerId: noah.user.id, target: 30_000, baseVersion: 1 }, head));
    expect(updated.status).toBe(200);
    const body = PlanResponse.parse(await updated.json());
    expect(body.plan).toMatchObject({ target: 30_000, version: 2 });
    expect(body.mismatches[0]?.difference).toBe(-10_000);
    const stale = await app.request(`/api/plans/${plan.id}`, send('PUT', { ...march, ownerId: noah.user.id, target: 1, baseVersion: 1 }, head));
    expect(stale.status).toBe(409);
    // Moving it onto Mia's scope clashes with Mia's plan.
    const clash = await app.request(`/api/plans/${plan.id}`, send('PUT', { ...march, ownerId: mia.user.id, target: 1 }, head));
    expect(clash.status).toBe(409);
    expect((await app.request(`/api/plans/nope`, send('PUT', { ...march, ownerId: null, target: 1 }, head))).status).toBe(404);
    expect((await app.request(`/api/plans/${plan.id}`, { method: 'DELETE', headers: mia.auth })).status).toBe(403);
    expect((await app.request(`/api/plans/${plan.id}`, { method: 'DELETE', headers: head })).status).toBe(200);
    expect((await app.request(`/api/plans/${plan.id}`, { method: 'DELETE', headers: head })).status).toBe(404);
  });

  it('imports a plans CSV all-or-nothing, reporting every bad row with its line', async () => {
    const before = await planCount();
    const bad = [
      'kind,period,start,owner,target,currency,countTarget',
      'sale,quarter,2026-04-01,,300000,EUR,',
      'sale,quarter,2026-04-01,mia@plans.test,-1,EUR,',
      'sale,quarter,2026-04-01,ghost@plans.test,1000,EUR,',
      'sale,quarter,2026-05-01,,1000,EUR,',
      'sale,quarter,2026-04-01,,5,EUR,',
      'sale,month,2026-03-01,mia@plans.test,5,EUR,',
      '"sale","quarter","2026-04-01","noah@plans.test","1,000",EUR,',
    ].join('\r\n');
    const dry = await app.request('/api/plans/import?dryRun=1', csv(bad, head));
    expect(dry.status).toBe(200);
    const report = ImportResult.parse(await dry.json());
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(report.errors[0]?.reason).toBe('target: -1 is below 0');
    // A Russian reader reads each bad row's reason in Russian.
    const russian = ImportResult.parse(await (await app.request('/api/plans/import?dryRun=1', csv(bad, { ...head, 'Accept-Language': 'ru' }))).json());
    expect(russian.errors[0]?.reason).toBe('target: -1 — меньше 0');
    expect(russian.errors[1]?.reason).toBe('ответственный ghost@plans.test — не пользователь этого пространства (для плана отдела оставьте поле пустым)');
    expect(report.errors[1]?.reason).toMatch(/ghost@plans\.test is no user/);
    expect(report.errors[2]?.reason).toMatch(/first day of a fiscal quarter/);
    expect(report.errors[3]?.reason).toMatch(/line 2 of this file/);
    expect(report.errors[4]?.reason).toMatch(/already has a sale plan/);
    expect(report.errors[5]?.reason).toMatch(/not a number/);
    const real = await app.request('/api/plans/import', csv(bad, head));
    expect(real.status).toBe(400);
    // A refused import is an ApiError like every other 4xx, and its issues still name every bad row by line.
    const refused = ImportRejected.parse(await real.json());
    expect(ApiError.safeParse(refused).success).toBe(true);
    expect(refused.issues).toEqual(report.errors);
    expect(refused.message).toMatch(/^Nothing was imported: 6 bad rows \(line 3: target: -1 is below 0; line 4: .*; and 3 more\)/);
    expect(await planCount()).toBe(before);

    const good = '\uFEFFkind,period,start,owner,target,currency,countTarget\nsale,quarter,2026-04-01,,300000,EUR,\nsale,quarter,2026-04-01,mia@plans.test,150000,EUR,30\nsale,quarter,2026-04-01,noah@plans.test,150000,EUR,\n';
    const dryGood = ImportResult.parse(await (await app.request('/api/plans/import?dryRun=1', csv(good, head))).json());
    expect(dryGood).toMatchObject({ ok: true, dryRun: true, created: 3, errors: [] });
    expect(await planCount()).toBe(before);
    const imported = await app.request('/api/plans/import', csv(good, admin));
    expect(imported.status).toBe(200);
    expect(ImportResult.parse(await imported.json())).toMatchObject({ ok: true, dryRun: false, created: 3 });
    expect(await planCount()).toBe(before + 3);
    const q2 = PlansResponse.parse(await (await app.request('/api/plans?period=quarter&start=2026-04-01', { headers: head })).json());
    expect(q2.mismatches).toEqual([]);
    expect((await app.request('/api/plans/import', csv(good, mia.auth))).status).toBe(403);
    expect((await app.request('/api/plans/import', post({ csv: good }, head))).status).toBe(400);
    const header = ImportResult.parse(await (await app.request('/api/plans/import?dryRun=1', csv('kind,period,start,target\n', head))).json());
    expect(header.errors).toEqual([{ line: 1, reason: expect.stringMatching(/missing columns currency/) }]);
  });

  it('replaces existing plans from a CSV only when asked, all-or-nothing, and says which in a dry run', async () => {
    const july = 'kind,period,start,owner,target,currency,countTarget\nsale,quarter,2026-07-01,,200000,EUR,\nsale,quarter,2026-07-01,mia@plans.test,100000,EUR,20\n';
    expect((await app.request('/api/plans/import', csv(july, head))).status).toBe(200);
    const stored = async () =>
      PlansResponse.parse(await (await app.request('/api/plans?period=quarter&start=2026-07-01', { headers: head })).json()).plans;
    const [department, miaPlan] = [...(await stored())].sort((a, b) => (a.ownerId === null ? -1 : b.ownerId === null ? 1 : 0)) as [Plan, Plan];
    const before = await planCount();

    // The same scopes again, plus a new one: without replace, both existing scopes are row errors (as a 400 ApiError).
    const again = 'kind,period,start,owner,target,currency,countTarget\nsale,quarter,2026-07-01,,260000,EUR,\nsale,quarter,2026-07-01,mia@plans.test,100000,EUR,20\nsale,quarter,2026-07-01,noah@plans.test,160000,EUR,\n';
    const refused = await app.request('/api/plans/import', csv(again, head));
    expect(refused.status).toBe(400);
    const issues = ImportRejected.parse(await refused.json()).issues;
    expect(issues.map((issue) => issue.line)).toEqual([2, 3]);
    expect(issues[0]?.reason).toMatch(/already has a sale plan .* or import with “replace existing plans”/);
    expect(await planCount()).toBe(before);

    // A dry run with replace lists the plan it would overwrite and the unchanged one, and writes nothing.
    const dry = ImportResult.parse(await (await app.request('/api/plans/import?dryRun=1&replace=1', csv(again, head))).json());
    expect(dry).toMatchObject({ ok: true, dryRun: true, rows: 3, created: 1, updated: 1, unchanged: 1, errors: [] });
    expect(dry.replaced).toEqual([{ line: 2, previous: department, target: 260_000, currency: 'EUR', countTarget: null }]);
    expect(await stored()).toEqual(expect.arrayContaining([department, miaPlan]));
    expect(await planCount()).toBe(before);

    // One bad row anywhere: nothing is replaced either.
    const withBadRow = `${again}sale,quarter,2026-07-01,ghost@plans.test,1,EUR,\n`;
    const badReplace = await app.request('/api/plans/import?replace=true', csv(withBadRow, head));
    expect(badReplace.status).toBe(400);
    expect(ImportRejected.parse(await badReplace.json()).issues).toEqual([{ line: 5, reason: expect.stringMatching(/ghost@plans\.test is no user/) }]);
    expect(await stored()).toEqual(expect.arrayContaining([department, miaPlan]));
    expect(await planCount()).toBe(before);

    // Two rows of one file for one scope stay an error with replace: which should win?
    const twice = 'kind,period,start,owner,target,currency,countTarget\nsale,quarter,2026-07-01,,1,EUR,\nsale,quarter,2026-07-01,,2,EUR,\n';
    const twiceReport = ImportResult.parse(await (await app.request('/api/plans/import?dryRun=1&replace=1', csv(twice, head))).json());
    expect(twiceReport.errors).toEqual([{ line: 3, reason: expect.stringMatching(/line 2 of this file/) }]);

    // The real import keeps the replaced plan's id, bumps its version, and leaves the unchanged one alone.
    const done = await app.request('/api/plans/import?replace=1', csv(again, head));
    expect(done.status).toBe(200);
    expect(ImportResult.parse(await done.json())).toMatchObject({ ok: true, dryRun: false, created: 1, updated: 1, unchanged: 1 });
    expect(await planCount()).toBe(before + 1);
    const after = await stored();
    expect(after.find((plan) => plan.id === department.id)).toMatchObject({ target: 260_000, version: department.version + 1, ownerId: null });
    expect(after.find((plan) => plan.id === miaPlan.id)).toEqual(miaPlan);
    expect(after.find((plan) => plan.ownerId === noah.user.id)).toMatchObject({ target: 160_000, version: 1 });
    // An edit based on the version before the import is stale now.
    const stale = await app.request(`/api/plans/${department.id}`, send('PUT', { ...march, period: 'quarter', start: '2026-07-01', ownerId: null, target: 1, baseVersion: department.version }, head));
    expect(stale.status).toBe(409);
  });
});
