import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { REPORT_CSV_HEADER } from '../../core/escalation';
import { requestedWeek } from '../../core/escalation';
import { EscalationCreateResponse, EscalationDetail, EscalationsResponse, EscalationView, ReportsResponse, StoredReport } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { generateScheduledReport, mondayOf } from '../../server/escalation/reports';
import { signedIn, TestClock, testApp } from './helpers';
import { escalationBody, escalationClockStart, json, refusal, seedEscalationWorld, send, type EscalationWorld } from './escalation-fixtures';
import { newClientId, pushOk } from './sync-fixtures';
import { describeEachStore } from './stores';

const hostileName = '<img src=x onerror=alert(1)>';
const hostileTitle = '<script>alert("report")</script> & more';

describeEachStore('weekly reports', ({ store }) => {
  const clock = new TestClock(escalationClockStart);
  let app: HeadwayApp;
  let w: EscalationWorld;
  let hostile: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    w = await seedEscalationWorld(app, store(), clock);
    hostile = await signedIn(app, store(), clock, { role: 'manager', name: hostileName });
    await json(await app.request('/api/escalations', send('POST', escalationBody({ title: hostileTitle }), hostile.auth)), 201);
    await pushOk(app, hostile.auth, newClientId(), [
      { mutationId: 1, name: 'note.create', args: { id: randomUUID(), side: 'buyer', text: 'Call went well', record: null, createdAt: escalationClockStart } },
      { mutationId: 2, name: 'note.create', args: { id: randomUUID(), side: 'seller', text: 'Supplier call', record: null, createdAt: escalationClockStart } },
    ]);
  });

  const get = (path: string, auth: Record<string, string>) => app.request(path, { headers: auth });

  it('is open to head, exec and admin, not to managers', async () => {
    for (const auth of [w.head.auth, w.exec.auth, w.admin.auth]) expect((await get('/api/reports/weekly?week=2026-03-18', auth)).status).toBe(200);
    expect(await refusal(await get('/api/reports/weekly?week=2026-03-18', w.ana.auth), 403)).toBe('forbidden');
    expect(await refusal(await get('/api/reports', w.ana.auth), 403)).toBe('forbidden');
    expect(await refusal(await app.request('/api/reports/weekly', send('POST', { week: '2026-03-16' }, w.ana.auth)), 403)).toBe('forbidden');
    expect(await refusal(await app.request('/api/reports/weekly', send('POST', { week: '2026-03-16' }, w.exec.auth)), 403)).toBe('forbidden');
    expect(await refusal(await get('/api/reports/weekly?week=last-week', w.head.auth), 400)).toBe('invalid_query');
    expect(await refusal(await get('/api/reports/weekly?week=2026-03-18&format=pdf', w.head.auth), 400)).toBe('invalid_query');
  });

  it('renders HTML that escapes every name and title and runs no script', async () => {
    const response = await get('/api/reports/weekly?week=2026-03-18&format=html', w.head.auth);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('Sales weekly report, 16 Mar 2026 – 22 Mar 2026');
    expect(html).not.toContain(hostileName);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(&quot;report&quot;)&lt;/script&gt; &amp; more');
  });

  it('counts the week\'s notes and escalations and gives CSV with a filename', async () => {
    // The head's view: the live report counts the escalations its reader may see, and these are addressed to the head.
    const data = (await json(await get('/api/reports/weekly?week=2026-03-20&format=json', w.head.auth), 200)) as {
      weekStart: string;
      managers: Array<{ managerName: string; notes: number }>;
      escalations: { opened: number; waiting: number };
    };
    expect(data.weekStart).toBe('2026-03-16');
    expect(data.managers.find((m) => m.managerName === hostileName)?.notes).toBe(2);
    expect(data.escalations.opened).toBeGreaterThanOrEqual(1);
    const csv = await get('/api/reports/weekly?week=2026-03-16&format=csv', w.admin.auth);
    expect(csv.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('Content-Disposition')).toBe('attachment; filename="headway-weekly-report_2026-03-16.csv"');
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe(REPORT_CSV_HEADER.join(','));
    expect(lines.at(-1)).toMatch(/^Team,/);
  });

  it('lets the head answer an exec\'s report request by attaching a generated report', async () => {
    const request = EscalationCreateResponse.parse(
      await json(await app.request('/api/escalations', send('POST', escalationBody({ category: 'report-request', title: 'Weekly numbers, please', to: { role: 'head' } }), w.exec.auth)), 201),
    ).escalation;
    const stored = StoredReport.parse(await json(await app.request('/api/reports/weekly', send('POST', { week: '2026-03-16' }, w.head.auth)), 201));
    const act = (body: unknown) => app.request(`/api/escalations/${request.id}/actions`, send('POST', body, w.head.auth));
    expect(await refusal(await act({ type: 'resolve', decision: 'Attached.', reportId: 'no-such-report' }), 400)).toBe('invalid');
    const resolved = EscalationView.parse(await json(await act({ type: 'resolve', decision: 'Attached.', reportId: stored.id }), 200));
    expect(resolved.status).toBe('resolved');
    expect(resolved.decision).toContain(stored.link);
    const path = new URL(stored.link).pathname;
    const opened = await get(path, w.exec.auth);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('Sales weekly report, 16 Mar 2026');
    expect((await get(`${path}?format=csv`, w.exec.auth)).headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(await refusal(await get(path, w.ana.auth), 403)).toBe('forbidden');
    expect(await refusal(await get('/api/reports/nothing-here', w.exec.auth), 404)).toBe('not-found');
  });

  it('routes an exec\'s report request to the head by the workspace rules and shows the attached report to the exec', async () => {
    const asked = EscalationCreateResponse.parse(
      await json(
        await app.request('/api/escalations', send('POST', escalationBody({ category: 'report-request', title: 'Weekly report, please', context: { reportWeek: '2026-03-18' } }), w.exec.auth)),
        201,
      ),
    ).escalation;
    expect(asked.to).toEqual({ role: 'head' });
    expect(requestedWeek(asked)).toBe('2026-03-16');
    const headInbox = EscalationsResponse.parse(await json(await get('/api/escalations?box=inbox', w.head.auth), 200));
    expect(headInbox.escalations.map((e) => e.id)).toContain(asked.id);
    const stored = StoredReport.parse(await json(await app.request('/api/reports/weekly', send('POST', { week: requestedWeek(asked) }, w.head.auth)), 201));
    const resolved = EscalationView.parse(
      await json(await app.request(`/api/escalations/${asked.id}/actions`, send('POST', { type: 'resolve', decision: 'Here it is.', reportId: stored.id }, w.head.auth)), 200),
    );
    expect(resolved).toMatchObject({ status: 'resolved', reportId: stored.id, resolvedBy: { id: w.head.user.id, name: 'Hana Head' } });
    const seen = EscalationDetail.parse(await json(await get(`/api/escalations/${asked.id}`, w.exec.auth), 200));
    expect(seen.escalation.reportId).toBe(stored.id);
    // The exec cannot list users, so the detail names exactly the people it mentions (requester, audit actors).
    expect(seen.names).toEqual({ [w.exec.user.id]: 'Erin Exec', [w.head.user.id]: 'Hana Head' });
    const sent = EscalationsResponse.parse(await json(await get('/api/escalations?box=sent', w.exec.auth), 200));
    expect(sent.names[w.exec.user.id]).toBe('Erin Exec');
    expect(seen.escalation.decision).toContain(stored.link);
    expect((await get(`/api/reports/${stored.id}`, w.exec.auth)).status).toBe(200);

    // The admin can send report requests to one named person instead; the writer's own requests still go up.
    const rules = { reportRequests: { userId: w.head.user.id } };
    await json(await app.request('/api/escalation-settings', send('PUT', { rules }, w.admin.auth)), 200);
    const toPerson = EscalationCreateResponse.parse(
      await json(await app.request('/api/escalations', send('POST', escalationBody({ category: 'report-request', title: 'And March?' }), w.exec.auth)), 201),
    ).escalation;
    expect(toPerson.to).toEqual({ userId: w.head.user.id });
    const fromHead = EscalationCreateResponse.parse(
      await json(await app.request('/api/escalations', send('POST', escalationBody({ category: 'report-request', title: 'Need the finance report' }), w.head.auth)), 201),
    ).escalation;
    expect(fromHead.to).toEqual({ role: 'exec' });
    await json(await app.request('/api/escalation-settings', send('PUT', { rules: {} }, w.admin.auth)), 200);
  });

  it('stores last week\'s report once on the weekly schedule, for the exec to find', async () => {
    clock.advance(7 * 86_400_000); // Monday 23 March
    const first = await generateScheduledReport(store(), clock);
    expect(first).toMatchObject({ weekStart: '2026-03-16', scheduled: true });
    expect(await generateScheduledReport(store(), clock)).toBeNull();
    const list = ReportsResponse.parse(await json(await get('/api/reports', w.exec.auth), 200));
    expect(list.reports.filter((r) => r.scheduled && r.weekStart === '2026-03-16')).toHaveLength(1);
    expect(mondayOf('2026-03-22')).toBe('2026-03-16');
    expect(mondayOf('2026-03-23')).toBe('2026-03-23');
  });
});
