import { beforeAll, expect, it } from 'vitest';
import { CalendarsResponse, ProgressResponse, type User } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import type { Store } from '../../server/store/store';
import { TestClock, post, signedIn, testApp } from './helpers';
import { describeEachStore } from './stores';

type Auth = Record<string, string>;
const json = (method: 'PUT' | 'POST', body: unknown, auth: Auth): RequestInit => ({ method, headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(body) });

async function stored(store: Store) {
  const rows = await store.db.selectFrom('calendar_assignments').select(['scope', 'scope_id', 'country']).orderBy('scope').orderBy('scope_id').execute();
  const settings = await store.db.selectFrom('settings').select(['key', 'value']).orderBy('key').execute();
  return { rows, settings };
}

describeEachStore('working calendars: company days off, per-team and per-user countries, pace', ({ store }) => {
  // Monday 12 January 2026, the first working day of the year in Russia.
  const clock = new TestClock('2026-01-12T09:00:00.000Z');
  let app: HeadwayApp;
  let head: Auth;
  let admin: Auth;
  let moscow: { user: User; auth: Auth };
  let berlin: { user: User; auth: Auth };
  let london: { user: User; auth: Auth };

  const calendars = async (auth = head) => {
    const response = await app.request('/api/calendars', { headers: auth });
    expect(response.status).toBe(200);
    return CalendarsResponse.parse(await response.json());
  };
  const progress = async (query: string) => {
    const response = await app.request(`/api/progress?${query}`, { headers: head });
    expect(response.status).toBe(200);
    return ProgressResponse.parse(await response.json());
  };

  beforeAll(async () => {
    app = testApp(store(), clock);
    head = (await signedIn(app, store(), clock, { role: 'head' })).auth;
    admin = (await signedIn(app, store(), clock, { role: 'admin' })).auth;
    moscow = await signedIn(app, store(), clock, { role: 'manager', name: 'Olga', team: 'Moscow' });
    berlin = await signedIn(app, store(), clock, { role: 'manager', name: 'Jonas', team: 'Berlin' });
    london = await signedIn(app, store(), clock, { role: 'manager', name: 'Amy', team: 'Berlin' });
    const january = { kind: 'sale', period: 'month', start: '2026-01-01', currency: 'EUR', countTarget: null };
    for (const ownerId of [null, moscow.user.id, berlin.user.id, london.user.id]) {
      expect((await app.request('/api/plans', post({ ...january, ownerId, target: 30_000 }, head))).status).toBe(201);
    }
  });

  it('starts with no country, and refuses bad input and the wrong roles, writing nothing', async () => {
    const before = await stored(store());
    expect(await calendars()).toMatchObject({ country: null, teams: {}, users: {}, companyDaysOff: [] });
    expect((await calendars()).countries.find((c) => c.code === 'RU')!.knownYears).toEqual([2025, 2026]);
    expect((await app.request('/api/calendars', { headers: moscow.auth })).status).toBe(403);
    const refused = async (path: string, init: RequestInit, status: number, error: string) => {
      const response = await app.request(path, init);
      const body = (await response.json()) as { error: string; message: string };
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(body.error).toBe(error);
    };
    await refused('/api/calendars/teams/Moscow', json('PUT', { country: 'FR' }, head), 400, 'invalid_body');
    await refused('/api/calendars/teams/Moscow', json('PUT', {}, head), 400, 'invalid_body');
    await refused('/api/calendars/teams/Nowhere', json('PUT', { country: 'RU' }, head), 404, 'unknown_team');
    await refused('/api/calendars/users/no-such-user', json('PUT', { country: 'RU' }, head), 404, 'unknown_user');
    await refused('/api/calendars/teams/Moscow', json('PUT', { country: 'RU' }, moscow.auth), 403, 'forbidden');
    await refused('/api/calendars/days-off', json('POST', { days: ['2026-02-30'] }, admin), 400, 'invalid_body');
    await refused('/api/calendars/days-off', json('POST', { days: [] }, admin), 400, 'invalid_body');
    await refused('/api/calendars/days-off', json('POST', { days: ['2026-12-24'] }, head), 403, 'forbidden');
    await refused('/api/calendars/days-off/2026-12-24', { method: 'DELETE', headers: admin }, 404, 'unknown_day_off');
    await refused('/api/settings', json('PUT', { calendarCountry: 'XX' }, head), 400, 'invalid_body');
    expect(await stored(store())).toEqual(before);
  });

  it('lets the admin add and remove company days off, kept sorted and distinct', async () => {
    let view = CalendarsResponse.parse(await (await app.request('/api/calendars/days-off', json('POST', { days: ['2026-01-30', '2026-01-13'] }, admin))).json());
    expect(view.companyDaysOff).toEqual(['2026-01-13', '2026-01-30']);
    view = CalendarsResponse.parse(await (await app.request('/api/calendars/days-off', json('POST', { days: ['2026-01-30'] }, admin))).json());
    expect(view.companyDaysOff).toEqual(['2026-01-13', '2026-01-30']);
    const removed = await app.request('/api/calendars/days-off/2026-01-13', { method: 'DELETE', headers: admin });
    expect(removed.status).toBe(200);
    expect(CalendarsResponse.parse(await removed.json()).companyDaysOff).toEqual(['2026-01-30']);
  });

  it('counts pace on the workspace country, a team’s own country and one user’s own country', async () => {
    expect((await app.request('/api/settings', json('PUT', { calendarCountry: 'RU' }, head))).status).toBe(200);
    expect((await app.request('/api/calendars/teams/Berlin', json('PUT', { country: 'DE' }, head))).status).toBe(200);
    const view = CalendarsResponse.parse(await (await app.request(`/api/calendars/users/${london.user.id}`, json('PUT', { country: 'GB' }, head))).json());
    expect(view).toMatchObject({ country: 'RU', teams: { Berlin: 'DE' }, users: { [london.user.id]: 'GB' } });

    const january = await progress('period=month&date=2026-01-12');
    // Russia: 1–9 January off (New Year holidays, 3 Jan moved to the 9th): 15 working days, less the company's
    // day off on Fri 30 Jan = 14. Today (the 12th) is the first working day: 1 elapsed, 14 remaining.
    expect(january.calendar).toEqual({ country: 'RU', unknownYears: [] });
    expect(january.department.workingDays).toEqual({ total: 14, elapsed: 1, remaining: 14 });
    const row = (user: User) => january.managers.find((m) => m.ownerId === user.id)!;
    expect(row(moscow.user).workingDays.total).toBe(14);
    expect(row(moscow.user).neededPerWorkingDay).toBeCloseTo(30_000 / 14, 6);
    // Germany (team Berlin): only New Year's Day is a national holiday in January; 21 weekdays − 1 − 30 Jan = 20.
    expect(row(berlin.user)).toMatchObject({ calendar: { country: 'DE', unknownYears: [] }, workingDays: { total: 20 } });
    // Amy is in team Berlin but works in London: England & Wales, also 20.
    expect(row(london.user).calendar.country).toBe('GB');

    // Clearing Amy's own country puts her back on her team's.
    expect((await app.request(`/api/calendars/users/${london.user.id}`, json('PUT', { country: null }, head))).status).toBe(200);
    expect((await progress('period=month&date=2026-01-12')).managers.find((m) => m.ownerId === london.user.id)!.calendar.country).toBe('DE');
  });

  it('says a year whose calendar is not known yet is unknown, rather than guessing it', async () => {
    const nextYear = await progress('period=year&date=2027-03-01');
    expect(nextYear.calendar).toEqual({ country: 'RU', unknownYears: [2027] });
    expect(nextYear.managers.find((m) => m.ownerId === berlin.user.id)!.calendar).toEqual({ country: 'DE', unknownYears: [] });
  });
});
