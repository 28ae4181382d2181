import { beforeAll, expect, it } from 'vitest';
import { EscalationCreateResponse, StoredReport, WebhookPayload } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { readJson } from '../../server/store/json-column';
import { signedIn, TestClock, testApp } from './helpers';
import { escalationBody, escalationClockStart, json, seedEscalationWorld, send, type EscalationWorld } from './escalation-fixtures';
import { describeEachStore } from './stores';

/** Issue 17 §1: what the server writes to people, in each reader's language. */
describeEachStore('server texts in the recipient’s language', ({ store }) => {
  const clock = new TestClock(escalationClockStart);
  let app: HeadwayApp;
  let w: EscalationWorld;
  let harry: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    w = await seedEscalationWorld(app, store(), clock);
    harry = await signedIn(app, store(), clock, { role: 'head', name: 'Harry Head', email: 'harry@example.test' });
    await json(await app.request('/api/me/locale', send('PUT', { locale: 'ru' }, w.head.auth)), 200);
    await json(await app.request('/api/me/locale', send('PUT', { locale: 'en' }, harry.auth)), 200);
    const delivery = {
      baseUrl: 'https://headway.example.test',
      webhookUrl: 'https://chat.example.test/hook',
      webhookSecret: 'whsec-test-0123456789abcdef',
      smtp: { host: '127.0.0.1', port: 2525, from: 'headway@example.test', username: null },
    };
    await json(await app.request('/api/escalation-settings', send('PUT', { delivery }, w.admin.auth)), 200);
  });

  const deliveries = (escalationId: string) =>
    store().db.selectFrom('deliveries').select(['channel', 'target', 'payload']).where('escalation_id', '=', escalationId).orderBy('channel').orderBy('target').execute();
  const create = async (title: string) =>
    EscalationCreateResponse.parse(await json(await app.request('/api/escalations', send('POST', escalationBody({ title, severity: 'high' }), w.ana.auth)), 201)).escalation;

  it('sends one e-mail per language its recipients read, each whole in that language', async () => {
    const escalation = await create('Скидка 20 % для «Ромашки»');
    const mails = (await deliveries(escalation.id)).filter((row) => row.channel === 'email');
    const byRecipient = new Map(mails.map((row) => [(readJson(row.target) as string[]).join(','), readJson(row.payload) as { subject: string; text: string }]));
    expect([...byRecipient.keys()].sort()).toEqual([harry.user.email, w.head.user.email].sort());
    const russian = byRecipient.get(w.head.user.email)!;
    expect(russian.subject).toBe('[Headway] Новая эскалация: Скидка 20 % для «Ромашки»');
    expect(russian.text).toContain('Категория: согласование\nВажность: высокая\nСтатус: открыта');
    expect(russian.text).toMatch(/Срок по SLA: \d{1,2} (янв\.|февр\.|мар\.|апр\.) 2026, \d\d:\d\d/);
    expect(russian.text).toContain(`Открыть: https://headway.example.test/escalations/${escalation.id}`);
    expect(russian.text).not.toMatch(/Category|Severity|Open it/);
    const english = byRecipient.get(harry.user.email)!;
    expect(english.subject).toBe('[Headway] New escalation: Скидка 20 % для «Ромашки»');
    expect(english.text).toContain('Category: approval\nSeverity: high\nStatus: open');
  });

  it('writes to those who set no language in the workspace’s, the chat line included', async () => {
    await json(await app.request('/api/me/locale', send('PUT', { locale: null }, harry.auth)), 200);
    await json(await app.request('/api/settings', send('PUT', { locale: 'ru' }, w.admin.auth)), 200);
    const escalation = await create('Согласовать отсрочку платежа');
    const rows = await deliveries(escalation.id);
    const mails = rows.filter((row) => row.channel === 'email');
    expect(mails).toHaveLength(1);
    expect((readJson(mails[0]!.target) as string[]).sort()).toEqual([harry.user.email, w.head.user.email].sort());
    expect((readJson(mails[0]!.payload) as { subject: string }).subject).toBe('[Headway] Новая эскалация: Согласовать отсрочку платежа');
    const hook = WebhookPayload.parse(JSON.parse(rows.find((row) => row.channel === 'webhook')!.payload));
    expect(hook.text).toBe('[ВЫСОКАЯ] Согласовать отсрочку платежа — согласование, открыта, кому: руководителю отдела продаж');
    // The structured fields stay codes for the machines that read them.
    expect(hook.escalation).toMatchObject({ category: 'approval', severity: 'high', status: 'open', to: { role: 'head' } });
    await json(await app.request('/api/settings', send('PUT', { locale: 'en' }, w.admin.auth)), 200);
  });

  it('renders the weekly report, live and stored, in each reader’s language', async () => {
    const russian = await (await app.request('/api/reports/weekly?week=2026-03-18&format=html', { headers: w.head.auth })).text();
    expect(russian).toContain('<html lang="ru">');
    expect(russian).toContain('Еженедельный отчёт отдела продаж, 16 мар. 2026 – 22 мар. 2026');
    expect(russian).toMatch(/За неделю (открыта \d+ эскалация|открыто \d+ эскалаци[йи])\./);
    const csv = (await (await app.request('/api/reports/weekly?week=2026-03-18&format=csv', { headers: w.head.auth })).text()).split(/\r?\n/);
    expect(csv[0]).toBe('Менеджер,План,Факт,"Выполнение плана, %",Открытые сделки,"Загрузка, %",Оценка загрузки,Заметки');
    expect(csv.some((line) => line.startsWith('Отдел,'))).toBe(true);
    const english = await (await app.request('/api/reports/weekly?week=2026-03-18&format=html', { headers: w.exec.auth })).text();
    expect(english).toContain('Sales weekly report, 16 Mar 2026 – 22 Mar 2026');

    const stored = StoredReport.parse(await json(await app.request('/api/reports/weekly', send('POST', { week: '2026-03-16' }, harry.auth)), 201));
    const forHana = await (await app.request(`/api/reports/${stored.id}`, { headers: w.head.auth })).text();
    const forErin = await (await app.request(`/api/reports/${stored.id}`, { headers: w.exec.auth })).text();
    expect(forHana).toContain('Еженедельный отчёт отдела продаж, 16 мар. 2026 – 22 мар. 2026');
    expect(forErin).toContain('Sales weekly report, 16 Mar 2026 – 22 Mar 2026');
  });
});
