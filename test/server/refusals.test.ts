import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it, vi } from 'vitest';
import type { HeadwayApp } from '../../server/app';
import { rejectedImport } from '../../server/import/import-answer';
import { refusalLines } from '../../server/import/import-report';
import { databaseBusy } from '../../server/store/sqlite-wait';
import { openMigratedStore } from '../../server/store/store';
import { testApp, TestClock } from './helpers';
import { escalationBody, escalationClockStart, json, recordOf, seedEscalationWorld, send, type EscalationWorld } from './escalation-fixtures';
import { newClientId, pushOk } from './sync-fixtures';
import { describeEachStore } from './stores';

/** Issues 16 and 17: one refusal type, answered alike by the route and the push path, in the caller's language. */
describeEachStore('refusals in the caller’s language', ({ store }) => {
  const clock = new TestClock(escalationClockStart);
  let app: HeadwayApp;
  let w: EscalationWorld;
  beforeAll(async () => {
    app = testApp(store(), clock);
    w = await seedEscalationWorld(app, store(), clock);
    await json(await app.request('/api/me/locale', send('PUT', { locale: 'ru' }, w.head.auth)), 200);
  });

  const proposeUnknown = (auth: Record<string, string>, language?: string) =>
    app.request('/api/moves', send('POST', { dealId: 'no-such-deal', to: w.ben.user.id }, language ? { ...auth, 'Accept-Language': language } : auth));

  it('answers a refused move with its code and status, worded in English or Russian as the caller reads', async () => {
    expect(await json(await proposeUnknown(w.admin.auth), 404)).toEqual({ error: 'unknown_deal', message: 'No deal has the id no-such-deal.' });
    expect(await json(await proposeUnknown(w.admin.auth, 'ru-RU,ru;q=0.9,en;q=0.5'), 404)).toEqual({ error: 'unknown_deal', message: 'Сделки с id no-such-deal нет.' });
    // The person's own setting wins over the browser's languages.
    expect(await json(await proposeUnknown(w.head.auth, 'en-GB'), 404)).toEqual({ error: 'unknown_deal', message: 'Сделки с id no-such-deal нет.' });
  });

  it('words a refusal about a closed deal whole in Russian, the deal’s state included', async () => {
    const { lateDeal } = w;
    await store().db.updateTable('deals').set({ status: 'won' }).where('id', '=', lateDeal.id).execute();
    const answer = await json<{ error: string; message: string }>(await app.request('/api/moves', send('POST', { dealId: lateDeal.id, to: w.ben.user.id }, w.head.auth)), 409);
    expect(answer).toEqual({ error: 'deal_closed', message: 'Сделка «Globex expansion» выиграна; передавать можно только открытые сделки.' });
    await store().db.updateTable('deals').set({ status: 'open' }).where('id', '=', lateDeal.id).execute();
  });

  it('refuses a record of a foreign tenant alike over HTTP and as a sync mutation, in the pusher’s language', async () => {
    const record = { ...recordOf(w.anaDeal), instance: 'https://attacker.example' };
    const body = escalationBody({ record, to: { role: 'head' } });
    const ru = 'https://attacker.example не входит в подключённые к этому пространству аккаунты suitecrm; Headway хранит записи только своих аккаунтов.';
    expect(await json(await app.request('/api/escalations', send('POST', body, w.head.auth)), 403)).toEqual({ error: 'foreign_tenant', message: ru });
    const pushed = await pushOk(app, w.head.auth, newClientId(), [{ mutationId: 1, name: 'escalation.create', args: body }]);
    expect(pushed.results).toEqual([{ mutationId: 1, ok: false, error: { code: 'forbidden', message: ru } }]);
    const english = await pushOk(app, { ...w.admin.auth, 'Accept-Language': 'en-US' }, newClientId(), [{ mutationId: 1, name: 'escalation.create', args: { ...body, id: crypto.randomUUID() } }]);
    expect(english.results[0]?.error?.message).toBe("https://attacker.example is not one of this workspace's suitecrm tenants; Headway keeps records of its own tenants only.");
    expect(await store().db.selectFrom('escalations').select('id').execute()).toEqual([]);
  });

  it('words core’s escalation refusals in Russian, the action named as a verb', async () => {
    const created = await json<{ escalation: { id: string } }>(await app.request('/api/escalations', send('POST', escalationBody(), w.ana.auth)), 201);
    await json(await app.request('/api/me/locale', send('PUT', { locale: 'ru' }, w.ana.auth)), 200);
    const answer = await json(await app.request(`/api/escalations/${created.escalation.id}/actions`, send('POST', { type: 'acknowledge' }, w.ana.auth)), 403);
    expect(answer).toEqual({ error: 'forbidden', message: 'Эту эскалацию подняли вы, поэтому не можете сами принять её в работу.' });
  });

  it('refuses an import file that is not UTF-8 in the caller’s language, writing nothing', async () => {
    const url = `/api/deals/import?crm=suitecrm&map=${encodeURIComponent('{"crmId":"Id"}')}`;
    const latin1 = new Uint8Array([...new TextEncoder().encode('Id,Name\nx-1,Caf'), 0xe9, 0x0a]);
    const before = await store().db.selectFrom('deals').select('id').execute();
    const ru = await app.request(url, { method: 'POST', headers: { 'Content-Type': 'text/csv', ...w.head.auth }, body: latin1 });
    expect(await json(ru, 400)).toEqual({ error: 'invalid_encoding', message: 'CSV не в кодировке UTF-8; сохраните его заново как текст UTF-8.' });
    const en = await app.request(url, { method: 'POST', headers: { 'Content-Type': 'text/csv', ...w.admin.auth }, body: latin1 });
    expect(await json(en, 400)).toEqual({ error: 'invalid_encoding', message: 'The CSV is not valid UTF-8; save it again as UTF-8 text.' });
    expect(await store().db.selectFrom('deals').select('id').execute()).toEqual(before);
  });

  it('says why an import was refused with Russian plurals, on the web and in the terminal', () => {
    const errors = [2, 3, 4, 5, 6].map((line) => ({ line, reason: 'amount: not a number' }));
    const result = { ok: false as const, dryRun: false, rows: 9, errors, moreErrors: 0, preview: [] } as unknown as Parameters<typeof refusalLines>[0];
    expect(rejectedImport(result, 'ru').message).toBe(
      'Ничего не импортировано: 5 строк с ошибками (строка 2: amount: not a number; строка 3: amount: not a number; строка 4: amount: not a number; и ещё 2). Исправьте файл и импортируйте его снова.',
    );
    expect(rejectedImport({ ...result, errors: errors.slice(0, 2) }, 'ru').message).toMatch(/^Ничего не импортировано: 2 строки с ошибками \(строка 2: /);
    expect(rejectedImport({ ...result, errors: errors.slice(0, 1) }, 'en').message).toBe('Nothing was imported: 1 bad row (line 2: amount: not a number). Fix the file and import it again.');
    expect(refusalLines({ ...result, errors: errors.slice(0, 1), moreErrors: 1233 }, 'ru')).toEqual([
      'Ничего не импортировано; 1\u00a0234 строки с ошибками:',
      '  строка 2: amount: not a number',
      '  … и ещё 1\u00a0233 строки с ошибками не показаны',
    ]);
    expect(refusalLines({ ...result, errors: errors.slice(0, 1), moreErrors: 1233 }, 'en')[0]).toBe('Nothing was imported; 1,234 bad rows:');
  });

  it('says the database is busy, and when to try again, in either language', () => {
    const busy = databaseBusy(30);
    expect(busy.status).toBe(503);
    expect(busy.retryAfterSeconds).toBe(30);
    expect(busy.render('en')).toBe('The database is busy with a large write (an import, most likely); nothing was changed. Try again in 30 s.');
    expect(busy.render('ru')).toBe('База данных занята большой записью (скорее всего, идёт импорт); ничего не изменено. Повторите через 30 с.');
  });
});

it('answers an unexpected failure with a 500 worded in the caller’s language, and logs it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headway-internal-'));
  const broken = await openMigratedStore(`file:${join(dir, 'headway.sqlite')}`);
  const app = testApp(broken, new TestClock(escalationClockStart));
  await broken.close(); // every query now throws: the server's own fault, not the caller's
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const ask = (language: string) => app.request('/api/me', { headers: { Authorization: 'Bearer hw_not_a_real_token', 'Accept-Language': language } });
    expect(await json(await ask('en-GB'), 500)).toEqual({ error: 'internal', message: 'Something went wrong on the server. It has been logged.' });
    expect(await json(await ask('ru-RU,ru;q=0.9'), 500)).toEqual({ error: 'internal', message: 'На сервере что-то пошло не так; ошибка записана в журнал сервера.' });
    expect(logged).toHaveBeenCalledTimes(2);
  } finally {
    logged.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
});
