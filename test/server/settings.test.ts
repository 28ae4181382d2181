import { beforeAll, expect, it } from 'vitest';
import { ApiError, ConfigResponse, Settings } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { describeEachStore } from './stores';
import { TestClock, signedIn, testApp } from './helpers';

function put(body: unknown, auth: Record<string, string>): RequestInit {
  return { method: 'PUT', headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(body) };
}

describeEachStore('settings', ({ store }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  let head: Record<string, string>;
  let manager: Record<string, string>;
  let exec: Record<string, string>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    head = (await signedIn(app, store(), clock, { role: 'head' })).auth;
    manager = (await signedIn(app, store(), clock, { role: 'manager' })).auth;
    exec = (await signedIn(app, store(), clock, { role: 'exec' })).auth;
  });

  it('answers defaults before anyone configured anything, to any signed-in user', async () => {
    const response = await app.request('/api/settings', { headers: manager });
    expect(response.status).toBe(200);
    expect(Settings.parse(await response.json())).toEqual({
      name: 'Headway', reportingCurrency: 'EUR', fiscalYearStartMonth: 1, holidays: [], rates: {}, weekendDays: [0, 6], calendarCountry: null,
    });
    expect((await app.request('/api/settings')).status).toBe(401);
  });

  it('lets the head merge holidays and rates in, sorted and de-duplicated, keeping the other fields', async () => {
    const response = await app.request('/api/settings', put({ holidays: ['2026-12-25', '2026-01-01', '2026-12-25'], rates: { USD: 0.9 }, fiscalYearStartMonth: 4 }, head));
    expect(response.status).toBe(200);
    const settings = Settings.parse(await response.json());
    expect(settings).toMatchObject({ name: 'Headway', fiscalYearStartMonth: 4, holidays: ['2026-01-01', '2026-12-25'], rates: { USD: 0.9 } });
    expect(Settings.parse(await (await app.request('/api/settings', { headers: exec })).json())).toEqual(settings);
    // The older config route still answers the workspace part, unharmed.
    const config = ConfigResponse.parse(await (await app.request('/api/config', { headers: manager })).json());
    expect(config.settings).toEqual({ name: 'Headway', reportingCurrency: 'EUR', fiscalYearStartMonth: 4 });
  });

  it('refuses managers and execs, and bad values, without changing anything', async () => {
    const before = await (await app.request('/api/settings', { headers: head })).json();
    expect((await app.request('/api/settings', put({ holidays: [] }, manager))).status).toBe(403);
    expect((await app.request('/api/settings', put({ holidays: [] }, exec))).status).toBe(403);
    for (const bad of [
      { holidays: ['2026-13-01'] },
      { rates: { USD: -1 } },
      { rates: { usd: 1 } },
      { fiscalYearStartMonth: 13 },
      { weekendDays: [7] },
      { surprise: true },
    ]) {
      const response = await app.request('/api/settings', put(bad, head));
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(ApiError.parse(await response.json()).error).toBe('invalid_body');
    }
    const contradiction = await app.request('/api/settings', put({ rates: { EUR: 2 } }, head));
    expect(contradiction.status).toBe(400);
    expect(ApiError.parse(await contradiction.json()).message).toMatch(/rates\.EUR must be 1/);
    expect(await (await app.request('/api/settings', { headers: head })).json()).toEqual(before);
  });
});
