import type { ChildProcess } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { PushResponse } from '../../core/schema';
import { serveProcess } from '../support/serve-process';
import { describeEachStore } from './stores';
import { addUser, declareTenant, post, TestClock } from './helpers';
import { dealCapture, newClientId, noteCreate } from './sync-fixtures';

/** A real `serve` process on the database; resolves with its base URL once it listens. */
const startServer = async (databaseUrl: string, children: ChildProcess[]) => (await serveProcess([], { DATABASE_URL: databaseUrl, PORT: '0' }, children)).url;

describeEachStore('two server processes on one database', ({ freshStore }) => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(children.map((child) => new Promise((done) => {
      if (child.exitCode !== null) return done(null);
      child.once('exit', done);
      child.kill('SIGTERM');
    })));
  });

  it('apply the same concurrent batches exactly once', async () => {
    const { store, databaseUrl } = await freshStore();
    const clock = new TestClock(new Date().toISOString());
    await declareTenant(store, clock);
    const { user, code } = await addUser(store, clock, { role: 'manager' });
    const [first, second] = await Promise.all([startServer(databaseUrl, children), startServer(databaseUrl, children)]);
    const paired = await fetch(`${first}/api/pair`, post({ code, deviceName: 'two servers' }));
    expect(paired.status).toBe(200);
    const { token } = (await paired.json()) as { token: string };
    const auth = { Authorization: `Bearer ${token}` };

    const clientId = newClientId();
    const mutations = [...Array.from({ length: 40 }, (_, i) => noteCreate(i + 1)), dealCapture(41, 'two-process-deal', { amount: 5 })];
    const answers = await Promise.all(
      [first, second, first, second, second, first].map(async (base) => {
        const response = await fetch(`${base}/api/sync/push`, post({ clientId, mutations }, auth));
        return { status: response.status, body: await response.json() };
      }),
    );
    for (const answer of answers) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(PushResponse.parse(answer.body).lastMutationId).toBe(41);
    }
    const notes = await store.db.selectFrom('notes').select('id').where('author_id', '=', user.id).execute();
    expect(notes).toHaveLength(40);
    const deal = await store.db.selectFrom('deals').select('version').where('crm_id', '=', 'two-process-deal').executeTakeFirstOrThrow();
    expect(deal.version).toBe(1);
    expect(await store.db.selectFrom('mutation_failures').select('id').execute()).toHaveLength(0);
    const seqs = (await store.db.selectFrom('change_log').select('seq').orderBy('seq').execute()).map((row) => Number(row.seq));
    expect(seqs).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  });
});
