import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { ApiError, EscalationSettingsView, PlanResponse, PushResponse, Settings } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { escalationBody } from './escalation-fixtures';
import { declareTenant, post, signedIn, TestClock, testApp } from './helpers';
import { fingerprinter, fingerprintDiff, type Fingerprint } from './security/fingerprint';
import { dealCapture, newClientId, noteCreate } from './sync-fixtures';
import { describeEachStore } from './stores';

type Auth = Record<string, string>;

const deep = (levels: number, inner = '0') => `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;

/** Bytes that are not UTF-8 (0xFF never occurs in it) inside an otherwise fine JSON string. */
const notUtf8 = (before: string, after: string) => Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(after)]);

/** Issue 13 §5: bodies, dates and keys a client may send, refused with a 400 that changes nothing. */
describeEachStore('inputs', ({ store }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  let head: Auth;
  let manager: Auth;
  let fingerprint: () => Promise<Fingerprint>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    await declareTenant(store(), clock);
    head = (await signedIn(app, store(), clock, { role: 'head' })).auth;
    manager = (await signedIn(app, store(), clock, { role: 'manager' })).auth;
    fingerprint = await fingerprinter(store());
  });

  const raw = (method: string, path: string, auth: Auth, body: string | Buffer, type = 'application/json') =>
    app.request(path, { method, headers: { ...auth, 'Content-Type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });

  /** The answer is a 400 ApiError with this code, and no table changed. */
  async function refusedAlike(code: string, request: () => Response | Promise<Response>) {
    clock.advance(1000);
    const before = await fingerprint();
    const response = await request();
    const body = ApiError.parse(await response.json());
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.error, body.message).toBe(code);
    expect(fingerprintDiff(before, await fingerprint())).toEqual({});
    return body;
  }

  it('answers JSON nested 10,000 deep with a 400 on escalations, push and every other JSON body', async () => {
    const escalation = `{"id":"e1","category":"approval","severity":"normal","title":"t","record":null,"to":{"role":"head"},"context":${deep(10_000)}}`;
    await refusedAlike('too_deep', () => raw('POST', '/api/escalations', manager, escalation));
    const push = `{"clientId":"${newClientId()}","mutations":[{"mutationId":1,"name":"note.create","args":${deep(10_000)}}]}`;
    await refusedAlike('too_deep', () => raw('POST', '/api/sync/push', manager, push));
    await refusedAlike('too_deep', () => raw('PUT', '/api/settings', head, deep(10_000)));
    await refusedAlike('too_deep', () => raw('POST', '/api/moves/x/approve', head, `[${deep(40)}]`));
    // Brackets inside strings are text, not nesting.
    const text = await app.request('/api/escalations', post(escalationBody({ title: '{'.repeat(200), body: '['.repeat(5000) }), manager));
    expect(text.status).toBe(201);
  });

  it('refuses a body that is not UTF-8 instead of storing replacement characters', async () => {
    const before = Settings.parse(await (await app.request('/api/settings', { headers: head })).json());
    await refusedAlike('invalid_encoding', () => raw('PUT', '/api/settings', head, notUtf8('{"name":"Sales ', '"}')));
    await refusedAlike('invalid_encoding', () => raw('POST', '/api/escalations', manager, notUtf8(JSON.stringify(escalationBody()).slice(0, -1) + ',"body":"', '"}')));
    await refusedAlike('invalid_encoding', () => raw('POST', '/api/deals/import?crm=suitecrm&map=%7B%22crmId%22%3A%22Id%22%2C%22title%22%3A%22Name%22%7D', head, notUtf8('Id,Name\nx1,Caf', '\n'), 'text/csv'));
    expect(Settings.parse(await (await app.request('/api/settings', { headers: head })).json())).toEqual(before);
    // A byte-order mark and real multi-byte text are UTF-8 and welcome.
    const fine = await raw('PUT', '/api/settings', head, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"Отдел продаж 🦄"}')]));
    expect(fine.status).toBe(200);
    expect(Settings.parse(await fine.json()).name).toBe('Отдел продаж 🦄');
  });

  it('refuses dates outside 1900–2199 everywhere: report weeks, deals, plans, load days, sync mutations', async () => {
    for (const week of ['9999-12-31', '0000-01-03', '1899-12-31', '2200-01-01']) {
      const response = await app.request(`/api/reports/weekly?week=${week}&format=json`, { headers: head });
      expect(response.status, week).toBe(400);
      expect(ApiError.parse(await response.json()).error).toBe('invalid_query');
    }
    for (const closedAt of ['0000-03-10T12:00:00Z', '9999-03-10T12:00:00Z']) {
      await refusedAlike('invalid_body', () =>
        app.request('/api/deals/suitecrm/far-1', { method: 'PUT', headers: { ...head, 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'Far', status: 'won', closedAt }) }),
      );
    }
    await refusedAlike('invalid_body', () => app.request('/api/plans', post({ kind: 'sale', period: 'year', start: '0000-01-01', ownerId: null, target: 1, currency: 'EUR' }, head)));
    expect((await app.request('/api/load?date=9999-12-31', { headers: head })).status).toBe(400);
    expect((await app.request('/api/progress?period=month&date=0001-01-01', { headers: head })).status).toBe(400);
    const pushed = await app.request(
      '/api/sync/push',
      post({ clientId: newClientId(), mutations: [dealCapture(1, 'far-2', { title: 'Far', status: 'won', closedAt: '9999-12-31T00:00:00Z' }), noteCreate(2, { createdAt: '0000-01-01T00:00:00Z' }), noteCreate(3, { nextStepDate: '9999-01-01' })] }, manager),
    );
    const results = PushResponse.parse(await pushed.json()).results;
    expect(results.map((r) => [r.ok, r.error?.code])).toEqual([[false, 'invalid'], [false, 'invalid'], [false, 'invalid']]);
    expect(results[0]?.error?.message).toMatch(/1900-01-01 to 2199-12-31/);
    // The edges are business dates.
    expect((await app.request('/api/reports/weekly?week=2199-12-31&format=json', { headers: head })).status).toBe(200);
    expect((await app.request('/api/load?date=1900-01-01', { headers: head })).status).toBe(200);
  });

  it('refuses unknown keys on every write, however deep, instead of dropping them', async () => {
    await refusedAlike('invalid_body', () => app.request('/api/settings', { method: 'PUT', headers: { ...head, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Sales', reportingCurency: 'USD' }) }));
    await refusedAlike('invalid_body', () => app.request('/api/escalations', post(escalationBody({ to: { role: 'head', userId: 'x' } }), manager)));
    await refusedAlike('invalid_body', () =>
      app.request('/api/escalation-settings', { method: 'PUT', headers: { ...head, 'Content-Type': 'application/json' }, body: JSON.stringify({ calendar: { start: '08:00', end: '17:00', hoursBySeverty: {} } }) }),
    );
    await refusedAlike('invalid_body', () => app.request('/api/moves/x/dismiss', post({ version: 1, force: true }, head)));
    // In a push, the mutation is refused (recorded as failed) and nothing of it is written.
    const answer = PushResponse.parse(
      await (await app.request('/api/sync/push', post({ clientId: newClientId(), mutations: [noteCreate(1, { authorId: 'someone-else' }), noteCreate(2, { record: { crm: 'suitecrm', crmId: 'd1', recordType: 'deal', owner: 'x' } })] }, manager))).json(),
    );
    expect(answer.results.map((r) => r.error?.code)).toEqual(['invalid', 'invalid']);
    expect(answer.results[0]?.error?.message).toMatch(/authorId/);
    // The push envelope itself is strict too.
    await refusedAlike('invalid_body', () => app.request('/api/sync/push', post({ clientId: newClientId(), mutations: [noteCreate(1)], dryRun: true }, manager)));
  });

  it('keeps what a PUT leaves out: escalation settings keep their rules and calendar, a plan its count target', async () => {
    const put = (body: unknown) => app.request('/api/escalation-settings', { method: 'PUT', headers: { ...head, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const calendar = { utcOffsetMinutes: 60, workdays: [1, 2, 3, 4], start: '08:00', end: '16:00', holidays: [], hoursBySeverity: { low: 40, normal: 16, high: 8, critical: 3 } };
    const rules = { reportRequests: { role: 'admin' } };
    expect((await put({ discountApprovalPct: 9, calendar, rules })).status).toBe(200);
    const after = EscalationSettingsView.parse(await (await put({ delivery: { baseUrl: 'https://headway.example.test' } })).json());
    expect(after).toMatchObject({ discountApprovalPct: 9, calendar: { start: '08:00', workdays: [1, 2, 3, 4] }, rules: { reportRequests: { role: 'admin' } } });
    const discountOnly = EscalationSettingsView.parse(await (await put({ discountApprovalPct: 11 })).json());
    expect(discountOnly).toMatchObject({ discountApprovalPct: 11, calendar: { start: '08:00' }, rules: { reportRequests: { role: 'admin' } } });
    expect((await put({ rules: {}, calendar: {}, discountApprovalPct: 15 })).status).toBe(200);

    const plan = { kind: 'sale', period: 'month', start: '2031-05-01', ownerId: null, target: 50_000, currency: 'EUR', countTarget: 12 };
    const created = PlanResponse.parse(await (await app.request('/api/plans', post(plan, head))).json()).plan;
    const { countTarget: _left, ...withoutCount } = plan;
    await refusedAlike('invalid_body', () => app.request(`/api/plans/${created.id}`, { method: 'PUT', headers: { ...head, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...withoutCount, target: 60_000 }) }));
    const stored = await store().db.selectFrom('plans').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect([stored.target, stored.count_target]).toEqual([50_000, 12]);
  });

  it('keeps its answers for well-formed bodies (nothing above refuses the ordinary)', async () => {
    const ok = await app.request('/api/sync/push', post({ clientId: newClientId(), mutations: [noteCreate(1, { id: randomUUID() })] }, manager));
    expect(PushResponse.parse(await ok.json()).results).toEqual([{ mutationId: 1, ok: true }]);
  });
});
