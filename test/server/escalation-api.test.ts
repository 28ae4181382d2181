import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import {
  EscalationCreateResponse,
  EscalationDetail,
  EscalationPresetResponse,
  EscalationSettingsView,
  EscalationsResponse,
  EscalationView,
} from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { TestClock, testApp } from './helpers';
import { counts, escalationBody, escalationClockStart, json, recordOf, refusal, seedEscalationWorld, send, type Auth, type EscalationWorld } from './escalation-fixtures';
import { newClientId, pullAll, pushOk } from './sync-fixtures';
import { describeEachStore } from './stores';

describeEachStore('escalations API', ({ store }) => {
  const clock = new TestClock(escalationClockStart);
  let app: HeadwayApp;
  let w: EscalationWorld;
  beforeAll(async () => {
    app = testApp(store(), clock);
    w = await seedEscalationWorld(app, store(), clock);
  });

  const create = (body: unknown, auth: Auth) => app.request('/api/escalations', send('POST', body, auth));
  const act = (id: string, body: unknown, auth: Auth) => app.request(`/api/escalations/${id}/actions`, send('POST', body, auth));
  const get = (path: string, auth: Auth) => app.request(path, { headers: auth });
  const detail = async (id: string, auth: Auth) => EscalationDetail.parse(await json(await get(`/api/escalations/${id}`, auth), 200));

  let first: EscalationView;
  it('opens a manager\'s escalation routed to the head, with SLA due, the deal snapshot, an audit entry and a change to pull', async () => {
    const before = await counts(store());
    const answer = EscalationCreateResponse.parse(await json(await create(escalationBody({ record: recordOf(w.anaDeal) }), w.ana.auth), 201));
    first = answer.escalation;
    expect(answer).toMatchObject({ joined: false, notice: null });
    expect(first).toMatchObject({ fromId: w.ana.user.id, to: { role: 'head' }, status: 'open', version: 1, overdue: false, overdueAt: null });
    expect(first.slaDue! > escalationClockStart).toBe(true);
    expect(first.context).toMatchObject({ title: 'Acme renewal', amount: 25_000, currency: 'EUR', stage: 'Negotiation' });
    expect(await counts(store())).toMatchObject({ escalations: before.escalations + 1, audit: before.audit + 1 });
    const shown = await detail(first.id, w.ana.auth);
    expect(shown.audit).toEqual([expect.objectContaining({ action: 'open', actorId: w.ana.user.id, version: 1 })]);
    expect(shown).toMatchObject({ isRequester: true, mayAnswer: false });
    for (const auth of [w.ana.auth, w.head.auth]) {
      const pulled = await pullAll(app, auth);
      expect(pulled.changes.find((c) => c.entityId === first.id)?.data).toMatchObject({ id: first.id, version: 1 });
    }
  });

  it('refuses bad bodies and unknown recipients, writing nothing', async () => {
    const before = await counts(store());
    for (const body of [{}, escalationBody({ title: '' }), escalationBody({ category: 'gossip' }), escalationBody({ severity: 'urgent' }), escalationBody({ to: { role: 'ceo' } }), escalationBody({ record: { crm: 'nope', crmId: 'x', recordType: 'deal' } })]) {
      expect(await refusal(await create(body, w.ana.auth), 400), JSON.stringify(body)).toBe('invalid_body');
    }
    expect(await refusal(await create(escalationBody({ to: { userId: 'nobody' } }), w.ana.auth), 404)).toBe('not-found');
    expect(await refusal(await create(escalationBody({ to: { userId: w.ana.user.id } }), w.ana.auth), 400)).toBe('invalid');
    expect(await refusal(await create({ ...escalationBody(), id: first.id }, w.ben.auth), 409)).toBe('conflict');
    expect((await create(escalationBody(), {})).status).toBe(401);
    expect(await counts(store())).toEqual(before);
  });

  it('answers a retried create with the stored escalation instead of a second one', async () => {
    const before = await counts(store());
    const again = EscalationCreateResponse.parse(await json(await create({ ...escalationBody(), id: first.id }, w.ana.auth), 200));
    expect(again.escalation.id).toBe(first.id);
    expect(await counts(store())).toEqual(before);
  });

  it('hides one manager\'s escalation from another manager, on every route', async () => {
    expect(await refusal(await get(`/api/escalations/${first.id}`, w.ben.auth), 404)).toBe('not-found');
    expect(await refusal(await act(first.id, { type: 'comment', body: 'peek' }, w.ben.auth), 404)).toBe('not-found');
    const list = EscalationsResponse.parse(await json(await get('/api/escalations', w.ben.auth), 200));
    expect(list.escalations.map((e) => e.id)).not.toContain(first.id);
  });

  it('joins a second sender to the waiting escalation on the same deal and category when they may see the deal', async () => {
    const opened = EscalationCreateResponse.parse(await json(await create(escalationBody({ record: recordOf(w.freeDeal), category: 'decision', title: 'Who takes this lead?' }), w.ana.auth), 201));
    const before = await counts(store());
    const joined = EscalationCreateResponse.parse(
      await json(await create(escalationBody({ record: recordOf(w.freeDeal), category: 'decision', title: 'Same question', body: 'I could take it.' }), w.ben.auth), 200),
    );
    expect(joined.joined).toBe(true);
    expect(joined.notice).toMatch(/joins that thread/);
    expect(joined.escalation).toMatchObject({ id: opened.escalation.id, participantIds: [w.ben.user.id], version: 2 });
    expect(joined.escalation.comments).toEqual([expect.objectContaining({ authorId: w.ben.user.id, body: 'Same question\n\nI could take it.' })]);
    expect(await counts(store())).toMatchObject({ escalations: before.escalations, audit: before.audit + 1 });
    expect((await detail(opened.escalation.id, w.ben.auth)).mayAnswer).toBe(false);
    const retried = EscalationCreateResponse.parse(
      await json(await create(escalationBody({ id: joined.escalation.comments[0]!.id, record: recordOf(w.freeDeal), category: 'decision', title: 'Same question', body: 'I could take it.' }), w.ben.auth), 200),
    );
    expect(retried).toMatchObject({ joined: true, escalation: { version: 2 } });
    expect(await counts(store())).toMatchObject({ escalations: before.escalations, audit: before.audit + 1 });
    const benPull = await pullAll(app, w.ben.auth);
    expect(benPull.changes.find((c) => c.entityId === opened.escalation.id)?.data).toMatchObject({ participantIds: [w.ben.user.id] });
    const sent = EscalationsResponse.parse(await json(await get('/api/escalations?box=sent', w.ben.auth), 200));
    expect(sent.escalations.map((e) => e.id)).toContain(opened.escalation.id);
  });

  it('does not let a duplicate reveal an escalation about a deal the sender may not see: it opens its own', async () => {
    const cleo = EscalationCreateResponse.parse(await json(await create(escalationBody({ record: recordOf(w.anaDeal) }), w.cleo.auth), 201));
    expect(cleo).toMatchObject({ joined: false, notice: null });
    expect(cleo.escalation.id).not.toBe(first.id);
    const original = await detail(first.id, w.ana.auth);
    expect(original.escalation.participantIds).toEqual([]);
    expect(original.escalation.comments).toEqual([]);
    // The head may see Ana's deal, so the head's duplicate joins.
    const head = EscalationCreateResponse.parse(await json(await create(escalationBody({ record: recordOf(w.anaDeal), to: { role: 'exec' } }), w.head.auth), 200));
    expect(head.escalation.id).toBe(first.id);
  });

  it('walks acknowledge, request-info, resolve with the right people, refusing others with 403 and 409', async () => {
    const opened = EscalationCreateResponse.parse(await json(await create(escalationBody({ title: 'Price floor for Q2' }), w.ana.auth), 201)).escalation;
    const id = opened.id;
    const before = await counts(store());
    expect(await refusal(await act(id, { type: 'resolve', decision: 'Approved by myself' }, w.ana.auth), 403)).toBe('forbidden');
    expect(await refusal(await act(id, { type: 'acknowledge' }, w.ana.auth), 403)).toBe('forbidden');
    expect(await refusal(await act(id, { type: 'edit', title: 'Changed by the exec' }, w.exec.auth), 404)).toBe('not-found'); // addressed to the head
    expect(await refusal(await act(id, { type: 'acknowledge' }, w.admin.auth), 403)).toBe('forbidden');
    expect(await refusal(await act(id, { type: 'edit', title: 'x', baseVersion: 7 }, w.ana.auth), 409)).toBe('conflict');
    expect(await refusal(await act(id, { type: 'escalate-up' }, w.ana.auth), 409)).toBe('not-due');
    for (const body of [{}, { type: 'dance' }, { type: 'resolve' }, { type: 'handover', to: { role: 'ceo' } }, { type: 'join' }]) {
      expect(await refusal(await act(id, body, w.head.auth), 400), JSON.stringify(body)).toBe('invalid_body');
    }
    expect(await counts(store())).toEqual(before);

    const cursor = (await pullAll(app, w.ana.auth)).cursor;
    const edited = EscalationView.parse(await json(await act(id, { type: 'edit', title: 'Price floor for Q2 (EMEA)', baseVersion: 1 }, w.ana.auth), 200));
    expect(edited).toMatchObject({ title: 'Price floor for Q2 (EMEA)', version: 2 });
    const acknowledged = EscalationView.parse(await json(await act(id, { type: 'acknowledge' }, w.head.auth), 200));
    expect(acknowledged.status).toBe('acknowledged');
    expect(acknowledged.acknowledgedBy).toEqual({ id: w.head.user.id, name: 'Hana Head' });
    expect(await refusal(await act(id, { type: 'acknowledge' }, w.head.auth), 409)).toBe('invalid-state');
    expect(await refusal(await act(id, { type: 'edit', title: 'Too late' }, w.ana.auth), 409)).toBe('invalid-state');
    const asked = EscalationView.parse(await json(await act(id, { type: 'request-info', body: 'Which customers?' }, w.head.auth), 200));
    expect(asked.comments.at(-1)).toMatchObject({ authorId: w.head.user.id, body: 'Which customers?' });
    await json(await act(id, { type: 'comment', body: 'Acme and Globex.' }, w.ana.auth), 200);
    const resolved = EscalationView.parse(await json(await act(id, { type: 'resolve', decision: 'Floor at 12 %.' }, w.head.auth), 200));
    expect(resolved).toMatchObject({ status: 'resolved', decision: 'Floor at 12 %.', version: 6 });
    expect(resolved.resolvedAt).toBeDefined();
    expect(await refusal(await act(id, { type: 'resolve', decision: 'Again' }, w.head.auth), 409)).toBe('invalid-state');
    expect(await refusal(await act(id, { type: 'withdraw' }, w.ana.auth), 409)).toBe('invalid-state');
    const trail = (await detail(id, w.head.auth)).audit;
    expect(trail.map((a) => a.action)).toEqual(['open', 'edit', 'acknowledge', 'request-info', 'comment', 'resolve']);
    expect(trail.map((a) => a.version)).toEqual([1, 2, 3, 4, 5, 6]);
    // The requester's sidebar pulls the answer.
    const pulled = await pullAll(app, w.ana.auth, cursor);
    expect(pulled.changes.filter((c) => c.entityId === id).map((c) => c.data)).toEqual([
      expect.objectContaining({
        status: 'resolved',
        version: 6,
        decision: 'Floor at 12 %.',
        // Names travel with the escalation: a manager cannot list users, yet the sidebar says who answered.
        acknowledgedBy: { id: w.head.user.id, name: 'Hana Head' },
        resolvedBy: { id: w.head.user.id, name: 'Hana Head' },
      }),
    ]);
  });

  it('lets the exec answer what is handed over to it, and the new recipient sees it through', async () => {
    const opened = EscalationCreateResponse.parse(await json(await create(escalationBody({ title: 'Hire a fourth manager?' , category: 'proposal' }), w.ana.auth), 201)).escalation;
    const handed = EscalationView.parse(await json(await act(opened.id, { type: 'handover', to: { userId: w.exec.user.id }, note: 'Budget question' }, w.head.auth), 200));
    expect(handed.to).toEqual({ userId: w.exec.user.id });
    const inbox = EscalationsResponse.parse(await json(await get('/api/escalations?box=inbox&status=open', w.exec.auth), 200));
    expect(inbox.escalations.map((e) => e.id)).toContain(opened.id);
    const execPull = await pullAll(app, w.exec.auth);
    expect(execPull.changes.find((c) => c.entityId === opened.id)?.data).toMatchObject({ to: { userId: w.exec.user.id } });
    await json(await act(opened.id, { type: 'resolve', decision: 'Yes, from July.' }, w.exec.auth), 200);
  });

  it('lists the inbox and the sent box per role', async () => {
    const ids = (r: unknown) => EscalationsResponse.parse(r).escalations.map((e) => e.id);
    const headInbox = ids(await json(await get('/api/escalations?box=inbox', w.head.auth), 200));
    expect(headInbox).toContain(first.id);
    const anaSent = ids(await json(await get('/api/escalations?box=sent', w.ana.auth), 200));
    expect(anaSent).toContain(first.id);
    const anaInbox = ids(await json(await get('/api/escalations?box=inbox', w.ana.auth), 200));
    expect(anaInbox).not.toContain(first.id);
    const resolved = EscalationsResponse.parse(await json(await get('/api/escalations?status=resolved', w.ana.auth), 200));
    expect(resolved.escalations.every((e) => e.status === 'resolved')).toBe(true);
    expect(await refusal(await get('/api/escalations?box=everything', w.ana.auth), 400)).toBe('invalid_query');
  });

  it('runs the sync mutation escalation.create through the same path: routing target, SLA, audit, joining', async () => {
    const id = randomUUID();
    const response = await pushOk(app, w.ben.auth, newClientId(), [
      { mutationId: 1, name: 'escalation.create', args: { id, category: 'irregularity', severity: 'high', title: 'Invoice mismatch', record: null, to: { role: 'head' } } },
      { mutationId: 2, name: 'escalation.create', args: { id: randomUUID(), category: 'decision', severity: 'low', title: 'Joined by sync', record: recordOf(w.freeDeal), to: { role: 'head' } } },
    ]);
    expect(response.results.every((r) => r.ok)).toBe(true);
    const shown = await detail(id, w.head.auth);
    expect(shown.escalation.slaDue).not.toBeNull();
    expect(shown.audit.map((a) => a.action)).toEqual(['open']);
    const joinedRows = await store().db.selectFrom('escalations').select('id').where('crm_id', '=', w.freeDeal.crm_id).execute();
    expect(joinedRows).toHaveLength(1);
  });

  it('tells the sender of a synced create that joined to drop its would-be escalation, and brings the joined one', async () => {
    const waiting = EscalationCreateResponse.parse(
      await json(await create(escalationBody({ record: recordOf(w.freeDeal), category: 'explanation', title: 'Why is this lead unassigned?' }), w.cleo.auth), 201),
    ).escalation;
    const cursor = (await pullAll(app, w.ben.auth)).cursor;
    const ghostId = randomUUID();
    const pushed = await pushOk(app, w.ben.auth, newClientId(), [
      { mutationId: 1, name: 'escalation.create', args: { id: ghostId, category: 'explanation', severity: 'normal', title: 'Who owns this lead?', record: recordOf(w.freeDeal), to: { role: 'head' } } },
    ]);
    expect(pushed.results).toEqual([{ mutationId: 1, ok: true }]);
    expect(await store().db.selectFrom('escalations').select('id').where('id', '=', ghostId).executeTakeFirst()).toBeUndefined();
    const pulled = await pullAll(app, w.ben.auth, cursor);
    // The outbox's optimistic copy under ghostId goes (data null) …
    expect(pulled.changes.filter((c) => c.entityId === ghostId).map((c) => c.data)).toEqual([null]);
    // … and the waiting one comes, with the sender's text as a comment under the same id, so the client can point at it.
    const joined = pulled.changes.find((c) => c.entityId === waiting.id)?.data as EscalationView | undefined;
    expect(joined).toMatchObject({ participantIds: [w.ben.user.id] });
    expect(joined?.comments).toEqual([expect.objectContaining({ id: ghostId, authorId: w.ben.user.id })]);
    // Other managers never hear of the would-be id (head, exec and admin may get a removal of an id they never had).
    for (const auth of [w.cleo.auth, w.ana.auth]) expect((await pullAll(app, auth)).changes.some((c) => c.entityId === ghostId)).toBe(false);
  });

  it('presets the one-click escalation from the deal, the notes and the sender\'s last choice', async () => {
    const preset = (deal: typeof w.anaDeal, auth: Auth) =>
      app.request(`/api/escalations/preset?crm=${deal.crm}&instance=${encodeURIComponent(deal.instance!)}&recordType=${deal.record_type}&crmId=${encodeURIComponent(deal.crm_id)}`, { headers: auth });
    const late = EscalationPresetResponse.parse(await json(await preset(w.lateDeal, w.ana.auth), 200));
    expect(late.preset).toMatchObject({ category: 'decision', reason: 'past-close-date', to: { role: 'head' } });
    expect(late.context.title).toBe('Globex expansion');
    await pushOk(app, w.ana.auth, newClientId(), [
      { mutationId: 1, name: 'note.create', args: { id: randomUUID(), side: 'buyer', text: 'Wants more', discountPct: 22, record: recordOf(w.discountDeal), createdAt: escalationClockStart } },
    ]);
    const discount = EscalationPresetResponse.parse(await json(await preset(w.discountDeal, w.ana.auth), 200));
    expect(discount.preset).toMatchObject({ category: 'approval', reason: 'discount-above-threshold' });
    expect(discount.context.notes[0]).toMatchObject({ discountPct: 22 });
    // The title is in the reader's language.
    expect(discount.preset.title).toBe(`Approval needed: 22 % discount on ${discount.context.title}`);
    const russian = EscalationPresetResponse.parse(await json(await preset(w.discountDeal, { ...w.ana.auth, 'Accept-Language': 'ru-RU' }), 200));
    expect(russian.preset.title).toBe(`Нужно согласование: скидка 22\u00a0% — ${discount.context.title}`);
    const lateRu = EscalationPresetResponse.parse(await json(await preset(w.lateDeal, { ...w.ana.auth, 'Accept-Language': 'ru-RU' }), 200));
    expect(lateRu.preset.title).toMatch(/^Нужно решение: Globex expansion — срок закрытия прошёл \(\d+ [а-я]+\.? \d{4}\)$/);
    // Ben may not see Ana's deal or her notes: his preset falls back to his own last choice.
    const benView = EscalationPresetResponse.parse(await json(await preset(w.discountDeal, w.ben.auth), 200));
    expect(benView.deal).toBeNull();
    expect(benView.context.notes).toEqual([]);
    expect(benView.preset).toMatchObject({ reason: 'last-choice', category: 'irregularity', severity: 'high' });
    expect(await refusal(await app.request('/api/escalations/preset?crm=salesforce', { headers: w.ana.auth }), 400)).toBe('invalid_query');
  });

  it('stores escalation settings for head and admin only and never returns the secrets', async () => {
    expect(await refusal(await get('/api/escalation-settings', w.ana.auth), 403)).toBe('forbidden');
    expect(await refusal(await get('/api/escalation-settings', w.exec.auth), 403)).toBe('forbidden');
    expect(await refusal(await app.request('/api/escalation-settings', send('PUT', { discountApprovalPct: 5 }, w.ana.auth)), 403)).toBe('forbidden');
    const secret = 'whsec-0123456789abcdef';
    const password = 'smtp-pass-never-shown';
    const put = (body: unknown, auth = w.admin.auth) => app.request('/api/escalation-settings', send('PUT', body, auth));
    expect(await refusal(await put({ delivery: { webhookUrl: 'https://hooks.example.test/x' } }), 400)).toBe('invalid_settings');
    const unsigned = await app.request('/api/escalation-settings', send('PUT', { delivery: { webhookUrl: 'https://hooks.example.test/x' } }, { ...w.admin.auth, 'Accept-Language': 'ru' }));
    expect(await json(unsigned, 400)).toMatchObject({ error: 'invalid_settings', message: expect.stringContaining('Вебхуку нужен секрет') });
    for (const body of [{ discountApprovalPct: 120 }, { calendar: { start: '18:00', end: '09:00' } }, { delivery: { webhookUrl: 'ftp://x' } }, { rules: { above: { manager: 'head', head: 'manager', exec: null, admin: null } } }, { surprise: 1 }]) {
      expect(await refusal(await put(body), 400), JSON.stringify(body)).toBe('invalid_body');
    }
    const saved = await put({
      discountApprovalPct: 10,
      calendar: { utcOffsetMinutes: 60, workdays: [1, 2, 3, 4, 5], start: '08:00', end: '17:00', holidays: ['2026-04-03'], hoursBySeverity: { low: 40, normal: 16, high: 8, critical: 3 } },
      delivery: { webhookUrl: 'https://hooks.example.test/x', webhookSecret: secret, smtp: { host: 'mail.example.test', port: 2525, from: 'headway@example.test', username: 'headway' }, smtpPassword: password },
    });
    const text = await saved.clone().text();
    expect(text).not.toContain(secret);
    expect(text).not.toContain(password);
    const view = EscalationSettingsView.parse(await json(saved, 200));
    expect(view.delivery).toMatchObject({ webhookSecretSet: true, smtpPasswordSet: true, webhookUrl: 'https://hooks.example.test/x' });
    const read = await get('/api/escalation-settings', w.head.auth);
    expect(await read.clone().text()).not.toContain(secret);
    expect(EscalationSettingsView.parse(await json(read, 200))).toMatchObject({ discountApprovalPct: 10, calendar: { start: '08:00' } });
    // New escalations run on the saved calendar: 3 business hours from Monday 10:00 local (UTC+1) is 13:00 local.
    const timed = EscalationCreateResponse.parse(await json(await create(escalationBody({ severity: 'critical' }), w.ana.auth), 201));
    expect(timed.escalation.slaDue).toBe('2026-03-16T12:00:00.000Z');
    // A partial update keeps the secrets; null clears them.
    const kept = EscalationSettingsView.parse(await json(await put({ discountApprovalPct: 12 }), 200));
    expect(kept.delivery.webhookSecretSet).toBe(true);
    const cleared = EscalationSettingsView.parse(await json(await put({ delivery: { webhookUrl: null, webhookSecret: null, smtp: null, smtpPassword: null } }), 200));
    expect(cleared.delivery).toMatchObject({ webhookUrl: null, webhookSecretSet: false, smtp: null, smtpPasswordSet: false });
  });

  it('exports the audit trail as CSV to head, admin and exec, each seeing only what they may', async () => {
    expect(await refusal(await get('/api/escalations/audit.csv', w.ana.auth), 403)).toBe('forbidden');
    expect(await refusal(await get('/api/escalations/audit.csv?from=2026-03-20&to=2026-03-01', w.head.auth), 400)).toBe('invalid_query');
    const response = await get('/api/escalations/audit.csv?from=2026-03-16&to=2026-03-16', w.admin.auth);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(response.headers.get('Content-Disposition')).toMatch(/attachment; filename="headway-escalation-audit_2026-03-16_2026-03-16\.csv"/);
    const csv = await response.text();
    expect(csv.split(/\r?\n/)[0]).toBe('escalation_id,at,actor_id,actor_name,action,from_status,to_status,version,details');
    expect(csv).toContain(first.id);
    const execCsv = await (await get('/api/escalations/audit.csv', w.exec.auth)).text();
    expect(execCsv).not.toContain(first.id); // addressed to the head: management does not read it (issue 13 §3)
    const none = await (await get('/api/escalations/audit.csv?from=2027-01-01', w.head.auth)).text();
    expect(none.trim().split(/\r?\n/)).toHaveLength(1);
  });

  it('keeps audit details as facts worded for each reader, and still shows a row stored as English text', async () => {
    const opened = EscalationCreateResponse.parse(await json(await create(escalationBody({ title: 'Journal in two languages' }), w.ana.auth), 201)).escalation;
    await json(await act(opened.id, { type: 'handover', to: { userId: w.head.user.id }, note: 'Ваш клиент' }, w.head.auth), 200);
    const stored = await detail(opened.id, w.head.auth);
    expect(stored.audit.map((entry) => entry.details)).toEqual([
      { kind: 'opened', category: 'approval', severity: 'normal' },
      { kind: 'moved', from: { role: 'head' }, to: { userId: w.head.user.id }, note: 'Ваш клиент' },
    ]);
    // The inbox names the person the hand-over went to, for readers who cannot list users.
    expect(stored.names[w.head.user.id]).toBe(w.head.user.name);
    // A row from before the facts: plain English, shown as written.
    await store().db.insertInto('escalation_audit').values({ escalation_id: opened.id, version: 99, at: escalationClockStart, actor_id: 'system', action: 'comment', from_status: 'open', to_status: 'open', details: 'comment: written in English' }).execute();
    expect((await detail(opened.id, w.head.auth)).audit.at(-1)?.details).toBe('comment: written in English');
    const csvIn = async (language: string) => (await app.request('/api/escalations/audit.csv', { headers: { ...w.admin.auth, 'Accept-Language': language } })).text();
    const ru = await csvIn('ru-RU');
    expect(ru).toContain('открыта: согласование, важность обычная');
    expect(ru).toContain(`руководитель отдела продаж → ${w.head.user.name}: Ваш клиент`);
    expect(ru).toContain('comment: written in English');
    const en = await csvIn('en-GB');
    expect(en).toContain('opened: approval, normal');
    expect(en).toContain(`from the head of sales to ${w.head.user.name}: Ваш клиент`);
  });
});
