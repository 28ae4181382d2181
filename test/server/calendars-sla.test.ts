import { beforeAll, expect, it } from 'vitest';
import { EscalationCreateResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { TestClock, testApp } from './helpers';
import { escalationBody, json, seedEscalationWorld, send, type EscalationWorld } from './escalation-fixtures';
import { describeEachStore } from './stores';

describeEachStore('SLA clocks on the working calendar', ({ store }) => {
  // Friday 31 October 2025, 17:00 UTC; default business hours 09:00–18:00 UTC, Monday to Friday.
  const clock = new TestClock('2025-10-31T17:00:00.000Z');
  let app: HeadwayApp;
  let w: EscalationWorld;
  beforeAll(async () => {
    app = testApp(store(), clock);
    w = await seedEscalationWorld(app, store(), clock);
  });
  const critical = async () =>
    EscalationCreateResponse.parse(await json(await app.request('/api/escalations', send('POST', escalationBody({ severity: 'critical' }), w.ana.auth)), 201)).escalation.slaDue;

  it('counts weekdays only without a country', async () => {
    // Two business hours from Friday 17:00: one that day, one on Monday 3 November.
    expect(await critical()).toBe('2025-11-03T10:00:00.000Z');
  });

  it('works Russia’s transferred Saturday 1 Nov 2025 and skips 3–4 November, and the company’s days off', async () => {
    expect((await app.request('/api/settings', send('PUT', { calendarCountry: 'RU' }, w.head.auth))).status).toBe(200);
    expect(await critical()).toBe('2025-11-01T10:00:00.000Z');
    clock.advance(24.5 * 3_600_000); // Saturday 1 November, 17:30
    // Half an hour on the working Saturday; Sunday, and Monday 3 and Tuesday 4 November are off: Wednesday 10:30.
    expect(await critical()).toBe('2025-11-05T10:30:00.000Z');
    expect((await app.request('/api/calendars/days-off', send('POST', { days: ['2025-11-05'] }, w.admin.auth))).status).toBe(200);
    expect(await critical()).toBe('2025-11-06T10:30:00.000Z');
  });
});
