import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import type { EscalationInput, User } from '../../../core/schema';
import { createEscalationRequests } from '../../../extension/background/escalation/requests';
import type { Session } from '../../../extension/session';
import type { SyncRunner } from '../../../extension/background/sync/runner';
import { memoryStorage } from './escalation-fakes';

const user: User = { id: 'u-marco', name: 'Marco Rossi', email: 'marco@example.com', role: 'manager' } as User;
const session: Session = { serverUrl: 'http://headway.test', token: 't', user, config: null, state: 'online', lastContactAt: null, problem: null };
const record = { crm: 'suitecrm' as const, instance: 'https://crm.example.test', recordType: 'deal' as const, crmId: 'opp-1' };

/** An outbox that holds entries until `push()` empties it, as the runner's push would. */
function fakeRunner() {
  let entries: { mutationId: number; name: string; args: EscalationInput }[] = [];
  const runner = {
    outbox: async () => ({
      pending: async () => entries,
      enqueue: async (name: string, args: EscalationInput) => {
        entries.push({ mutationId: entries.length + 1, name, args });
      },
    }),
    db: async () => ({ put: async () => undefined, getAllFromIndex: async () => [] }),
    enqueued: vi.fn(),
    sync: vi.fn(async () => undefined),
  };
  return { runner: runner as unknown as SyncRunner, entries: () => entries, push: () => (entries = []) };
}

function fakeBrowser() {
  const windows: string[] = [];
  const notifications: string[] = [];
  const browser = {
    runtime: { getURL: (path: string) => `chrome-extension://id${path}` },
    windows: { create: async ({ url }: { url: string }) => void windows.push(url) },
    notifications: { create: async (id: string) => void notifications.push(id), onClicked: { addListener: () => undefined } },
    tabs: { create: async () => undefined },
  };
  return { browser: browser as unknown as WxtBrowser, windows, notifications };
}

afterEach(() => vi.unstubAllGlobals());

describe('escalation in the background', () => {
  it('offline, one click queues escalation.create at once with the defaults and opens the window; Undo withdraws once it is pushed', async () => {
    const { runner, entries, push } = fakeRunner();
    const { browser, windows } = fakeBrowser();
    const calls: { url: string; body: unknown }[] = [];
    let online = false;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      if (!online) throw new TypeError('offline');
      calls.push({ url, body: JSON.parse(String(init.body ?? 'null')) });
      return new Response(JSON.stringify({}), { status: 409, headers: { 'content-type': 'application/json' } });
    });
    const escalations = createEscalationRequests({ browser, session: async () => session, runner, storage: memoryStorage(), tabStorage: memoryStorage() });

    const answer = (await escalations.handle({ type: 'escalate', record, fields: { title: 'Acme renewal' }, url: null })) as { ok: boolean; id: string };
    expect(answer.ok).toBe(true);
    expect(entries()).toHaveLength(1);
    expect(entries()[0]).toMatchObject({ name: 'escalation.create', args: { id: answer.id, category: 'shortcoming', severity: 'normal', to: { role: 'head' }, record } });
    expect(windows).toEqual([`chrome-extension://id/escalate.html?id=${answer.id}`]);

    const undone = (await escalations.handle({ type: 'escalation-undo', id: answer.id })) as { ok: boolean; message: string };
    expect(undone).toEqual({ ok: true, message: 'Undone. It will be withdrawn as soon as it reaches the server.' });
    expect(await escalations.handle({ type: 'escalation-sent', id: answer.id })).toMatchObject({ ok: true, escalation: { phase: 'undone' } });

    online = true;
    push();
    escalations.afterSync();
    await vi.waitFor(() => expect(calls.find((call) => call.url.endsWith('/actions'))).toBeDefined());
    const withdraw = calls.find((call) => call.url.endsWith('/actions'))!;
    expect(withdraw.url).toBe(`http://headway.test/api/escalations/${answer.id}/actions`);
    expect(withdraw.body).toMatchObject({ type: 'withdraw' });
  });

  it('refining while it still waits rewrites the queued escalation and remembers the choice for the next offline click', async () => {
    const { runner, entries } = fakeRunner();
    const puts: unknown[] = [];
    (runner as unknown as { db: () => Promise<unknown> }).db = async () => ({ put: async (_store: string, value: unknown) => void puts.push(value) });
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('offline');
    });
    const storage = memoryStorage();
    const escalations = createEscalationRequests({ browser: fakeBrowser().browser, session: async () => session, runner, storage, tabStorage: memoryStorage() });
    const { id } = (await escalations.handle({ type: 'escalate', record, fields: {}, url: null })) as { id: string };
    const refined = await escalations.handle({ type: 'escalation-refine', id, category: 'approval', severity: 'high', title: 'Approval: 20 % off', body: 'Three-year term.' });
    expect(refined).toEqual({ ok: true, message: 'Saved; it goes out with your changes.' });
    expect(puts).toEqual([expect.objectContaining({ mutationId: entries()[0]!.mutationId, args: expect.objectContaining({ id, category: 'approval', severity: 'high', body: 'Three-year term.' }) })]);

    await escalations.handle({ type: 'escalate', record, fields: {}, url: null });
    expect(entries()[1]!.args).toMatchObject({ category: 'approval', severity: 'high' });
  });

  it('Alt+Shift+E escalates the record the tab last reported, and nothing in a tab without one', async () => {
    const { runner, entries } = fakeRunner();
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('offline');
    });
    const escalations = createEscalationRequests({ browser: fakeBrowser().browser, session: async () => session, runner, storage: memoryStorage(), tabStorage: memoryStorage() });
    await escalations.rememberPage(7, { record, fields: { title: 'Acme renewal' }, url: 'https://crm.example/opp-1' });
    expect(await escalations.escalateTab(8)).toEqual({ ok: false, message: 'No CRM record in this tab.' });
    expect(await escalations.escalateTab(7)).toMatchObject({ ok: true });
    expect(entries()[0]!.args).toMatchObject({ record, context: { title: 'Acme renewal', link: 'https://crm.example/opp-1' } });
  });

  it('notifies each new escalation in my inbox once, and counts what waits', async () => {
    const { runner } = fakeRunner();
    const { browser, notifications } = fakeBrowser();
    const full = (id: string, status: string) => ({
      id, status, severity: 'high', title: `About ${id}`, category: 'approval', body: '', record: null, context: {}, to: { role: 'head' }, fromId: 'u-x', slaDue: null, decision: null,
      comments: [], createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z', version: 1, overdue: false, overdueAt: null,
    });
    let list = [full('a', 'open'), full('b', 'resolved')];
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ escalations: list }), { status: 200 }));
    const escalations = createEscalationRequests({ browser, session: async () => session, runner, storage: memoryStorage(), tabStorage: memoryStorage() });
    expect(await escalations.handle({ type: 'escalation-inbox-count' })).toEqual({ count: 1, needsMe: 0, pending: 0 });
    list = [full('a', 'open'), full('c', 'open')];
    expect(await escalations.handle({ type: 'escalation-inbox-count' })).toEqual({ count: 2, needsMe: 0, pending: 0 });
    expect(notifications).toEqual(['headway-escalation:a', 'headway-escalation:c']);
  });
});
