import { beforeAll, expect, it } from 'vitest';
import { ConfigResponse, type ScopeProgress } from '../../core/schema';
import { progressView } from '../../server/plan/progress-view';
import type { HeadwayApp } from '../../server/app';
import { seedDemo } from '../../server/demo/seed';
import { listUsers } from '../../server/store/users';
import { describeEachStore } from './stores';
import { TestClock, rowCount, testApp } from './helpers';

const origin = 'http://127.0.0.1:8787';

describeEachStore('demo CRM and seed', ({ store, freshStore }) => {
  // A Wednesday, so "absent this week" is Monday 2026-06-15 to Friday 2026-06-19.
  const clock = new TestClock('2026-06-17T10:00:00.000Z');
  let app: HeadwayApp;
  beforeAll(async () => {
    app = testApp(store(), clock);
    const first = await seedDemo(store(), { origin, clock });
    expect(first.seeded).toBe(true);
    expect(first.head).toMatchObject({ name: 'Dana Whitfield', role: 'head' });
  });

  it('seeds a believable department: head, exec, four managers, ~200 deals, plans, settings, instance', async () => {
    const users = await listUsers(store().db);
    expect(users.filter((u) => u.role === 'manager')).toHaveLength(4);
    expect(users.filter((u) => u.role === 'exec')).toHaveLength(1);
    const absent = users.filter((u) => u.absences.some((a) => a.from <= '2026-06-17' && a.to >= '2026-06-17'));
    expect(absent.map((u) => u.name)).toEqual(['Lukas Becker']);

    const deals = await store().db.selectFrom('deals').selectAll().execute();
    expect(deals.length).toBeGreaterThanOrEqual(190);
    expect(deals.length).toBeLessThanOrEqual(220);
    expect(new Set(deals.map((d) => d.status))).toEqual(new Set(['open', 'won', 'lost']));
    expect(deals.some((d) => d.kind === 'purchase')).toBe(true);
    expect(deals.some((d) => d.currency === 'USD')).toBe(true);
    expect(deals.filter((d) => d.currency === 'EUR').length).toBeGreaterThan(deals.length * 0.8);
    for (const deal of deals.filter((d) => d.closed_at)) expect(deal.closed_at! >= '2026-01-01' && deal.closed_at! <= clock.now().toISOString()).toBe(true);
    expect(new Set(deals.map((d) => d.crm_id)).size).toBe(deals.length);

    // One manager is clearly overloaded with early-stage work.
    const early = new Set(['Prospecting', 'Qualification', 'Needs Analysis']);
    const openEarlyByOwner = new Map<string, number>();
    for (const deal of deals) {
      if (deal.status === 'open' && early.has(deal.stage ?? '') && deal.owner_label) {
        openEarlyByOwner.set(deal.owner_label, (openEarlyByOwner.get(deal.owner_label) ?? 0) + 1);
      }
    }
    const ranked = [...openEarlyByOwner.entries()].sort((a, b) => b[1] - a[1]);
    expect(ranked[0]?.[0]).toBe('Priya Shah');
    expect(ranked[0]?.[1]).toBeGreaterThan(2 * (ranked[1]?.[1] ?? 0));

    const plans = await store().db.selectFrom('plans').selectAll().execute();
    expect(plans).toHaveLength(2 * 3 * 5);
    expect(plans.filter((p) => p.owner_id === null).map((p) => `${p.kind}/${p.period}`).sort()).toEqual([
      'purchase/month', 'purchase/quarter', 'purchase/year', 'sale/month', 'sale/quarter', 'sale/year',
    ]);

    const { readConfig } = await import('../../server/store/workspace');
    const config = ConfigResponse.parse(await readConfig(store().db));
    expect(config.settings).toEqual({ name: 'Northwind Trading', reportingCurrency: 'EUR', fiscalYearStartMonth: 1 });
    expect(config.instances).toContainEqual({ instance: origin, crm: 'suitecrm' });
  });

  it('seeds plans a head of sales could believe, whatever the date: each period near its pace, and the targets add up', async () => {
    for (const date of ['2026-02-10', '2026-06-17', '2026-10-03', '2026-12-07']) {
      const { store: fresh } = await freshStore();
      await seedDemo(fresh, { origin, clock: new TestClock(`${date}T10:00:00.000Z`) });
      const head = (await listUsers(fresh.db)).find((user) => user.role === 'head')!;
      const points = (scope: ScopeProgress) => ({ attained: scope.attainmentPct ?? 0, pace: (scope.expectedByNow / scope.target) * 100 });
      for (const period of ['month', 'quarter', 'year'] as const) {
        const progress = await progressView(fresh.db, head, { period, kind: 'sale' }, date);
        const department = points(progress.department);
        // The year rests on the most deals: it keeps closest to its pace; a quarter and a month hold fewer.
        const room = { year: 10, quarter: 20, month: 30 }[period];
        expect(Math.abs(department.attained - department.pace), `${date} department ${period}`).toBeLessThanOrEqual(room);
        for (const manager of progress.managers) {
          const { attained, pace } = points(manager);
          expect(Math.abs(attained - pace), `${date} ${manager.name} ${period}`).toBeLessThanOrEqual(period === 'year' ? 15 : 50);
          expect(attained, `${date} ${manager.name} ${period}`).toBeLessThan(150);
        }
        expect(progress.mismatch, `${date} ${period}`).toBeNull();
      }
    }
  });

  it('is idempotent: a second run writes nothing and is deterministic in its ids', async () => {
    const before = { deals: await rowCount(store(), 'deals'), users: await rowCount(store(), 'users'), changes: await rowCount(store(), 'change_log') };
    const second = await seedDemo(store(), { origin, clock });
    expect(second.seeded).toBe(false);
    expect(second.head.name).toBe('Dana Whitfield');
    expect({ deals: await rowCount(store(), 'deals'), users: await rowCount(store(), 'users'), changes: await rowCount(store(), 'change_log') }).toEqual(before);
  });

  it('renders the list with a link to every deal, and /demo/ leads there', async () => {
    const redirect = await app.request('/demo/');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('Location')).toBe('/demo/index.php?module=Opportunities&action=index');
    const list = await app.request('/demo/index.php?module=Opportunities&action=index');
    expect(list.status).toBe(200);
    expect(list.headers.get('Content-Type')).toMatch(/text\/html/);
    const page = await list.text();
    const deals = await store().db.selectFrom('deals').select('crm_id').execute();
    for (const deal of deals) expect(page).toContain(`record=${deal.crm_id}"`);
  });

  it('renders a deal page the SuiteCRM adapter can read, linked to its account', async () => {
    const deal = await store().db.selectFrom('deals').selectAll().where('status', '=', 'open').where('currency', '=', 'EUR').orderBy('crm_id').executeTakeFirstOrThrow();
    const response = await app.request(`/demo/index.php?module=Opportunities&action=DetailView&record=${deal.crm_id.toUpperCase()}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    const escapedTitle = deal.title.replace(/&/g, '&amp;');
    expect(page).toContain(`<h2 class="module-title-text">${escapedTitle}</h2>`);
    expect(page).toContain(`<div class="detail-view-field" field="sales_stage">${deal.stage}</div>`);
    expect(page).toContain(`<div class="detail-view-field" field="probability">${deal.probability}</div>`);
    expect(page).toContain(`<div class="detail-view-field" field="date_closed">${deal.expected_close}</div>`);
    expect(page).toContain(`<div class="detail-view-field" field="assigned_user_name">${deal.owner_label}</div>`);
    expect(page).toContain('<div class="detail-view-field" field="currency_id">Euro</div>');
    expect(page).toMatch(/field="amount">€[\d,]+\.\d\d</);
    const accountLink = /href="(\/demo\/index\.php\?module=Accounts&amp;action=DetailView&amp;record=[0-9a-f-]+)"/.exec(page);
    expect(accountLink).not.toBeNull();
    const account = await app.request(accountLink![1]!.replace(/&amp;/g, '&'));
    expect(account.status).toBe(200);
    expect(await account.text()).toContain(`record=${deal.crm_id}"`);
  });

  it('escapes hostile record names instead of running them', async () => {
    const deal = await store().db.selectFrom('deals').select(['id', 'crm_id']).orderBy('crm_id').executeTakeFirstOrThrow();
    await store().db.updateTable('deals').set({ title: '<script>alert("pwned")</script> & "Co" <img src=x onerror=alert(1)>', owner_label: '<b>Mallory</b>' }).where('id', '=', deal.id).execute();
    for (const path of [`/demo/index.php?module=Opportunities&action=DetailView&record=${deal.crm_id}`, '/demo/index.php?module=Opportunities&action=index']) {
      const page = await (await app.request(path)).text();
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<img src=x');
      expect(page).not.toContain('<b>Mallory');
      expect(page).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &quot;Co&quot;');
    }
  });

  it('answers unknown records and modules with a 404 page', async () => {
    expect((await app.request('/demo/index.php?module=Opportunities&action=DetailView&record=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await app.request('/demo/index.php?module=Accounts&action=DetailView&record=nope')).status).toBe(404);
    expect((await app.request('/demo/index.php?module=Campaigns&action=index')).status).toBe(404);
    expect((await app.request(`/demo/index.php?module=${'x'.repeat(80)}`)).status).toBe(400);
  });

  it('refuses record ids that are not ids, NUL included, with a 400 page', async () => {
    for (const record of ['%00', 'a%00b', '..%2F..%2Fetc', `${'a'.repeat(101)}`]) {
      expect((await app.request(`/demo/index.php?module=Opportunities&action=DetailView&record=${record}`)).status).toBe(400);
    }
  });

  it('serves no demo page on a workspace that was not seeded as the demo', async () => {
    const real = await freshStore();
    const realApp = testApp(real.store, clock);
    for (const path of ['/demo/', '/demo/index.php?module=Opportunities&action=index']) {
      const response = await realApp.request(path);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('served only by a demo workspace');
    }
  });
});
