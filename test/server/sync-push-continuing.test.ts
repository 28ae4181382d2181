import { beforeAll, expect, it } from 'vitest';
import type { PushResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { describeEachStore } from './stores';
import { TestClock, rowCount, signedIn, testApp, declareTenant } from './helpers';
import { newClientId, noteCreate, push, pushAgainstRivalNote, pushOk } from './sync-fixtures';

// A client's second and later batches of plain note.create: on PostgreSQL these take the one-statement path
// (sync/push.ts pushContinuingCreates), which must answer and write exactly what the general path would.
describeEachStore('sync push of a client that already pushed', ({ store, kind, databaseUrl }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  let manager: Awaited<ReturnType<typeof signedIn>>;
  let other: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    await declareTenant(store(), clock);
    manager = await signedIn(app, store(), clock, { role: 'manager' });
    other = await signedIn(app, store(), clock, { role: 'manager' });
  });

  const creates = (first: number, count: number) => Array.from({ length: count }, (_, i) => noteCreate(first + i));
  const lastOf = async (clientId: string) =>
    Number((await store().db.selectFrom('client_mutations').select('last_mutation_id').where('client_id', '=', clientId).executeTakeFirstOrThrow()).last_mutation_id);
  const counts = async () => ({ notes: await rowCount(store(), 'notes'), changes: await rowCount(store(), 'change_log'), failures: await rowCount(store(), 'mutation_failures') });
  const answers = (response: PushResponse) => response.results.map((r) => [r.mutationId, r.ok ? 'ok' : r.error?.code]);

  it('applies the next batch, logs it in mutation order and advances the client', async () => {
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, creates(1, 3));
    const seqBefore = Number((await store().db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq);
    const batch = creates(4, 5);
    const response = await pushOk(app, manager.auth, clientId, batch);
    expect(response).toEqual({ lastMutationId: 8, results: [4, 5, 6, 7, 8].map((mutationId) => ({ mutationId, ok: true })) });
    expect(await lastOf(clientId)).toBe(8);
    const logged = await store().db.selectFrom('change_log').select(['seq', 'entity_id', 'version', 'owner_id']).where('seq', '>', seqBefore).orderBy('seq').execute();
    expect(logged.map((c) => [Number(c.seq), c.entity_id, c.version, c.owner_id])).toEqual(
      batch.map((m, i) => [seqBefore + i + 1, m.args.id, 1, manager.user.id]),
    );
  });

  it('rejects a gap after earlier batches and writes nothing', async () => {
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, creates(1, 2));
    const before = await counts();
    const answer = await push(app, manager.auth, clientId, creates(4, 3));
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: 'mutation_gap', expected: 3 });
    expect(await counts()).toEqual(before);
    expect(await lastOf(clientId)).toBe(2);
  });

  it('acknowledges a resent batch once, and applies only the new part of an overlapping one', async () => {
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, creates(1, 2));
    const batch = creates(3, 3);
    await pushOk(app, manager.auth, clientId, batch);
    const before = await counts();
    const again = await pushOk(app, manager.auth, clientId, batch);
    expect(again).toEqual({ lastMutationId: 5, results: [3, 4, 5].map((mutationId) => ({ mutationId, ok: true })) });
    expect(await counts()).toEqual(before);
    const overlapping = await pushOk(app, manager.auth, clientId, [...batch.slice(1), noteCreate(6)]);
    expect(overlapping.lastMutationId).toBe(6);
    expect(await counts()).toEqual({ ...before, notes: before.notes + 1, changes: before.changes + 1 });
  });

  it("refuses another user's client id with history, and writes nothing", async () => {
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, creates(1, 2));
    const before = await counts();
    const stolen = await push(app, other.auth, clientId, creates(3, 2));
    expect(stolen.status).toBe(403);
    expect(await counts()).toEqual(before);
    expect(await lastOf(clientId)).toBe(2);
  });

  it('records an id another author holds as a conflict, and answers a resend the same', async () => {
    const theirs = noteCreate(1);
    await pushOk(app, other.auth, newClientId(), [theirs]);
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, creates(1, 1));
    const repeated = noteCreate(4);
    const batch = [noteCreate(2), noteCreate(3, { id: theirs.args.id }), repeated, { ...repeated, mutationId: 5 }];
    const before = await counts();
    const response = await pushOk(app, manager.auth, clientId, batch);
    expect(answers(response)).toEqual([[2, 'ok'], [3, 'conflict'], [4, 'ok'], [5, 'ok']]);
    // Two new notes (the repeated id is one note), one change each, one recorded failure.
    expect(await counts()).toEqual({ notes: before.notes + 2, changes: before.changes + 2, failures: before.failures + 1 });
    const failure = await store().db.selectFrom('mutation_failures').select(['mutation_id', 'code']).where('client_id', '=', clientId).executeTakeFirstOrThrow();
    expect([Number(failure.mutation_id), failure.code]).toEqual([3, 'conflict']);
    expect((await store().db.selectFrom('notes').select('author_id').where('id', '=', theirs.args.id).executeTakeFirstOrThrow()).author_id).toBe(other.user.id);
    expect(answers(await pushOk(app, manager.auth, clientId, batch))).toEqual([[2, 'ok'], [3, 'conflict'], [4, 'ok'], [5, 'ok']]);
    expect(await lastOf(clientId)).toBe(5);
  });

  it('records an invalid create in a later batch and moves the queue on', async () => {
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, creates(1, 1));
    const response = await pushOk(app, manager.auth, clientId, [noteCreate(2), { mutationId: 3, name: 'note.create', args: { id: 'bad', side: 'nobody' } }, noteCreate(4)]);
    expect(answers(response)).toEqual([[2, 'ok'], [3, 'invalid'], [4, 'ok']]);
    expect(response.lastMutationId).toBe(4);
  });

  it('applies identical concurrent pushes of a later batch once', async () => {
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, creates(1, 2));
    const before = await counts();
    const batch = creates(3, 20);
    const pushes = await Promise.all(Array.from({ length: 5 }, () => push(app, manager.auth, clientId, batch)));
    for (const answer of pushes) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toEqual({ lastMutationId: 22, results: batch.map((m) => ({ mutationId: m.mutationId, ok: true })) });
    }
    expect(await counts()).toEqual({ ...before, notes: before.notes + 20, changes: before.changes + 20 });
    const seqs = (await store().db.selectFrom('change_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  // The one-statement path sees a rival's note only when its insert meets it: it must then hand the batch to the
  // general path (nothing committed) rather than commit it without recording the conflict.
  if (kind === 'postgres') it('answers a conflict for a note id another author commits while a later batch waits for it', async () => {
    const clientId = newClientId();
    await pushOk(app, manager.auth, clientId, creates(1, 1));
    const taken = noteCreate(2);
    const answer = await pushAgainstRivalNote(databaseUrl(), { noteId: taken.args.id, authorId: other.user.id, at: clock.now().toISOString() }, () =>
      push(app, manager.auth, clientId, [taken, noteCreate(3)]),
    );
    expect(answer.status).toBe(200);
    expect(answers(answer.body as PushResponse)).toEqual([[2, 'conflict'], [3, 'ok']]);
    expect((await store().db.selectFrom('notes').select('author_id').where('id', '=', taken.args.id).executeTakeFirstOrThrow()).author_id).toBe(other.user.id);
    expect(await store().db.selectFrom('change_log').select('seq').where('entity_id', '=', taken.args.id).execute()).toEqual([]);
    const failures = await store().db.selectFrom('mutation_failures').select(['mutation_id', 'code']).where('client_id', '=', clientId).execute();
    expect(failures.map((f) => [Number(f.mutation_id), f.code])).toEqual([[2, 'conflict']]);
    expect(await lastOf(clientId)).toBe(3);
  });
});
