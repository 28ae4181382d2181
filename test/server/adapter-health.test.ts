import { beforeAll, expect, it } from 'vitest';
import { AdapterHealthResponse, ApiError } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { runCli } from '../../server/cli/run';
import { disableAdapter } from '../../server/store/workspace';
import { describeEachStore } from './stores';
import { TestClock, post, signedIn, testApp } from './helpers';

const miss = { crm: 'hubspot', origin: 'https://app.hubspot.com', recordType: 'deal' } as const;

async function missRows(app: HeadwayApp, auth: Record<string, string>, days = 14) {
  const response = await app.request(`/api/adapter-health?days=${days}`, { headers: auth });
  expect(response.status).toBe(200);
  return AdapterHealthResponse.parse(await response.json());
}

describeEachStore('adapter health', ({ store, databaseUrl }) => {
  const clock = new TestClock('2026-11-27T10:00:00.000Z');
  let app: HeadwayApp;
  let head: Awaited<ReturnType<typeof signedIn>>;
  let manager: Awaited<ReturnType<typeof signedIn>>;
  let other: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    app = testApp(store(), clock);
    head = await signedIn(app, store(), clock, { role: 'head' });
    manager = await signedIn(app, store(), clock, { role: 'manager' });
    other = await signedIn(app, store(), clock, { role: 'manager' });
  });

  it('sums misses per day, adapter, origin and record type, and counts distinct reporters', async () => {
    for (const auth of [manager.auth, manager.auth, other.auth]) {
      const response = await app.request('/api/adapter-health/misses', post(miss, auth));
      expect(response.status).toBe(204);
    }
    await app.request('/api/adapter-health/misses', post({ ...miss, recordType: 'account' }, manager.auth));
    const { misses } = await missRows(app, head.auth);
    expect(misses).toEqual([
      { ...miss, day: '2026-11-27', misses: 3, reporters: 2, lastAt: '2026-11-27T10:00:00.000Z' },
      { ...miss, recordType: 'account', day: '2026-11-27', misses: 1, reporters: 1, lastAt: '2026-11-27T10:00:00.000Z' },
    ]);
  });

  it('forgets nothing but shows only the asked-for window', async () => {
    clock.advance(20 * 24 * 60 * 60 * 1000);
    await app.request('/api/adapter-health/misses', post({ ...miss, crm: 'pipedrive', origin: 'https://acme.pipedrive.com' }, manager.auth));
    expect((await missRows(app, head.auth, 7)).misses.map((m) => m.crm)).toEqual(['pipedrive']);
    expect((await missRows(app, head.auth, 30)).misses).toHaveLength(3);
  });

  it('refuses bad reports with 400 and writes nothing', async () => {
    const before = await store().db.selectFrom('adapter_misses').selectAll().execute();
    for (const body of [
      { ...miss, crm: 'sugarcrm' },
      { ...miss, origin: 'https://app.hubspot.com/contacts/123' },
      { ...miss, recordType: 'ticket' },
      { crm: 'hubspot' },
    ]) {
      const response = await app.request('/api/adapter-health/misses', post(body, manager.auth));
      expect(response.status).toBe(400);
      expect(ApiError.parse(await response.json()).error).toBe('invalid_body');
    }
    expect(await store().db.selectFrom('adapter_misses').selectAll().execute()).toEqual(before);
  });

  it('lets any signed-in user report but only head and admin read', async () => {
    expect((await app.request('/api/adapter-health/misses', post(miss))).status).toBe(401);
    expect((await app.request('/api/adapter-health', { headers: manager.auth })).status).toBe(403);
    expect((await app.request('/api/adapter-health?days=0', { headers: head.auth })).status).toBe(400);
  });

  it('lists misses and switched-off adapters on the command line', async () => {
    await disableAdapter(store().db, 'pipedrive', 'Pipedrive moved its deal header (Nov 2026)', clock.now().toISOString());
    const out: string[] = [];
    const errors: string[] = [];
    const code = await runCli(['adapter', 'reports', '--days', '30', '--json'], {
      env: { DATABASE_URL: databaseUrl() },
      out: (line) => out.push(line),
      err: (line) => errors.push(line),
    });
    expect(code, errors.join('\n')).toBe(0);
    const report = AdapterHealthResponse.parse(JSON.parse(out.join('')));
    expect(report.misses.length).toBeGreaterThanOrEqual(1);
    expect(report.disabledAdapters).toEqual([{ crm: 'pipedrive', reason: 'Pipedrive moved its deal header (Nov 2026)' }]);
  });
});
