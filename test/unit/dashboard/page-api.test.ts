import { describe, expect, it } from 'vitest';
import { senderMay } from '../../../extension/background/hub';
import { answerPageApi } from '../../../extension/background/page-api-handler';
import { pathOf } from '../../../core/api/route';
import { routes } from '../../../core/api/routes';
import { checkRead, checkWrite } from '../../../extension/page-api';
import type { Session } from '../../../extension/session';

const base = 'chrome-extension://abc/';

describe('page API allowlist', () => {
  it('lets only extension pages use it, never a content script in a CRM tab', () => {
    expect(senderMay('api-get', `${base}dashboard.html`, base)).toBe(true);
    expect(senderMay('api-post', `${base}popup.html`, base)).toBe(true);
    expect(senderMay('api-get', 'https://acme.my.salesforce.com/lightning/r/Opportunity/1/view', base)).toBe(false);
    expect(senderMay('api-post', undefined, base)).toBe(false);
  });

  it('accepts listed reads with valid filters and refuses everything else', () => {
    expect(checkRead('/api/progress?period=month&kind=sale')).toMatchObject({ ok: true, path: '/api/progress?period=month&kind=sale' });
    expect(checkRead('/api/progress/deals?period=year&ownerId=u1&status=won')).toMatchObject({ ok: true });
    expect(checkRead('/api/load')).toMatchObject({ ok: true });
    expect(checkRead('/api/progress?period=week')).toMatchObject({ ok: false });
    expect(checkRead('/api/progress?period=month&evil=1')).toMatchObject({ ok: false });
    expect(checkRead('/api/progress?period=month&period=year')).toMatchObject({ ok: false });
    expect(checkRead('/api/session')).toMatchObject({ ok: false });
    expect(checkRead('/api/sync/pull?cursor=0')).toMatchObject({ ok: false });
    expect(checkRead('//evil.example/api/progress?period=month')).toMatchObject({ ok: false });
    expect(checkRead('https://evil.example/api/load')).toMatchObject({ ok: false });
    expect(checkRead('/api/../api/session')).toMatchObject({ ok: false });
  });

  it('checks action bodies with the route schemas and ids in paths', () => {
    expect(checkWrite('POST', '/api/moves/m-1/approve', undefined)).toMatchObject({ ok: true, body: {} });
    expect(checkWrite('POST', '/api/moves', { dealId: 'd1', to: 'u2', decide: 'approve' })).toMatchObject({ ok: true });
    expect(checkWrite('POST', '/api/moves', { dealId: 'd1', to: 'u2', decide: 'maybe' })).toMatchObject({ ok: false });
    expect(checkWrite('POST', '/api/moves/..%2Fx/approve', {})).toMatchObject({ ok: false });
    expect(checkWrite('POST', '/api/moves/approve', { moves: [{ dealId: 'd1', to: 'u2' }, { dealId: 'd2', to: 'u2' }] })).toMatchObject({ ok: true });
    expect(checkWrite('POST', '/api/moves/approve', { moves: [] })).toMatchObject({ ok: false });
    expect(checkWrite('POST', '/api/moves/approve', { moves: [{ dealId: 'd1', to: 'u2' }, { dealId: 'd1', to: 'u3' }] })).toMatchObject({ ok: false });
    expect(checkWrite('POST', '/api/plans', { kind: 'sale', period: 'month', start: '2026-11-01', ownerId: null, target: -5, currency: 'EUR' })).toEqual({
      ok: false,
      message: 'a target cannot be negative',
    });
    expect(checkWrite('PUT', '/api/moves/m-1/approve', {})).toMatchObject({ ok: false });
    // Plans: delete by id, and the CSV import with only its own query flags.
    expect(checkWrite('DELETE', '/api/plans/p-1', undefined)).toMatchObject({ ok: true, method: 'DELETE', body: {} });
    expect(checkWrite('DELETE', '/api/plans/..%2Fx', undefined)).toMatchObject({ ok: false });
    expect(checkWrite('DELETE', '/api/moves/m-1/approve', undefined)).toMatchObject({ ok: false });
    expect(checkWrite('POST', '/api/plans/import?dryRun=1&replace=1', 'kind,period\n')).toMatchObject({ ok: true, csv: true, body: 'kind,period\n' });
    expect(checkWrite('POST', '/api/plans/import?dryRun=1&evil=1', 'kind\n')).toMatchObject({ ok: false });
    expect(checkWrite('POST', '/api/plans/import?replace=maybe', 'kind\n')).toMatchObject({ ok: false });
    expect(checkWrite('POST', '/api/plans/import', { csv: 'kind' })).toMatchObject({ ok: false });
    expect(checkWrite('POST', '/api/plans?dryRun=1', {})).toMatchObject({ ok: false });
    expect(checkWrite('POST', '/api/users', {})).toMatchObject({ ok: false });
  });

  it('builds read paths without empty values', () => {
    expect(pathOf(routes.progress, {}, { period: 'quarter', kind: 'purchase', date: undefined })).toBe('/api/progress?period=quarter&kind=purchase');
    expect(pathOf(routes.load)).toBe('/api/load');
    expect(pathOf(routes.updatePlan, { id: 'p 1/x' })).toBe('/api/plans/p%201%2Fx');
    expect(pathOf(routes.dealLoad, { crm: 'hubspot', recordType: 'deal', crmId: '42' }, { instance: 'acme' })).toBe('/api/load/deal/hubspot/deal/42?instance=acme');
    expect(() => pathOf(routes.updatePlan, {} as { id: string })).toThrow(/:id/);
  });
});

describe('answerPageApi', () => {
  const session: Session = {
    serverUrl: 'http://server.test',
    token: 'secret-token',
    user: { id: 'u1', name: 'Dana', email: 'dana@example.com', role: 'head', team: null, capacity: 40, segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [] } as never,
    config: null,
    state: 'online',
    lastContactAt: null,
    problem: null,
  };
  const connection = { session: async () => session, check: async () => ({}) as never };

  it('sends the token to the session’s server and parses the answer with the route schema', async () => {
    const seen: { url: string; auth: string | null; method: string | undefined; body: unknown }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      seen.push({ url, auth: new Headers(init.headers).get('authorization'), method: init.method, body: init.body });
      return new Response(JSON.stringify({ moves: [] }), { status: 200 });
    }) as typeof fetch;
    expect(await answerPageApi(connection, { type: 'api-get', path: '/api/moves?status=approved' }, fetchImpl)).toEqual({ ok: true, data: { moves: [] } });
    expect(seen[0]).toMatchObject({ url: 'http://server.test/api/moves?status=approved', auth: 'Bearer secret-token' });
  });

  it('turns a malformed answer and a refusal into sentences, and never calls the server for a refused path', async () => {
    let calls = 0;
    const bad = (async () => (calls++, new Response(JSON.stringify({ moves: 'nope' }), { status: 200 }))) as typeof fetch;
    const answer = await answerPageApi(connection, { type: 'api-get', path: '/api/moves' }, bad);
    expect(answer).toMatchObject({ ok: false });
    const refused = (async () => (calls++, new Response(JSON.stringify({ error: 'forbidden', message: 'Only the head decides.' }), { status: 403 }))) as typeof fetch;
    expect(await answerPageApi(connection, { type: 'api-post', method: 'POST', path: '/api/moves/m1/approve', body: {} }, refused)).toEqual({
      ok: false,
      message: 'Only the head decides.',
      status: 403,
    });
    expect(calls).toBe(2);
    expect(await answerPageApi(connection, { type: 'api-get', path: '/api/session' }, bad)).toMatchObject({ ok: false, status: null });
    expect(calls).toBe(2);
  });

  it('sends a plans CSV as text/csv and hands a refused import’s rows back to the page', async () => {
    const seen: { method: string | undefined; type: string | null; body: unknown }[] = [];
    const rows = [{ line: 3, reason: 'target: a target cannot be negative' }];
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      seen.push({ method: init.method, type: new Headers(init.headers).get('content-type'), body: init.body });
      return new Response(JSON.stringify({ error: 'import_rejected', message: 'Nothing was imported: 1 bad row.', issues: rows, rows: 2 }), { status: 400 });
    }) as typeof fetch;
    const answer = await answerPageApi(connection, { type: 'api-post', method: 'POST', path: '/api/plans/import?replace=1', body: 'kind,period\nsale,month\n' }, fetchImpl);
    expect(answer).toEqual({ ok: false, message: 'Nothing was imported: 1 bad row.', status: 400, issues: rows });
    expect(seen).toEqual([{ method: 'POST', type: 'text/csv', body: 'kind,period\nsale,month\n' }]);
  });
});
