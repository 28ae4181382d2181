import { beforeAll, expect, it } from 'vitest';
import { EscalationCreateResponse, EscalationDetail, EscalationPresetResponse, EscalationsResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { signedIn, TestClock, testApp } from './helpers';
import { escalationBody, escalationClockStart, json, recordOf, seedEscalationWorld, send, type Auth, type EscalationWorld } from './escalation-fixtures';
import { describeEachStore } from './stores';
import { noteCreate, newClientId, pullAll, pushOk } from './sync-fixtures';

/** Who sees and who may act on what, per role, across the read and action routes. */
describeEachStore('escalation access by role', ({ store }) => {
  const clock = new TestClock(escalationClockStart);
  let app: HeadwayApp;
  let w: EscalationWorld;
  let exec2: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    w = await seedEscalationWorld(app, store(), clock);
    exec2 = await signedIn(app, store(), clock, { role: 'exec', name: 'Second Exec' });
  });

  const create = async (body: Record<string, unknown>, auth: Auth) =>
    EscalationCreateResponse.parse(await json(await app.request('/api/escalations', send('POST', escalationBody(body), auth)), 201)).escalation;
  const status = async (id: string, auth: Auth) => (await app.request(`/api/escalations/${id}`, { headers: auth })).status;
  const listed = async (id: string, auth: Auth) =>
    EscalationsResponse.parse(await json(await app.request('/api/escalations', { headers: auth }), 200)).escalations.some((e) => e.id === id);
  const act = async (id: string, body: unknown, auth: Auth) => (await app.request(`/api/escalations/${id}/actions`, send('POST', body, auth))).status;

  it('a manager\'s escalation to the head: requester, head and admin see it; the exec and another manager do not', async () => {
    const e = await create({ title: 'Discount on Acme' }, w.ana.auth);
    const expected: Array<[string, Auth, number]> = [
      ['ana (requester)', w.ana.auth, 200],
      ['head (recipient)', w.head.auth, 200],
      ['exec (addressed to the head, not to management)', w.exec.auth, 404],
      ['admin', w.admin.auth, 200],
      ['ben (other manager)', w.ben.auth, 404],
    ];
    for (const [who, auth, code] of expected) {
      expect(await status(e.id, auth), who).toBe(code);
      expect(await listed(e.id, auth), who).toBe(code === 200);
    }
    expect(await act(e.id, { type: 'acknowledge' }, w.ana.auth)).toBe(403); // nobody answers their own
    expect(await act(e.id, { type: 'resolve', decision: 'yes' }, w.ana.auth)).toBe(403);
    expect(await act(e.id, { type: 'acknowledge' }, w.admin.auth)).toBe(403); // admin runs the tool, not the business
    expect(await act(e.id, { type: 'comment', body: 'hi' }, w.ben.auth)).toBe(404);
    expect(await act(e.id, { type: 'edit', body: 'Rewritten by the exec' }, w.exec.auth)).toBe(404);
    expect(await act(e.id, { type: 'resolve', decision: 'Decided above the head.' }, w.exec.auth)).toBe(404);
    expect(await act(e.id, { type: 'edit', body: 'Rewritten by the head' }, w.head.auth)).toBe(403);
    expect(await act(e.id, { type: 'withdraw' }, w.head.auth)).toBe(403);
    const mayAnswer = async (auth: Auth) => EscalationDetail.parse(await json(await app.request(`/api/escalations/${e.id}`, { headers: auth }), 200)).mayAnswer;
    expect([await mayAnswer(w.ana.auth), await mayAnswer(w.head.auth), await mayAnswer(w.admin.auth)]).toEqual([false, true, false]);
    expect((await pullAll(app, w.exec.auth)).changes.find((c) => c.entityId === e.id)?.data ?? null).toBeNull();
    // Once the head sends it up, it is addressed to management and the exec reads and answers it.
    expect(await act(e.id, { type: 'handover', to: { role: 'exec' } }, w.head.auth)).toBe(200);
    expect(await status(e.id, w.exec.auth)).toBe(200);
    expect(await act(e.id, { type: 'resolve', decision: 'Decided above the head.' }, w.exec.auth)).toBe(200);
  });

  it('an exec\'s question to management stays with management: the head and managers do not see it', async () => {
    const e = await create({ title: 'Board pack', category: 'report-request', to: { role: 'exec' } }, w.exec.auth);
    expect(await status(e.id, exec2.auth)).toBe(200);
    expect(await status(e.id, w.head.auth)).toBe(404);
    expect(await status(e.id, w.ana.auth)).toBe(404);
    expect(await act(e.id, { type: 'acknowledge' }, w.exec.auth)).toBe(403);
    expect(await act(e.id, { type: 'acknowledge' }, exec2.auth)).toBe(200);
  });

  it('an escalation to one manager: that manager answers, the head above may too, a colleague sees nothing', async () => {
    const e = await create({ title: 'Take over Globex?', category: 'decision', to: { userId: w.ben.user.id } }, w.ana.auth);
    expect(await status(e.id, w.cleo.auth)).toBe(404);
    expect(await act(e.id, { type: 'acknowledge' }, w.cleo.auth)).toBe(404);
    expect(await act(e.id, { type: 'acknowledge' }, w.ben.auth)).toBe(200);
    expect(await act(e.id, { type: 'handover', to: { userId: w.ana.user.id } }, w.head.auth)).toBe(400); // not back to its sender
    expect(await act(e.id, { type: 'resolve', decision: 'Ben takes it.' }, w.head.auth)).toBe(200);
  });

  it('a duplicate from someone who may not see the deal opens its own escalation and learns nothing of the other', async () => {
    const record = { crm: w.anaDeal.crm, instance: w.anaDeal.instance, crmId: w.anaDeal.crm_id, recordType: w.anaDeal.record_type };
    const original = await create({ title: 'Acme wants 25 %', record }, w.ana.auth);
    const answer = EscalationCreateResponse.parse(await json(await app.request('/api/escalations', send('POST', escalationBody({ title: 'Me too', record }), w.ben.auth)), 201));
    expect(answer.joined).toBe(false);
    expect(answer.notice).toBeNull();
    expect(JSON.stringify(answer)).not.toContain(original.id);
    expect(JSON.stringify(answer)).not.toContain('Acme wants 25 %');
    expect(await status(original.id, w.ben.auth)).toBe(404);
  });

  it('escalating a colleague\'s deal attaches only what the sender may read, on create as on the preset (issue 13 §3)', async () => {
    const record = recordOf(w.discountDeal);
    const secret = noteCreate(1, { record, text: 'SECRET: buyer will accept 18 % if we throw in onboarding', discountPct: 18, nextStep: 'Call the CFO on Friday' });
    await pushOk(app, w.ana.auth, newClientId(), [secret]);
    const preset = EscalationPresetResponse.parse(await json(await app.request(`/api/escalations/preset?crm=${record.crm}&instance=${encodeURIComponent(record.instance!)}&recordType=${record.recordType}&crmId=${record.crmId}`, { headers: w.ben.auth }), 200));
    const viaRoute = await create({ title: 'Initech looks stuck', record, context: {} }, w.ben.auth);
    const viaSync = escalationBody({ title: 'Initech again', category: 'irregularity', record, to: { role: 'head' } });
    await pushOk(app, w.cleo.auth, newClientId(), [{ mutationId: 1, name: 'escalation.create', args: viaSync }]);
    const synced = EscalationDetail.parse(await json(await app.request(`/api/escalations/${viaSync.id}`, { headers: w.cleo.auth }), 200)).escalation;
    for (const context of [viaRoute.context, synced.context]) {
      expect(context).toEqual(preset.context);
      const text = JSON.stringify(context);
      for (const leak of ['SECRET', 'CFO', '18', 'Negotiation', '25000', 'Initech pilot']) expect(text, leak).not.toContain(leak);
    }
    // The owner's own escalation of the same deal carries her note and the deal as she sees it.
    const own = await create({ title: 'Initech: approve 18 %?', record, category: 'decision', context: {} }, w.ana.auth);
    expect(JSON.stringify(own.context)).toContain('SECRET');
    expect(own.context).toMatchObject({ amount: 25_000, stage: 'Negotiation' });
  });
});
