import { beforeAll, expect, it } from 'vitest';
import { parseMoney } from '../../core/crm/values';
import type { HeadwayApp } from '../../server/app';
import { seedDemo } from '../../server/demo/seed';
import { progressView } from '../../server/plan/progress-view';
import { readFullSettings } from '../../server/plan/settings';
import { listUsers } from '../../server/store/users';
import { readSettings } from '../../server/store/workspace';
import { describeEachStore } from './stores';
import { TestClock, testApp } from './helpers';

/** Issue 17 §4: HEADWAY_LOCALE=ru npm start seeds a Russian company, in roubles, on the Russian production calendar. */
describeEachStore('the Russian demo workspace', ({ store }) => {
  // Mid-January 2026: the New Year holidays (1–8 January) are in the month pace counts.
  const clock = new TestClock('2026-01-20T10:00:00.000Z');
  let app: HeadwayApp;
  beforeAll(async () => {
    app = testApp(store(), clock);
    const seeded = await seedDemo(store(), { origin: 'http://127.0.0.1:8787', clock, locale: 'ru' });
    expect(seeded).toMatchObject({ seeded: true, head: { name: 'Дарья Волкова', role: 'head' } });
  });

  it('is a Russian company with Russian people, writing to them in Russian', async () => {
    expect(await readSettings(store().db)).toEqual({ name: 'Волга Дистрибуция', reportingCurrency: 'RUB', fiscalYearStartMonth: 1, locale: 'ru' });
    const users = await listUsers(store().db);
    expect(users.map((u) => u.name).sort()).toEqual(['Дарья Волкова', 'Елена Панова', 'Леонид Белов', 'Максим Орлов', 'Полина Шарова', 'Софья Лебедева']);
    const accounts = await store().db.selectFrom('demo_accounts').select(['name', 'city']).execute();
    expect(accounts.length).toBe(60);
    expect(accounts.every((a) => /^ООО «[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+»$/.test(a.name))).toBe(true);
    expect(accounts.some((a) => a.city === 'Нижний Новгород' || a.city === 'Казань')).toBe(true);
  });

  it('has its deals in roubles (a few in yuan, at a rate) and its plans in roubles', async () => {
    const deals = await store().db.selectFrom('deals').select(['currency', 'amount', 'title']).execute();
    expect(deals.filter((d) => d.currency === 'RUB').length).toBeGreaterThan(deals.length * 0.8);
    expect(new Set(deals.map((d) => d.currency))).toEqual(new Set(['RUB', 'CNY']));
    expect(deals.some((d) => d.title.includes(' – Складские стеллажи') || d.title.includes(' – Лизинг погрузчиков'))).toBe(true);
    const plans = await store().db.selectFrom('plans').select(['currency', 'target']).execute();
    expect(new Set(plans.map((p) => p.currency))).toEqual(new Set(['RUB']));
    expect(Math.min(...plans.filter((p) => p.target > 0).map((p) => p.target))).toBeGreaterThanOrEqual(1_000_000);
    expect((await readFullSettings(store().db)).rates).toEqual({ CNY: 11.5 });
  });

  it('paces January on the Russian production calendar: 15 working days, the New Year holidays not among them', async () => {
    expect((await readFullSettings(store().db)).calendarCountry).toBe('RU');
    const head = (await listUsers(store().db)).find((u) => u.role === 'head')!;
    const january = await progressView(store().db, head, { period: 'month', kind: 'sale' }, '2026-01-20');
    expect(january.calendar).toMatchObject({ country: 'RU', unknownYears: [] });
    // 2026's decree: 1–8 January off, so 15 working days; by Tuesday 20 January, 8 of them are behind or today.
    expect(january.department.workingDays).toMatchObject({ total: 15 });
    expect(january.reportingCurrency).toBe('RUB');
  });

  it('serves its demo CRM in Russian, as a Russian SuiteCRM user sees it, with values the adapter still reads', async () => {
    const deal = await store().db.selectFrom('deals').selectAll().where('status', '=', 'open').where('currency', '=', 'RUB').orderBy('crm_id').executeTakeFirstOrThrow();
    const response = await app.request(`/demo/index.php?module=Opportunities&action=DetailView&record=${deal.crm_id}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<html lang="ru">');
    expect(page).toContain('SuiteCRM<small>демо Волга Дистрибуция</small>');
    expect(page).toContain('<span class="user">Дарья Волкова ▾</span>');
    expect(page).toContain('>Сделки</a>');
    expect(page).toContain('<div class="detail-label">Сумма сделки:</div>');
    expect(page).toContain('<div class="detail-view-field" field="currency_id">Российский рубль</div>');
    // The stage key is what SuiteCRM stores, in every language; the amount is written as ru_RU writes it.
    expect(page).toContain(`<div class="detail-view-field" field="sales_stage">${deal.stage}</div>`);
    const amount = /field="amount">([^<]+)</.exec(page)![1]!;
    expect(amount).toMatch(/^\d{1,3}( \d{3})*,\d\d ₽$/);
    expect(parseMoney(amount)).toEqual({ amount: deal.amount, currency: 'RUB' });
    expect(page).not.toMatch(/>(Opportunities|Accounts|Edit|Overview|Activities|History|No data)</);

    const list = await (await app.request('/demo/index.php?module=Opportunities&action=index')).text();
    expect(list).toContain('<h2 class="module-title-text">Сделки</h2>');
    expect(list).toContain('<th>Контрагент</th>');
    const missing = await app.request('/demo/index.php?module=Opportunities&action=DetailView&record=nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Такой сделки нет, или её удалили.');
  });
});
