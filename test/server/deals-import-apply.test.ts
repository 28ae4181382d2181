import { sql } from 'kysely';
import { afterEach, expect, it, vi } from 'vitest';
import { DealImportMapping } from '../../core/schema';
import { importDeals } from '../../server/import/deal-import';
import { openStore } from '../../server/store/store';
import { Refused } from '../../server/refusal/refused';
import { sqliteWriteWaitMs } from '../../server/store/sqlite-wait';
import { writeTransaction } from '../../server/store/transaction';
import { TestClock, declareTenant, post, rowCount, signedIn, testApp, testTenant } from './helpers';
import { describeEachStore } from './stores';

const mapping = { columns: { crmId: 'Id', title: 'Name', amount: 'Amount' }, constants: { currency: 'EUR' } };
const importUrl = `/api/deals/import?crm=${testTenant.crm}&map=${encodeURIComponent(JSON.stringify(mapping))}`;
const rowsOf = (from: number, to: number, prefix = 'apply') => Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i},Deal ${from + i},${1000 + i}\n`).join('');

/** Counts the longest the event loop went without turning, from now until stop() (a 5 ms ticker's longest gap). */
function loopWatch() {
  let last = performance.now();
  let longest = 0;
  let watching = true;
  const tick = () => {
    const at = performance.now();
    if (watching) longest = Math.max(longest, at - last);
    last = at;
  };
  const timer = setInterval(tick, 5);
  return {
    start: () => ((last = performance.now()), (longest = 0), (watching = true)),
    stop: () => (clearInterval(timer), tick(), (watching = false), longest),
  };
}

/** Another connection to the same database takes the write lock, as a CLI import does, until release(). */
async function lockHeldElsewhere(databaseUrl: string) {
  const other = openStore(databaseUrl);
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let taken = () => {};
  const lockTaken = new Promise<void>((resolve) => (taken = resolve));
  const holding = writeTransaction(other, async (tx) => {
    await tx.updateTable('change_counter').set({ seq: sql<number>`seq` }).where('id', '=', 1).execute();
    taken();
    await held;
  });
  await lockTaken;
  return async () => {
    release();
    await holding;
    await other.close();
  };
}

afterEach(() => void vi.useRealTimers());

/** Issue 13 §7: applying an import, and writing while one applies. */
describeEachStore('deals import apply', ({ store, databaseUrl, kind }) => {
  it('answers 409 and imports nothing when a deal of the file changes between its check and its apply', async () => {
    const clock = new TestClock();
    const app = testApp(store(), clock);
    await declareTenant(store(), clock);
    const { auth } = await signedIn(app, store(), clock, { role: 'head' });
    const put = (amount: number) => app.request(`/api/deals/${testTenant.crm}/apply-0`, { ...post({ instance: testTenant.instance, title: 'Deal 0', amount, currency: 'EUR' }, auth), method: 'PUT' });
    expect((await put(1000)).status).toBe(201);
    const before = await rowCount(store(), 'deals');
    // 2,400 rows: enough for the apply to run on a thread of its own on SQLite. The body's third piece is asked for
    // only once the first chunk (which plans apply-0 against its first version) is staged; the deal changes then.
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          pulls += 1;
          if (pulls === 1) controller.enqueue(new TextEncoder().encode(`Id,Name,Amount\n${rowsOf(0, 600)}`));
          else if (pulls === 2) controller.enqueue(new TextEncoder().encode(rowsOf(600, 1_300)));
          else {
            expect((await put(2000)).status).toBe(200);
            controller.enqueue(new TextEncoder().encode(rowsOf(1_300, 2_400)));
            controller.close();
          }
        },
      },
      { highWaterMark: 0 },
    );
    const answer = await app.request(importUrl, { method: 'POST', headers: { 'Content-Type': 'text/csv', ...auth }, body, duplex: 'half' } as RequestInit);
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ error: 'conflict', message: expect.stringContaining('nothing was imported') });
    expect(await rowCount(store(), 'deals')).toBe(before);
    const deal = await store().db.selectFrom('deals').select(['amount', 'version']).where('crm_id', '=', 'apply-0').executeTakeFirstOrThrow();
    expect(deal).toMatchObject({ amount: 2000, version: 2 });
    expect(await store().db.selectFrom('deal_import_rows').select('line').execute()).toEqual([]);
  }, 120_000);

  // better-sqlite3 is synchronous and has one writer; PostgreSQL's driver never held the event loop.
  if (kind === 'sqlite') {
    it('keeps the event loop turning while a big import applies (on a thread of its own)', async () => {
      await declareTenant(store(), new TestClock());
      const before = await rowCount(store(), 'deals');
      const watch = loopWatch();
      let applyingGap = -1;
      const result = await importDeals(
        store(),
        `Id,Name,Amount\n${rowsOf(0, 30_000, 'big')}`,
        { mapping: DealImportMapping.parse(mapping), crm: testTenant.crm, dryRun: false, author: { feed: 'test' }, applyAside: true, onApplying: () => watch.start() },
        '2026-03-16T09:00:00.000Z',
      ).finally(() => (applyingGap = watch.stop()));
      expect(result).toMatchObject({ ok: true, created: 30_000, errors: [] });
      expect(await rowCount(store(), 'deals')).toBe(before + 30_000);
      expect(await store().db.selectFrom('deal_import_rows').select('line').limit(1).execute()).toEqual([]);
      // On this thread the apply of 30,000 rows stalls the loop for a second or more; on its own thread, only timers' jitter.
      expect(applyingGap).toBeLessThan(500);
    }, 300_000);

    it('waits for a write lock held elsewhere without stalling, then writes', async () => {
      const clock = new TestClock();
      const app = testApp(store(), clock);
      await declareTenant(store(), clock);
      const { auth } = await signedIn(app, store(), clock, { role: 'head' });
      const release = await lockHeldElsewhere(databaseUrl());
      const watch = loopWatch();
      const writing = app.request(`/api/deals/${testTenant.crm}/waits-1`, { ...post({ instance: testTenant.instance, title: 'Waits', amount: 5, currency: 'EUR' }, auth), method: 'PUT' });
      await new Promise((resolve) => setTimeout(resolve, 800));
      await release();
      const answer = await writing;
      // better-sqlite3's busy_timeout would have slept on this thread: one gap of the whole 800 ms.
      expect(watch.stop()).toBeLessThan(400);
      expect(answer.status).toBe(201);
      expect(await store().db.selectFrom('deals').select('title').where('crm_id', '=', 'waits-1').executeTakeFirst()).toEqual({ title: 'Waits' });
    });

    it('lets a write outside a transaction wait for the lock without stalling, reads going on meanwhile', async () => {
      // Bookkeeping the background does with a single statement (a connection's status, a lease, a clean-up).
      const release = await lockHeldElsewhere(databaseUrl());
      const watch = loopWatch();
      const writing = store().db.updateTable('change_counter').set({ seq: sql<number>`seq + 1` }).where('id', '=', 1).execute();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The waiting write has let go of the one connection: a read answers at once.
      const readStarted = performance.now();
      await store().db.selectFrom('users').select('id').execute();
      expect(performance.now() - readStarted).toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const before = Number((await store().db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq);
      await release();
      await writing;
      expect(watch.stop()).toBeLessThan(400);
      expect(Number((await store().db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq)).toBe(before + 1);
    });

    it('refuses a write outside a transaction as busy, having written nothing, when the lock stays held', async () => {
      const before = Number((await store().db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq);
      const release = await lockHeldElsewhere(databaseUrl());
      try {
        vi.useFakeTimers({ toFake: ['setTimeout'] });
        const writing = store().db.updateTable('change_counter').set({ seq: sql<number>`seq + 1` }).where('id', '=', 1).execute();
        const failed = expect(writing).rejects.toSatisfy((error) => error instanceof Refused && error.code === 'busy');
        await vi.advanceTimersByTimeAsync(sqliteWriteWaitMs * 2);
        await failed;
      } finally {
        vi.useRealTimers();
        await release();
      }
      // The connection was handed back: the store still works.
      expect(Number((await store().db.selectFrom('change_counter').select('seq').executeTakeFirstOrThrow()).seq)).toBe(before);
    });

    it('answers 503 with Retry-After, having written nothing, when the lock is held longer than a write waits', async () => {
      const clock = new TestClock();
      const app = testApp(store(), clock);
      await declareTenant(store(), clock);
      const { auth } = await signedIn(app, store(), clock, { role: 'head' });
      const release = await lockHeldElsewhere(databaseUrl());
      try {
        vi.useFakeTimers({ toFake: ['setTimeout'] });
        const writing = app.request(`/api/deals/${testTenant.crm}/busy-1`, { ...post({ instance: testTenant.instance, title: 'Busy', amount: 5, currency: 'EUR' }, auth), method: 'PUT' });
        await vi.advanceTimersByTimeAsync(sqliteWriteWaitMs * 2);
        const answer = await writing;
        expect(answer.status).toBe(503);
        expect(answer.headers.get('Retry-After')).toBe(String(sqliteWriteWaitMs / 1000));
        expect(await answer.json()).toMatchObject({ error: 'busy', message: expect.stringContaining('nothing was changed') });
      } finally {
        vi.useRealTimers();
        await release();
      }
      expect(await store().db.selectFrom('deals').select('title').where('crm_id', '=', 'busy-1').executeTakeFirst()).toBeUndefined();
    });
  }
});

