import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import type { Escalation, PullResponse, User } from '../../../core/schema';
import { createToolbarBadge } from '../../../extension/background/escalation/badge';
import { createEscalationRequests } from '../../../extension/background/escalation/requests';
import { ESCALATIONS_CHANGED } from '../../../extension/escalation/messages';
import { saveSession, type Session } from '../../../extension/session';
import { createSyncRunner } from '../../../extension/background/sync/runner';

const SERVER = 'http://headway.test';
const record = { crm: 'suitecrm' as const, instance: 'https://crm.example.test', recordType: 'deal' as const, crmId: 'opp-7' };
const person = (id: string, name: string, role: User['role']): User => ({
  id, name, role, email: `${id}@example.com`, team: null, capacity: 100, segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [], createdAt: '2026-01-01T00:00:00Z',
});
const ben = person('u-ben', 'Ben Brook', 'manager');
const hana = person('u-hana', 'Hana Head', 'head');

function sessionOf(user: User): Session {
  return { serverUrl: SERVER, token: 'device-token', user, config: null, state: 'online', lastContactAt: null, problem: null };
}

function escalation(over: Partial<Escalation>): Escalation {
  return {
    id: 'e-x', category: 'shortcoming', severity: 'normal', title: 'Acme renewal is stuck', body: '', record, context: {}, to: { role: 'head' }, fromId: 'u-cleo',
    status: 'open', slaDue: '2026-11-30T17:00:00.000Z', decision: null, comments: [], participantIds: [], createdAt: '2026-11-26T09:00:00.000Z', updatedAt: '2026-11-26T09:00:00.000Z', version: 1,
    ...over,
  };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The extension's real runner over fake-indexeddb, and a browser that records notifications and page messages. */
async function setup(user: User, server: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  fakeBrowser.reset();
  await saveSession(fakeBrowser.storage.local, sessionOf(user));
  const fetcher = async (url: string | URL | Request, init?: RequestInit) => {
    const answer = server(String(url), init);
    if (answer === undefined) throw new TypeError('offline');
    return answer;
  };
  vi.stubGlobal('fetch', fetcher);
  const badgeCalls: string[] = [];
  const badge = createToolbarBadge({
    setBadgeText: async ({ text }: { text: string }) => void badgeCalls.push(text),
    setBadgeBackgroundColor: async () => undefined,
    setTitle: async () => undefined,
  } as never);
  let escalations: ReturnType<typeof createEscalationRequests> | undefined;
  const runner = createSyncRunner({
    indexedDB: new IDBFactory(),
    storage: fakeBrowser.storage.local,
    fetch: fetcher,
    scheduleRetry: () => undefined,
    onSummary: (summary) => {
      badge.setPending(summary.pending);
      escalations?.afterSync();
    },
  });
  const notifications: { id: string; title: string; message: string }[] = [];
  const pageMessages: unknown[] = [];
  const browser = {
    runtime: { getURL: (path: string) => `chrome-extension://id${path}`, sendMessage: async (message: unknown) => void pageMessages.push(message) },
    windows: { create: async () => undefined },
    notifications: { create: async (id: string, options: { title: string; message: string }) => void notifications.push({ id, ...options }), onClicked: { addListener: () => undefined } },
    tabs: { create: async () => undefined },
  } as unknown as WxtBrowser;
  escalations = createEscalationRequests({ browser, session: async () => sessionOf(user), runner, storage: fakeBrowser.storage.local, tabStorage: fakeBrowser.storage.session, badge });
  return { runner, escalations, badge, badgeCalls, notifications, pageMessages };
}

afterEach(() => vi.unstubAllGlobals());

describe('an offline escalation the server joined to an open one', () => {
  it('leaves no ghost: the pull drops the optimistic copy, the sidebar and the window say it joined, and the user is told once', async () => {
    let online = false;
    let pushed: { mutationId: number; name: string; args: { id: string; title: string } }[] = [];
    let pulls = 0;
    const env = await setup(ben, (url, init) => {
      if (!online) return undefined as never;
      if (url.endsWith('/api/sync/push')) {
        pushed = (JSON.parse(String(init?.body)) as { mutations: typeof pushed }).mutations;
        return json({ lastMutationId: pushed.at(-1)!.mutationId, results: pushed.map((m) => ({ mutationId: m.mutationId, ok: true })) });
      }
      if (url.includes('/api/sync/pull')) {
        pulls += 1;
        const ghostId = pushed[0]!.args.id;
        // What server/escalation/service.ts joinDuplicate logs: the would-be id (loads as nothing) and the joined one,
        // with the sender's text as a comment under the would-be id.
        const joinedCopy = escalation({
          id: 'e-open',
          status: 'acknowledged',
          acknowledgedBy: { id: hana.id, name: 'Hana Head' },
          participantIds: [ben.id],
          comments: [{ id: ghostId, authorId: ben.id, body: pushed[0]!.args.title, at: '2026-11-27T10:00:00.000Z' }],
          version: 3,
        });
        const page: PullResponse = pulls === 1
          ? { changes: [{ seq: 7, entity: 'escalation', entityId: ghostId, version: 1, data: null }, { seq: 8, entity: 'escalation', entityId: 'e-open', version: 3, data: joinedCopy }], cursor: 8, more: false }
          : { changes: [], cursor: 8, more: false };
        return json(page);
      }
      if (url.includes('/api/escalations?box=inbox')) return json({ escalations: [] });
      return json({ error: 'not-found', message: 'Nothing here in this test.' }, 404);
    });

    const sent = (await env.escalations.handle({ type: 'escalate', record, fields: { title: 'Acme renewal' }, url: null })) as { ok: true; id: string };
    expect(sent.ok).toBe(true);
    const line = () => env.escalations.handle({ type: 'escalation-status', record, revision: 0 });
    expect(await line()).toEqual({ text: 'Escalated · waiting to sync', tone: 'open' });

    online = true;
    await env.runner.sync(true);
    expect(pushed.map((m) => m.args.id)).toEqual([sent.id]);
    const cached = await (await env.runner.db()).getAllFromIndex('entities', 'byEntity', 'escalation');
    expect(cached.map((row) => row.entityId)).toEqual(['e-open']);

    await vi.waitFor(async () => expect(await line()).toEqual({ text: 'Joined the open escalation · acknowledged by Hana Head', tone: 'open' }));
    expect(await env.escalations.handle({ type: 'escalation-sent', id: sent.id })).toMatchObject({ ok: true, escalation: { phase: 'joined', joinedTitle: 'Acme renewal is stuck' } });
    await vi.waitFor(() => expect(env.notifications.filter((n) => n.title === 'Joined the open escalation')).toHaveLength(1));
    expect(env.notifications[0]).toMatchObject({ id: 'headway-escalation:e-open' });
    expect(env.pageMessages).toContainEqual({ type: ESCALATIONS_CHANGED });
    // Refining the window's copy makes no sense any more; it says where to go instead.
    expect(await env.escalations.handle({ type: 'escalation-refine', id: sent.id, category: 'approval', severity: 'high', title: 'x', body: '' })).toMatchObject({ ok: false });

    // Later rounds neither tell again nor bring the ghost back.
    const before = pulls;
    await env.runner.sync(true);
    expect(pulls).toBeGreaterThan(before);
    expect(await line()).toEqual({ text: 'Joined the open escalation · acknowledged by Hana Head', tone: 'open' });
    expect(env.notifications.filter((n) => n.title === 'Joined the open escalation')).toHaveLength(1);
  });
});

describe('the badge and the open pages follow the inbox', () => {
  it('adds open escalations addressed to me that I have not acknowledged, and tells the pages when the pull changed any', async () => {
    const toHead = escalation({ id: 'e-1', title: 'Needs the head' });
    let inbox: Escalation[] = [];
    let pullPage: PullResponse = { changes: [], cursor: 1, more: false };
    const env = await setup(hana, (url) => {
      if (url.includes('/api/sync/pull')) return json(pullPage);
      if (url.includes('/api/escalations?box=inbox')) return json({ escalations: inbox.map((e) => ({ ...e, overdue: false, overdueAt: null })) });
      return json({ error: 'not-found', message: 'Nothing here in this test.' }, 404);
    });
    await env.runner.sync(true);
    await vi.waitFor(() => expect(env.badge.counts()).toEqual({ pending: 0, needsMe: 0 }));

    // A manager's escalation arrives by the pull: the inbox is looked at at once (not after the throttle), the
    // badge counts it, and the open inbox page is told.
    inbox = [toHead, escalation({ id: 'e-2', to: { role: 'manager' }, title: 'Addressed to managers' }), escalation({ id: 'e-3', to: { userId: 'u-someone' }, title: 'To someone else' })];
    pullPage = { changes: [{ seq: 2, entity: 'escalation', entityId: 'e-1', version: 1, data: toHead }], cursor: 2, more: false };
    env.pageMessages.length = 0;
    await env.runner.sync(true);
    await vi.waitFor(() => expect(env.badge.counts().needsMe).toBe(1));
    expect(env.badgeCalls.at(-1)).toBe('1');
    expect(env.pageMessages).toContainEqual({ type: ESCALATIONS_CHANGED });
    expect(await env.escalations.handle({ type: 'escalation-inbox-count' })).toEqual({ count: 3, needsMe: 1, pending: 0 });

    // Acknowledged: it still waits in the inbox, but no longer needs me.
    inbox = [{ ...toHead, status: 'acknowledged', version: 2 }];
    expect(await env.escalations.handle({ type: 'escalation-inbox-count' })).toEqual({ count: 1, needsMe: 0, pending: 0 });
    expect(env.badgeCalls.at(-1)).toBe('');
  });
});
