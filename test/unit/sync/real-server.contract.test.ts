import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openMigratedStore, type Store } from '../../../server/store/store';
import { TestClock, declareTenant, signedIn, testApp } from '../../server/helpers';
import { createSyncClient } from '../../../core/sync/client';
import { notesForRecord } from '../../../core/sync/queries.idb';
import { dealRecord, manualClock, noteArgs, openTestDb, seededRandom } from './support/fixtures';

/**
 * The sync client against the real Hono app on SQLite (in process, through app.request) — the fake
 * server of the other tests is only as good as its reading of the contract; this checks the reading.
 */
describe('sync client against the real server', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(config: { bodyLimitBytes?: number } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'headway-sync-client-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store: Store = await openMigratedStore(`file:${join(dir, 'headway.sqlite')}`);
    cleanups.push(() => store.close());
    const serverClock = new TestClock('2026-11-27T09:00:00.000Z');
    const app = testApp(store, serverClock, config);
    await declareTenant(store, serverClock);
    const manager = await signedIn(app, store, serverClock, { role: 'manager' });
    const db = await openTestDb();
    cleanups.push(() => db.close());
    let loseAnswers = 0;
    const clock = manualClock();
    const client = createSyncClient({
      db,
      serverUrl: 'http://headway.test',
      token: manager.token,
      // The request reaches the server and is applied; only the answer can be lost.
      fetch: async (url, init) => {
        const response = await app.request(url, init);
        if (loseAnswers > 0) {
          loseAnswers -= 1;
          throw new TypeError('network connection was lost');
        }
        return response;
      },
      clock: clock.now,
      random: seededRandom(3),
      log: () => undefined,
    });
    const countNotes = async () =>
      Number((await store.db.selectFrom('notes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { client, db, manager, clock, countNotes, loseAnswer: () => (loseAnswers += 1) };
  }

  it('pushes every kind of mutation exactly once across a lost answer, then pulls the server state', async () => {
    const { client, db, manager, clock, countNotes, loseAnswer } = await setUp();
    for (let n = 1; n <= 450; n++) await client.outbox.enqueue('note.create', noteArgs(n));
    await client.outbox.enqueue('note.update', { id: 'note-1', baseVersion: 1, content: { side: 'buyer', text: 'they accept 8 %' } });
    await client.outbox.enqueue('note.update', { id: 'note-2', baseVersion: 4, content: { side: 'buyer', text: 'stale edit' } });
    await client.outbox.enqueue('escalation.create', {
      id: 'esc-1',
      category: 'approval',
      severity: 'high',
      title: 'Discount 18 % needs approval',
      record: dealRecord,
      to: { role: 'head' },
    });
    await client.outbox.enqueue('deal.capture', { record: dealRecord, fields: { title: 'Acme renewal', amount: 48_000, currency: 'EUR' } });

    loseAnswer();
    const lost = await client.sync();
    expect(lost).toMatchObject({ status: 'offline', pending: 454 });
    clock.set(lost.nextRetryAt!);
    expect(await client.sync()).toMatchObject({ status: 'idle', pending: 0, failed: 1 });

    expect(await countNotes()).toBe(450);
    const [failed] = await client.outbox.failed();
    expect(failed).toMatchObject({ name: 'note.update', error: { code: 'conflict' } });
    const notes = await notesForRecord(db, dealRecord);
    expect(notes).toHaveLength(450);
    expect(notes.every((note) => note.authorId === manager.user.id && !note.pending)).toBe(true);
    expect(notes.find((note) => note.id === 'note-1')).toMatchObject({ text: 'they accept 8 %', version: 2 });
    expect(notes.find((note) => note.id === 'note-2')).toMatchObject({ text: 'call 2: asked for 12 % off', version: 1 });
    const others = (await db.getAll('entities')).filter((row) => row.entity !== 'note');
    expect(others.map((row) => row.entity).sort()).toEqual(['deal', 'escalation']);
    expect(others.find((row) => row.entity === 'deal')?.data).toMatchObject({ title: 'Acme renewal', amount: 48_000 });
    expect((await db.get('meta', 'pullCursor'))?.value).toBeGreaterThan(0);
    // 454 mutations through a real server and an in-memory IndexedDB take ~4 s on a busy 2-core machine.
  }, 30_000);

  it('gets past a note larger than the server accepts without a gap', async () => {
    const { client, countNotes } = await setUp({ bodyLimitBytes: 20_000 });
    await client.outbox.enqueue('note.create', noteArgs(1));
    await client.outbox.enqueue('note.create', noteArgs(2, { text: '€'.repeat(15_000) }));
    await client.outbox.enqueue('note.create', noteArgs(3));
    expect(await client.sync()).toMatchObject({ status: 'idle', pending: 0, failed: 1 });
    expect(await countNotes()).toBe(2);
    expect((await client.outbox.failed())[0]).toMatchObject({ mutationId: 2, error: { message: expect.stringMatching(/too large/) } });
  });
});
