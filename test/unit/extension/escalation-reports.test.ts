import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import type { User } from '../../../core/schema';
import { ApiFailure } from '../../../extension/api';
import { ESCALATIONS_CHANGED } from '../../../extension/escalation/messages';
import { createReports } from '../../../extension/background/escalation/reports';
import type { Session } from '../../../extension/session';
import { fakeServer } from './escalation-fakes';

const exec = { id: 'u-erin', name: 'Erin Exec', email: 'erin@example.com', role: 'exec' } as User;
const session: Session = { serverUrl: 'http://headway.test', token: 'device-token', user: exec, config: null, state: 'online', lastContactAt: null, problem: null };

function setup(answer: (method: string, path: string, body: unknown) => unknown, connected: Session | null = session) {
  const pageMessages: unknown[] = [];
  const browser = { runtime: { sendMessage: async (message: unknown) => void pageMessages.push(message) } } as unknown as WxtBrowser;
  const { server, asked } = fakeServer(answer);
  const answered = vi.fn();
  const reports = createReports({ browser, session: async () => connected, server, answered });
  return { reports, asked, pageMessages, answered };
}

const refusal = (status: number, message: string) => () => {
  throw new ApiFailure('rejected', message, status);
};

afterEach(() => vi.unstubAllGlobals());

describe('weekly reports by escalation, in the background', () => {
  it('asks for the report of the week a day falls in, with no recipient so the server routes it, and tells the open pages', async () => {
    const env = setup(() => ({ escalation: { id: 'e-r' }, joined: false, notice: null }));
    const result = await env.reports.request({ type: 'escalation-request-report', week: '2026-11-26', body: '  for the board  ' });
    expect(result).toMatchObject({ ok: true });
    expect(env.asked).toHaveLength(1);
    expect(env.asked[0]).toMatchObject({
      method: 'POST',
      path: '/api/escalations',
      body: { category: 'report-request', severity: 'normal', title: 'Weekly report for the week of 2026-11-23', body: 'for the board', record: null, context: { reportWeek: '2026-11-23' } },
    });
    expect(env.asked[0]!.body).not.toHaveProperty('to');
    await vi.waitFor(() => expect(env.pageMessages).toEqual([{ type: ESCALATIONS_CHANGED }]));
  });

  it('shows a refused request as the server worded it and tells no page', async () => {
    const env = setup(refusal(403, 'Only management may ask for the weekly report.'));
    expect(await env.reports.request({ type: 'escalation-request-report', week: '2026-11-23', body: '' })).toEqual({
      ok: false,
      message: 'Only management may ask for the weekly report.',
      status: 403,
    });
    await new Promise((flushed) => setTimeout(flushed, 0)); // lets a queued page message go out, if one were queued
    expect(env.pageMessages).toEqual([]);
  });

  it('attaches by storing that week’s report first and resolving the request with it', async () => {
    const env = setup((_method, path) => (path === '/api/reports/weekly' ? { id: 'r-47' } : { id: 'e-r', status: 'resolved' }));
    const result = await env.reports.attach({ type: 'escalation-attach-report', id: 'e-r', week: '2026-11-19' });
    expect(result).toEqual({ ok: true, data: { id: 'e-r', status: 'resolved' } });
    expect(env.asked).toEqual([
      { method: 'POST', path: '/api/reports/weekly', body: { week: '2026-11-16' } },
      { method: 'POST', path: '/api/escalations/e-r/actions', body: { type: 'resolve', decision: 'The weekly report for the week of 2026-11-16 is attached.', reportId: 'r-47' } },
    ]);
    expect(env.answered).toHaveBeenCalledTimes(1);
  });

  it('resolves nothing when the report cannot be stored', async () => {
    const env = setup(refusal(403, 'Only the head of sales writes weekly reports.'));
    expect(await env.reports.attach({ type: 'escalation-attach-report', id: 'e-r', week: '2026-11-16' })).toMatchObject({ ok: false, status: 403 });
    expect(env.asked.map((call) => call.path)).toEqual(['/api/reports/weekly']);
    expect(env.answered).not.toHaveBeenCalled();
  });

  it('fetches a stored report’s HTML with the device token, and refuses what is not a report', async () => {
    const requests: { url: string; headers: Headers }[] = [];
    let response = () => new Response('<h1>Week of 16 Nov</h1>', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      requests.push({ url, headers: new Headers(init.headers) });
      return response();
    });
    const { reports } = setup(() => undefined);
    expect(await reports.html('r-47')).toEqual({ ok: true, html: '<h1>Week of 16 Nov</h1>' });
    expect(requests[0]!.url).toBe('http://headway.test/api/reports/r-47');
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer device-token');

    response = () => new Response(JSON.stringify({ error: 'not-found', message: 'No such report.' }), { status: 404, headers: { 'content-type': 'application/json' } });
    expect(await reports.html('r-48')).toEqual({ ok: false, message: 'No such report.' });
    response = () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    expect(await reports.html('r-47')).toEqual({ ok: false, message: 'The server did not answer with a report.' });
    response = () => new Response('x'.repeat(5_000_001), { status: 200, headers: { 'content-type': 'text/html' } });
    expect(await reports.html('r-47')).toEqual({ ok: false, message: 'This report is too large to show here.' });
  });

  it('says what is wrong when it cannot ask: not connected, or the server unreachable', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('offline');
    });
    expect(await setup(() => undefined, null).reports.html('r-47')).toEqual({
      ok: false,
      message: 'This browser is not connected to a Headway server. Open the settings to connect.',
    });
    expect(await setup(() => undefined).reports.html('r-47')).toEqual({ ok: false, message: 'Can’t reach the Headway server at http://headway.test.' });
  });
});
