import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, Deal, Note, type PushResponse } from '../../core/schema';
import { createApp, type HeadwayApp } from '../../server/app';
import { openMigratedStore } from '../../server/store/store';
import { describeEachStore } from './stores';
import { TestClock, rowCount, signedIn, testApp, declareTenant } from './helpers';
import { dealCapture, newClientId, tenantDealUrl, noteCreate, pullAll, push, pushAgainstRivalNote, pushOk } from './sync-fixtures';

describeEachStore('sync push', ({ store, kind, databaseUrl }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  let manager: Awaited<ReturnType<typeof signedIn>>;
  let other: Awaited<ReturnType<typeof signedIn>>;
  let head: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    await declareTenant(store(), clock);
    manager = await signedIn(app, store(), clock, {
      role: 'manager',
      name: 'Marco Rossi',
      crmIdentities: [{ crm: 'suitecrm', ownerId: 'mrossi', name: 'Marco Rossi', email: 'marco@crm.example' }],
    });
    other = await signedIn(app, store(), clock, { role: 'manager', name: 'Olga Other' });
    head = await signedIn(app, store(), clock, { role: 'head', name: 'Hana Head' });
  });

  const notesOf = async (authorId: string) =>
    (await store().db.selectFrom('notes').select(['id', 'version', 'deleted_at']).where('author_id', '=', authorId).execute());

  it('applies a batch in order and acknowledges every mutation', async () => {
    const clientId = newClientId();
    const first = noteCreate(1);
    const response = await pushOk(app, manager.auth, clientId, [
      first,
      noteCreate(2),
      { mutationId: 3, name: 'note.update', args: { id: first.args.id, baseVersion: 1, content: { side: 'buyer', text: 'Edited after the call' } } },
    ]);
    expect(response).toEqual({ lastMutationId: 3, results: [1, 2, 3].map((mutationId) => ({ mutationId, ok: true })) });
    const stored = await store().db.selectFrom('notes').selectAll().where('id', '=', first.args.id).executeTakeFirstOrThrow();
    expect(stored.version).toBe(2);
    expect(JSON.parse(stored.content).text).toBe('Edited after the call');
    expect(stored.author_id).toBe(manager.user.id);
  });

  it('acknowledges a resent batch without applying anything twice', async () => {
    const clientId = newClientId();
    const batch = [noteCreate(1), noteCreate(2), dealCapture(3, 'dup-deal', { title: 'Dup', amount: 100 })];
    await pushOk(app, manager.auth, clientId, batch);
    const counts = { notes: await rowCount(store(), 'notes'), deals: await rowCount(store(), 'deals'), changes: await rowCount(store(), 'change_log') };
    const again = await pushOk(app, manager.auth, clientId, batch);
    expect(again.lastMutationId).toBe(3);
    expect(again.results.every((r) => r.ok)).toBe(true);
    expect({ notes: await rowCount(store(), 'notes'), deals: await rowCount(store(), 'deals'), changes: await rowCount(store(), 'change_log') }).toEqual(counts);
    // A batch overlapping the acknowledged part applies only the new tail.
    const tail = await pushOk(app, manager.auth, clientId, [...batch.slice(1), noteCreate(4)]);
    expect(tail.lastMutationId).toBe(4);
    expect(await rowCount(store(), 'notes')).toBe(counts.notes + 1);
  });

  it('rejects a gap with 409 and applies nothing of the batch', async () => {
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, [noteCreate(1)]);
    const before = { notes: await rowCount(store(), 'notes'), changes: await rowCount(store(), 'change_log') };
    const answer = await push(app, manager.auth, clientId, [noteCreate(3), noteCreate(4)]);
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: 'mutation_gap', expected: 2 });
    expect(ApiError.parse(answer.body).message).toBe('Mutation 3 arrived but 2 was expected next; nothing was applied. Resend from 2.');
    const russian = await app.request('/api/sync/push', { method: 'POST', headers: { ...manager.auth, 'Content-Type': 'application/json', 'Accept-Language': 'ru-RU' }, body: JSON.stringify({ clientId, mutations: [noteCreate(3)] }) });
    expect(await russian.json()).toMatchObject({ error: 'mutation_gap', expected: 2, message: 'Пришло изменение 3, а следующим ожидалось 2; ничего не применено. Отправьте изменения заново, начиная с 2.' });
    // A gap in the middle of a batch throws away the mutations before it too.
    expect((await push(app, manager.auth, clientId, [noteCreate(2), noteCreate(4)])).status).toBe(409);
    expect({ notes: await rowCount(store(), 'notes'), changes: await rowCount(store(), 'change_log') }).toEqual(before);
    expect((await pushOk(app, manager.auth, clientId, [noteCreate(2)])).lastMutationId).toBe(2);
  });

  it('records invalid, unknown and refused mutations as failed and moves the queue on', async () => {
    const clientId = newClientId();
    const response = await pushOk(app, manager.auth, clientId, [
      { mutationId: 1, name: 'note.create', args: { id: 'x', side: 'nobody', createdAt: 'yesterday' } },
      { mutationId: 2, name: 'note.explode\u0000', args: {} },
      { mutationId: 3, name: 'note.update', args: { id: 'does-not-exist', baseVersion: 1, content: { side: 'buyer' } } },
      noteCreate(4, { text: 'with a NUL \u0000 inside' }),
      noteCreate(5),
    ]);
    expect(response.lastMutationId).toBe(5);
    expect(response.results.map((r) => (r.ok ? 'ok' : r.error?.code))).toEqual(['invalid', 'unknown-mutation', 'not-found', 'invalid', 'ok']);
    const failures = await store().db.selectFrom('mutation_failures').selectAll().where('client_id', '=', clientId).orderBy('mutation_id').execute();
    expect(failures.map((f) => [Number(f.mutation_id), f.code])).toEqual([[1, 'invalid'], [2, 'unknown-mutation'], [3, 'not-found'], [4, 'invalid']]);
    // Resending reports the same outcome and records nothing new.
    const again = await pushOk(app, manager.auth, clientId, [{ mutationId: 2, name: 'note.explode\u0000', args: {} }]);
    expect(again.results).toEqual([{ mutationId: 2, ok: false, error: response.results[1]?.error }]);
    expect(await store().db.selectFrom('mutation_failures').select('id').where('client_id', '=', clientId).execute()).toHaveLength(4);
  });

  it('answers a stale note.update with a conflict, and keeps other people out of a note', async () => {
    const clientId = newClientId();
    const create = noteCreate(1);
    const id = create.args.id;
    const content = (text: string) => ({ side: 'seller', text });
    const response = await pushOk(app, manager.auth, clientId, [
      create,
      { mutationId: 2, name: 'note.update', args: { id, baseVersion: 1, content: content('first edit') } },
      { mutationId: 3, name: 'note.update', args: { id, baseVersion: 1, content: content('edit from a stale tab') } },
    ]);
    expect(response.results.map((r) => (r.ok ? 'ok' : r.error?.code))).toEqual(['ok', 'ok', 'conflict']);
    const stored = await store().db.selectFrom('notes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.content).text).toBe('first edit');
    expect(stored.version).toBe(2);

    const intruder = await pushOk(app, other.auth, newClientId(), [
      { mutationId: 1, name: 'note.update', args: { id, baseVersion: 2, content: content('hijack') } },
      { mutationId: 2, name: 'note.delete', args: { id, baseVersion: 2 } },
      noteCreate(3, { id }),
    ]);
    // Issue 13 §5: a colleague's note answers exactly as a note that does not exist.
    const ghost = randomUUID();
    const unknown = await pushOk(app, other.auth, newClientId(), [
      { mutationId: 1, name: 'note.update', args: { id: ghost, baseVersion: 2, content: content('hijack') } },
      { mutationId: 2, name: 'note.delete', args: { id: ghost, baseVersion: 2 } },
    ]);
    const answer = (r: PushResponse['results'][number], probed: string) => ({ ...r.error, message: r.error?.message.replace(probed, '<id>') });
    expect(intruder.results.slice(0, 2).map((r) => answer(r, id))).toEqual(unknown.results.map((r) => answer(r, ghost)));
    expect(intruder.results.map((r) => r.error?.code)).toEqual(['not-found', 'not-found', 'conflict']);
    expect((await store().db.selectFrom('notes').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version).toBe(2);

    // A soft delete keeps the row and the author's pull shows it with deletedAt.
    const deleted = await pushOk(app, manager.auth, clientId, [{ mutationId: 4, name: 'note.delete', args: { id, baseVersion: 2 } }]);
    expect(deleted.results[0]?.ok).toBe(true);
    const pulled = await pullAll(app, manager.auth);
    const note = Note.parse(pulled.changes.find((c) => c.entityId === id)?.data);
    expect(note.deletedAt).toBe(clock.now().toISOString());
    expect(note.version).toBe(3);
    const edit = await pushOk(app, manager.auth, clientId, [{ mutationId: 5, name: 'note.update', args: { id, baseVersion: 3, content: content('too late') } }]);
    expect(edit.results[0]?.error?.code).toBe('conflict');
  });

  it('answers a create that reuses the author\'s note id with other content with a conflict, alike for anyone\'s id', async () => {
    const clientId = newClientId();
    const create = noteCreate(1, { text: 'The original' });
    await pushOk(app, manager.auth, clientId, [create]);
    // The exact create again (an answer lost on the way) is a replay: nothing changes, no failure.
    expect((await pushOk(app, manager.auth, newClientId(), [create])).results[0]?.ok).toBe(true);
    const rewritten = await pushOk(app, manager.auth, clientId, [noteCreate(2, { id: create.args.id, text: 'Other content' })]);
    expect(rewritten.results[0]?.error?.code).toBe('conflict');
    const stored = await store().db.selectFrom('notes').select('content').where('id', '=', create.args.id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.content).text).toBe('The original');
    // Someone else reusing the id gets the very same answer, which tells them nothing about whose note it is.
    const theirs = await pushOk(app, other.auth, newClientId(), [noteCreate(1, { id: create.args.id, text: 'The original' })]);
    expect(theirs.results[0]?.error).toEqual(rewritten.results[0]?.error);
  });

  it('answers a run of note.create written in one statement exactly as one by one, in order', async () => {
    const theirs = noteCreate(1);
    await pushOk(app, other.auth, newClientId(), [theirs]);
    const clientId = newClientId();
    const first = noteCreate(1);
    const [sixth, seventh] = [noteCreate(6), noteCreate(7)];
    const seqBefore = Number((await store().db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq);
    const response = await pushOk(app, manager.auth, clientId, [
      first,
      noteCreate(2, { id: theirs.args.id }),
      { mutationId: 3, name: 'note.create', args: { id: 'bad', side: 'nobody' } },
      noteCreate(4, { id: first.args.id, text: 'same id again in the batch' }), // other content: a conflict
      // An edit right after the run sees the note the run created.
      { mutationId: 5, name: 'note.update', args: { id: first.args.id, baseVersion: 1, content: { side: 'seller', text: 'edited in the same batch' } } },
      sixth,
      seventh,
    ]);
    expect(response.results.map((r) => [r.mutationId, r.ok ? 'ok' : r.error?.code])).toEqual([
      [1, 'ok'], [2, 'conflict'], [3, 'invalid'], [4, 'conflict'], [5, 'ok'], [6, 'ok'], [7, 'ok'],
    ]);
    const failures = await store().db.selectFrom('mutation_failures').select(['mutation_id', 'code']).where('client_id', '=', clientId).orderBy('mutation_id').execute();
    expect(failures.map((f) => [Number(f.mutation_id), f.code])).toEqual([[2, 'conflict'], [3, 'invalid'], [4, 'conflict']]);
    expect((await store().db.selectFrom('notes').select('author_id').where('id', '=', theirs.args.id).executeTakeFirstOrThrow()).author_id).toBe(other.user.id);
    const stored = await store().db.selectFrom('notes').selectAll().where('id', '=', first.args.id).executeTakeFirstOrThrow();
    expect({ version: stored.version, text: JSON.parse(stored.content).text }).toEqual({ version: 2, text: 'edited in the same batch' });
    // The change log follows mutation order: create, edit, then the two later creates; nothing for replays or refusals.
    const logged = await store().db.selectFrom('change_log').select(['entity_id', 'version']).where('seq', '>', seqBefore).orderBy('seq').execute();
    expect(logged.map((c) => [c.entity_id, c.version])).toEqual([[first.args.id, 1], [first.args.id, 2], [sixth.args.id, 1], [seventh.args.id, 1]]);
  });

  it('treats a replayed note.create from the same author as a no-op, and the same id with other content as a conflict', async () => {
    const create = noteCreate(1);
    await pushOk(app, manager.auth, newClientId(), [create]);
    // Same note id from a second client of the same person (e.g. after restoring a profile).
    expect((await pushOk(app, manager.auth, newClientId(), [create])).results[0]?.ok).toBe(true);
    const replay = await pushOk(app, manager.auth, newClientId(), [{ ...create, args: { ...create.args, text: 'changed?' } }]);
    expect(replay.results[0]?.error?.code).toBe('conflict'); // issue 13 §5: never acknowledged and dropped
    const stored = await store().db.selectFrom('notes').selectAll().where('id', '=', create.args.id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.content).text).toBe(create.args.text);
  });

  // The head's page reads: a capture by the head may change any field (see sync-capture-authority for the rest).
  it('upserts deal.capture by natural key, maps owners, overwrites only fields that were read', async () => {
    const clientId = newClientId();
    const crmId = `cap-${Date.now()}`;
    const dealRow = () =>
      store().db.selectFrom('deals').selectAll().where('crm', '=', 'suitecrm').where('crm_id', '=', crmId).where('record_type', '=', 'deal').executeTakeFirstOrThrow();
    await pushOk(app, head.auth, clientId, [dealCapture(1, crmId, { stage: 'Prospecting' })]);
    expect(await dealRow()).toMatchObject({ title: crmId, kind: 'sale', status: 'open', source: 'page', owner_id: null, amount: null, version: 1 });

    await pushOk(app, head.auth, clientId, [
      dealCapture(2, crmId, { title: 'Harbour Foods – coffee', amount: 12500, currency: 'EUR', ownerLabel: 'MARCO ROSSI', probability: 20 }, tenantDealUrl(crmId)),
    ]);
    let row = await dealRow();
    expect(row).toMatchObject({ title: 'Harbour Foods – coffee', amount: 12500, stage: 'Prospecting', owner_id: manager.user.id, owner_label: 'MARCO ROSSI', version: 2, url: tenantDealUrl(crmId) });

    // Owner id and e-mail identities match too; an unknown owner keeps the label without a user.
    await pushOk(app, head.auth, clientId, [dealCapture(3, crmId, { ownerLabel: 'mrossi' })]);
    expect((await dealRow()).owner_id).toBe(manager.user.id);
    await pushOk(app, head.auth, clientId, [dealCapture(4, crmId, { ownerLabel: 'Someone Unknown', amount: 13000 })]);
    row = await dealRow();
    expect(row).toMatchObject({ owner_id: null, owner_label: 'Someone Unknown', amount: 13000, title: 'Harbour Foods – coffee', version: 4 });

    // A page view that shows nothing new changes nothing.
    const changes = await rowCount(store(), 'change_log');
    await pushOk(app, head.auth, clientId, [dealCapture(5, crmId, { amount: 13000, ownerLabel: 'Someone Unknown' })]);
    expect((await dealRow()).version).toBe(4);
    expect(await rowCount(store(), 'change_log')).toBe(changes);

    const pulled = await pullAll(app, head.auth);
    const deal = Deal.parse(pulled.changes.find((c) => c.entityId === row.id)?.data);
    expect(deal).toMatchObject({ crm: 'suitecrm', crmId, recordType: 'deal', amount: 13000, ownerId: null, source: 'page' });
  });

  it('records escalation.create as an open escalation from the caller', async () => {
    const clientId = newClientId();
    const id = `esc-${Date.now()}`;
    const response = await pushOk(app, manager.auth, clientId, [
      { mutationId: 1, name: 'escalation.create', args: { id, category: 'approval', severity: 'high', title: 'Approve 12 % discount', record: null, to: { role: 'head' } } },
      { mutationId: 2, name: 'escalation.create', args: { id: `${id}-b`, category: 'decision', severity: 'low', title: 'Who owns this?', record: null, to: { userId: 'nobody' } } },
    ]);
    expect(response.results.map((r) => (r.ok ? 'ok' : r.error?.code))).toEqual(['ok', 'not-found']);
    const row = await store().db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ from_id: manager.user.id, status: 'open', to_role: 'head', comments: '[]', body: '' });
  });

  it('refuses a client id that belongs to another user, unordered ids and bad envelopes', async () => {
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, [noteCreate(1)]);
    const stolen = await push(app, other.auth, clientId, [noteCreate(2)]);
    expect(stolen.status).toBe(403);
    expect(stolen.body).toMatchObject({ error: 'forbidden', message: expect.stringContaining('belongs to another user') });
    const russian = await app.request('/api/sync/push', { method: 'POST', headers: { ...other.auth, 'Content-Type': 'application/json', 'Accept-Language': 'ru' }, body: JSON.stringify({ clientId, mutations: [noteCreate(2)] }) });
    expect(await russian.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('принадлежит другому пользователю') });
    const unordered = await push(app, manager.auth, newClientId(), [noteCreate(2), noteCreate(1)]);
    expect(unordered.status).toBe(400);
    for (const body of [{}, { clientId: 'short', mutations: [noteCreate(1)] }, { clientId: newClientId(), mutations: [] }, { clientId: newClientId(), mutations: [{ mutationId: 0, name: 'x' }] }]) {
      const response = await app.request('/api/sync/push', { method: 'POST', headers: { ...manager.auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      expect(ApiError.parse(await response.json()).issues?.length).toBeGreaterThan(0);
    }
    expect((await app.request('/api/sync/push', { method: 'POST', body: '{}' })).status).toBe(401);
  });

  describe('concurrency', () => {
    const batch = (count: number) => [
      ...Array.from({ length: count }, (_, i) => noteCreate(i + 1)),
      dealCapture(count + 1, `concurrent-${kind}-${count}`, { amount: 1 }),
    ];

    async function expectAppliedOnce(clientId: string, answers: { status: number; body: unknown }[], count: number) {
      for (const answer of answers) {
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        expect(answer.body).toMatchObject({ lastMutationId: count + 1 });
      }
      const failures = await store().db.selectFrom('mutation_failures').select('id').where('client_id', '=', clientId).execute();
      expect(failures).toHaveLength(0);
      const deal = await store().db.selectFrom('deals').select('version').where('crm_id', '=', `concurrent-${kind}-${count}`).executeTakeFirstOrThrow();
      expect(deal.version).toBe(1);
    }

    it('applies identical concurrent pushes once', async () => {
      const clientId = newClientId();
      const mutations = batch(20);
      const notesBefore = (await notesOf(manager.user.id)).length;
      const changesBefore = await rowCount(store(), 'change_log');
      const answers = await Promise.all(Array.from({ length: 6 }, () => push(app, manager.auth, clientId, mutations)));
      await expectAppliedOnce(clientId, answers, 20);
      expect((await notesOf(manager.user.id)).length).toBe(notesBefore + 20);
      expect(await rowCount(store(), 'change_log')).toBe(changesBefore + 21);
    });

    // better-sqlite3 is synchronous: two connections in one thread would wait on each other, so the
    // two-process case is proven on PostgreSQL here and on SQLite by spawning real servers (sync-processes.test.ts).
    if (kind === 'postgres') it('applies identical pushes to two server processes on one database once', async () => {
      // A second store = a second connection pool, as a second server process would have.
      const second = await openMigratedStore(databaseUrl());
      try {
        const otherProcess = createApp({ store: second, clock });
        const clientId = newClientId();
        const mutations = batch(30);
        const notesBefore = (await notesOf(manager.user.id)).length;
        const answers = await Promise.all([
          push(app, manager.auth, clientId, mutations),
          push(otherProcess, manager.auth, clientId, mutations),
          push(app, manager.auth, clientId, mutations),
          push(otherProcess, manager.auth, clientId, mutations),
        ]);
        await expectAppliedOnce(clientId, answers, 30);
        expect((await notesOf(manager.user.id)).length).toBe(notesBefore + 30);
        // Sequence numbers stay dense and strictly increasing: no reader can skip one.
        const seqs = (await store().db.selectFrom('change_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      } finally {
        await second.close();
      }
    });

    // The batch's last statement reads the notes already there from its snapshot; a note another transaction
    // commits while that statement waits for it is not in that snapshot and must still be told apart as a conflict.
    if (kind === 'postgres') it('answers a conflict for a note id another author commits while the batch waits for it', async () => {
      const taken = noteCreate(1);
      const clientId = newClientId();
      const answer = await pushAgainstRivalNote(databaseUrl(), { noteId: taken.args.id, authorId: other.user.id, at: clock.now().toISOString() }, () =>
        push(app, manager.auth, clientId, [taken, noteCreate(2)]),
      );
      expect(answer.status).toBe(200);
      expect((answer.body as PushResponse).results.map((r) => [r.mutationId, r.ok ? 'ok' : r.error?.code])).toEqual([[1, 'conflict'], [2, 'ok']]);
      const stored = await store().db.selectFrom('notes').select(['author_id', 'content']).where('id', '=', taken.args.id).executeTakeFirstOrThrow();
      expect({ author: stored.author_id, text: JSON.parse(stored.content).text }).toEqual({ author: other.user.id, text: 'theirs' });
      expect(await store().db.selectFrom('change_log').select('seq').where('entity_id', '=', taken.args.id).execute()).toEqual([]);
      const failures = await store().db.selectFrom('mutation_failures').select(['mutation_id', 'code']).where('client_id', '=', clientId).execute();
      expect(failures.map((f) => [Number(f.mutation_id), f.code])).toEqual([[1, 'conflict']]);
    });
  });
});
