import { beforeAll, expect, it } from 'vitest';
import { ApiError, DealIngestResponse, type User } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { createServiceToken, revokeServiceToken } from '../../server/import/service-tokens';
import { runCli } from '../../server/cli/run';
import { describeEachStore } from './stores';
import { TestClock, declareTenant, rowCount, salesforceTenant, signedIn, testApp } from './helpers';

type Auth = Record<string, string>;

/** A PUT of a deal of the workspace's Salesforce org (a body that is no object, or names its tenant, goes as is). */
function put(body: unknown, auth: Auth): RequestInit {
  const named = typeof body === 'object' && body !== null && !Array.isArray(body) && !('instance' in body) ? { instance: salesforceTenant.instance, ...body } : body;
  return { method: 'PUT', headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(named) };
}

describeEachStore('deal ingest API', ({ store, databaseUrl }) => {
  const clock = new TestClock('2026-03-16T09:00:00.000Z');
  let app: HeadwayApp;
  let service: Auth;
  let head: Auth;
  let manager: { user: User; auth: Auth };
  let owner: User;

  beforeAll(async () => {
    app = testApp(store(), clock);
    await declareTenant(store(), clock, salesforceTenant);
    head = (await signedIn(app, store(), clock, { role: 'head' })).auth;
    manager = await signedIn(app, store(), clock, { role: 'manager' });
    owner = (
      await signedIn(app, store(), clock, {
        role: 'manager',
        email: 'olga@ingest.test',
        name: 'Olga Owner',
        crmIdentities: [{ crm: 'salesforce', ownerId: '005OLGA' }],
      })
    ).user;
    const { token } = await createServiceToken(store().db, 'Salesforce flow', clock.now().toISOString());
    service = { Authorization: `Bearer ${token}` };
  });

  const wonTotal = async () =>
    (await store().db.selectFrom('won_totals').selectAll().where('count', '!=', 0).execute()).map((row) => ({ ...row, cents: Number(row.cents), count: Number(row.count) }));

  it('creates a deal, maps the owner by CRM identity, and counts a won deal in the totals', async () => {
    const response = await app.request(
      '/api/deals/salesforce/006A',
      put({ title: 'Fleet renewal', kind: 'sale', amount: 1200.5, currency: 'EUR', ownerLabel: '005OLGA', status: 'won', closedAt: '2026-03-10T12:00:00Z' }, service),
    );
    expect(response.status).toBe(201);
    const body = DealIngestResponse.parse(await response.json());
    expect(body.outcome).toBe('created');
    expect(body.deal).toMatchObject({ crm: 'salesforce', crmId: '006A', recordType: 'deal', ownerId: owner.id, source: 'api', version: 1 });
    expect(await wonTotal()).toEqual([{ owner_key: owner.id, kind: 'sale', currency: 'EUR', month: '2026-03', cents: 120050, count: 1, no_amount: 0 }]);
  });

  it('is idempotent: the same body again changes nothing, a change bumps the version once', async () => {
    const changesBefore = await rowCount(store(), 'change_log');
    const same = await app.request('/api/deals/salesforce/006A', put({ title: 'Fleet renewal', amount: 1200.5, status: 'won' }, service));
    expect(same.status).toBe(200);
    expect(DealIngestResponse.parse(await same.json())).toMatchObject({ outcome: 'unchanged', deal: { version: 1 } });
    expect(await rowCount(store(), 'change_log')).toBe(changesBefore);
    const moved = await app.request('/api/deals/salesforce/006A', put({ amount: 800, closedAt: '2026-04-02T08:00:00Z' }, head));
    expect(DealIngestResponse.parse(await moved.json())).toMatchObject({ outcome: 'updated', deal: { version: 2, amount: 800, title: 'Fleet renewal' } });
    const again = await app.request('/api/deals/salesforce/006A', put({ amount: 800, closedAt: '2026-04-02T08:00:00Z' }, head));
    expect(DealIngestResponse.parse(await again.json())).toMatchObject({ outcome: 'unchanged', deal: { version: 2 } });
    expect(await rowCount(store(), 'change_log')).toBe(changesBefore + 1);
    // The won total moved from March to April; March's cell is empty.
    expect(await wonTotal()).toEqual([{ owner_key: owner.id, kind: 'sale', currency: 'EUR', month: '2026-04', cents: 80000, count: 1, no_amount: 0 }]);
    const lost = await app.request('/api/deals/salesforce/006A', put({ status: 'lost' }, service));
    expect(DealIngestResponse.parse(await lost.json()).deal.status).toBe('lost');
    expect(await wonTotal()).toEqual([]);
  });

  it('maps the owner by ownerEmail, keeps unknown owners unassigned', async () => {
    const byEmail = DealIngestResponse.parse(await (await app.request('/api/deals/salesforce/77', put({ ownerEmail: 'OLGA@ingest.test', amount: 5, currency: 'USD' }, service))).json());
    expect(byEmail.deal).toMatchObject({ ownerId: owner.id, title: '77', kind: 'sale', status: 'open' });
    const unknown = DealIngestResponse.parse(await (await app.request('/api/deals/salesforce/78', put({ ownerLabel: 'Somebody Else' }, service))).json());
    expect(unknown.deal).toMatchObject({ ownerId: null, ownerLabel: 'Somebody Else' });
  });

  it('refuses bad bodies, unknown CRMs and a won deal without closedAt, writing nothing', async () => {
    const deals = await rowCount(store(), 'deals');
    for (const [path, body] of [
      ['/api/deals/salesforce/X1', { amount: -1 }],
      ['/api/deals/salesforce/X1', { currency: 'euro' }],
      ['/api/deals/salesforce/X1', { status: 'maybe' }],
      ['/api/deals/salesforce/X1', { recordType: 'invoice' }],
      ['/api/deals/salesforce/X1', { url: 'javascript:alert(1)' }],
      ['/api/deals/notacrm/X1', { amount: 1 }],
    ] as const) {
      const response = await app.request(path, put(body, service));
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const won = await app.request('/api/deals/salesforce/X2', put({ status: 'won', amount: 3 }, service));
    expect(won.status).toBe(400);
    expect(ApiError.parse(await won.json()).message).toMatch(/a won deal needs closedAt/);
    expect(await rowCount(store(), 'deals')).toBe(deals);
  });

  it('lets service tokens in only on the ingest routes; managers are refused; revoked tokens stop working', async () => {
    expect((await app.request('/api/me', { headers: service })).status).toBe(401);
    expect((await app.request('/api/progress?period=month', { headers: service })).status).toBe(401);
    expect((await app.request('/api/plans', { headers: service })).status).toBe(401);
    expect((await app.request('/api/deals/salesforce/M1', put({ amount: 1, currency: 'EUR' }, manager.auth))).status).toBe(403);
    expect((await app.request('/api/deals/salesforce/M1', put({ amount: 1 }, {}))).status).toBe(401);
    const { token, serviceToken } = await createServiceToken(store().db, 'short-lived', clock.now().toISOString());
    const auth = { Authorization: `Bearer ${token}` };
    expect((await app.request('/api/deals/salesforce/M2', put({ amount: 1, currency: 'EUR' }, auth))).status).toBe(201);
    await revokeServiceToken(store().db, serviceToken.id, clock.now().toISOString());
    expect((await app.request('/api/deals/salesforce/M2', put({ amount: 2 }, auth))).status).toBe(401);
  });

  it('takes concurrent writes of one new record as one deal with consistent totals', async () => {
    const bodies = [100, 200, 300, 400, 500].map((amount) => put({ amount, currency: 'EUR', status: 'won', closedAt: '2026-03-05T10:00:00Z', ownerLabel: '005OLGA' }, service));
    const answers = await Promise.all(bodies.map((body) => app.request('/api/deals/salesforce/RACE', body)));
    expect(answers.map((a) => a.status).filter((s) => s === 201)).toHaveLength(1);
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    const row = await store().db.selectFrom('deals').selectAll().where('crm_id', '=', 'RACE').executeTakeFirstOrThrow();
    const march = (await wonTotal()).filter((cell) => cell.month === '2026-03');
    expect(march).toEqual([expect.objectContaining({ owner_key: owner.id, cents: Math.round(row.amount! * 100), count: 1 })]);
  });

  it('refuses a deal of a tenant the workspace did not declare, a sandbox or a link off the tenant, writing nothing', async () => {
    const before = await rowCount(store(), 'deals');
    for (const [path, body] of [
      ['/api/deals/salesforce/006X', { instance: 'https://acme--uat.sandbox.my.salesforce.com', title: 'Sandbox copy' }],
      ['/api/deals/salesforce/006X', { instance: 'https://rival.my.salesforce.com', title: 'Another company' }],
      ['/api/deals/pipedrive/42', { instance: 'https://attacker.pipedrive.com', title: 'Not ours' }],
    ] as const) {
      const response = await app.request(path, put(body, service));
      expect(response.status).toBe(403);
      expect(ApiError.parse(await response.json()).message).toContain(`${body.instance} is not one of this workspace's`);
    }
    for (const url of ['javascript:alert(1)', 'https://rival.lightning.force.com/lightning/r/Opportunity/006X/view']) {
      const response = await app.request('/api/deals/salesforce/006X', put({ title: 'Linked', url }, service));
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toMatch(/url/);
    }
    const old = await app.request('/api/deals/salesforce/006X', { method: 'PUT', headers: { 'Content-Type': 'application/json', ...service }, body: JSON.stringify({ title: 'No tenant' }) });
    expect(old.status).toBe(400);
    expect(JSON.stringify(await old.json())).toContain('names no CRM tenant (instance)');
    expect(await rowCount(store(), 'deals')).toBe(before);
  });

  it('prints a service token from the CLI that the ingest route accepts', async () => {
    const out: string[] = [];
    const code = await runCli(['token', 'service', 'add', '--name', 'Salesforce flow', '--json'], { env: { DATABASE_URL: databaseUrl() }, out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code).toBe(0);
    const printed = JSON.parse(out[0] ?? '{}') as { token: string; serviceToken: { name: string } };
    expect(printed.serviceToken.name).toBe('Salesforce flow');
    expect(printed.token).toMatch(/^hws_/);
    const response = await app.request('/api/deals/salesforce/Z1', put({ title: 'From the CLI token' }, { Authorization: `Bearer ${printed.token}` }));
    expect(response.status).toBe(201);
  });
});
