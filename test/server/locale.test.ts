import { beforeAll, expect, it } from 'vitest';
import { ApiError, User } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { describeEachStore } from './stores';
import { TestClock, signedIn, testApp } from './helpers';

const put = (body: unknown, headers: Record<string, string>): RequestInit => ({ method: 'PUT', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describeEachStore('a person’s own language (issue 17 §1)', ({ store }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  beforeAll(() => {
    app = testApp(store(), clock);
  });

  it('is none until set, is set and cleared by PUT /api/me/locale, and is what /api/me answers on every device', async () => {
    const { auth } = await signedIn(app, store(), clock, { role: 'manager', name: 'Ольга Смирнова', email: 'olga@example.test' });
    expect(User.parse(await (await app.request('/api/me', { headers: auth })).json()).locale).toBeNull();

    const set = await app.request('/api/me/locale', put({ locale: 'ru' }, auth));
    expect(set.status).toBe(200);
    expect(User.parse(await set.json())).toMatchObject({ email: 'olga@example.test', locale: 'ru' });
    expect(User.parse(await (await app.request('/api/me', { headers: auth })).json()).locale).toBe('ru');

    const cleared = await app.request('/api/me/locale', put({ locale: null }, auth));
    expect(User.parse(await cleared.json()).locale).toBeNull();
  });

  it('refuses a language Headway does not speak, or anything else in the body, with the reason, and changes nothing', async () => {
    const { auth, user } = await signedIn(app, store(), clock, { role: 'head', name: 'Hanna Head', email: 'hanna@example.test' });
    await app.request('/api/me/locale', put({ locale: 'en' }, auth));
    for (const body of [{ locale: 'de' }, { locale: 'RU' }, {}, { locale: 'ru', role: 'admin' }, { locale: 7 }]) {
      const refused = await app.request('/api/me/locale', put(body, auth));
      expect(refused.status, JSON.stringify(body)).toBe(400);
      const error = ApiError.parse(await refused.json());
      expect(error.error).toBe('invalid_body');
      expect(error.message).toBe('The request body is not valid.');
      expect(error.issues?.length).toBeGreaterThan(0);
    }
    const german = ApiError.parse(await (await app.request('/api/me/locale', put({ locale: 'de' }, auth))).json());
    expect(JSON.stringify(german.issues)).toContain('Headway speaks en and ru');
    const row = await store().db.selectFrom('users').select(['locale', 'role']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ locale: 'en', role: 'head' });
    expect((await app.request('/api/me/locale', put({ locale: 'ru' }, {}))).status).toBe(401);
  });

  it('words refusals in the caller’s language: their setting first, else Accept-Language; the codes stay as they are', async () => {
    const { auth } = await signedIn(app, store(), clock, { role: 'manager', name: 'Иван Петров', email: 'ivan@example.test' });
    const english = ApiError.parse(await (await app.request('/api/me/locale', put({ locale: 'xx' }, auth))).json());
    expect(english).toMatchObject({ error: 'invalid_body', message: 'The request body is not valid.' });
    const byBrowser = ApiError.parse(await (await app.request('/api/me/locale', put({ locale: 'xx' }, { ...auth, 'Accept-Language': 'ru-RU,ru;q=0.9,en;q=0.8' }))).json());
    expect(byBrowser).toMatchObject({ error: 'invalid_body', message: 'Тело запроса заполнено неверно.' });

    await app.request('/api/me/locale', put({ locale: 'ru' }, auth));
    // The person's own setting wins over a browser that asks for English.
    const own = await app.request('/api/users', { headers: { ...auth, 'Accept-Language': 'en-GB' } });
    expect(own.status).toBe(403);
    expect(ApiError.parse(await own.json())).toEqual({ error: 'forbidden', message: 'Это может сделать только руководитель отдела продаж или администратор.' });

    // No token: the browser's language is all there is.
    const anonymous = await app.request('/api/me', { headers: { 'Accept-Language': 'ru' } });
    expect(ApiError.parse(await anonymous.json())).toEqual({ error: 'unauthorized', message: 'Это устройство не подключено к Headway. Подключите его заново по коду от администратора.' });
    const notFound = ApiError.parse(await (await app.request('/api/nowhere', { headers: { 'Accept-Language': 'de-DE, ru;q=0.5' } })).json());
    expect(notFound).toEqual({ error: 'not_found', message: 'Здесь ничего нет: GET /api/nowhere.' });
  });
});
