// `crm sync --full` is killed with SIGKILL while it commits pages, then the sync runs again on the same database:
// every deal arrives exactly once (one row each, never rewritten), and the second run goes on from the killed run's
// last committed page once the dead process's lease has expired.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connectCrm } from '../../../server/connectors/connect';
import { connectionById } from '../../../server/connectors/connections';
import { secretBoxFromKey } from '../../../server/connectors/secret-box';
import { syncConnection } from '../../../server/connectors/sync/run';
import { suiteTarget } from '../../support/crm-fakes/suitecrm/target';
import { describeEachStore } from '../stores';
import { testEnv } from './contract';

const root = resolve(import.meta.dirname, '../../..');
const deals = 3000;

describeEachStore('crm sync killed with SIGKILL', (context) => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('loses and duplicates nothing, and the next sync resumes where the killed one stopped', async () => {
    const target = await suiteTarget('v8').start();
    try {
      target.addDeals(Array.from({ length: deals }, (_, i) => ({ title: `Deal ${i}`, amount: 100 + i, currency: 'system', stage: 'open', owner: 'none', purchase: false, closeDate: null })));
      const { store, databaseUrl } = await context.freshStore();
      const key = randomBytes(32);
      const env = { ...testEnv(store), box: secretBoxFromKey(key) };
      const { connection } = await connectCrm(env, { origin: target.origin, crm: 'suitecrm', api: 'v8', clientId: target.clientId, secret: target.secret });

      // The CLI process itself (node --import tsx), so the SIGKILL hits the process that writes.
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'crm', 'sync', target.origin, '--full', '--json'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY: key.toString('hex'), HEADWAY_CRM_LEASE_SECONDS: '2', HEADWAY_CRM_PAGE_SIZE: '50' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      const exited = new Promise((done) => child.once('exit', done));
      // Kill once some pages are committed and many remain.
      for (;;) {
        const count = await store.db.selectFrom('deals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        if (Number(count.n) >= 400) break;
        if (child.exitCode !== null) throw new Error('crm sync finished before it could be killed; raise `deals`');
        await new Promise((done) => setTimeout(done, 20));
      }
      child.kill('SIGKILL');
      await exited;
      const cut = (await connectionById(store.db, connection.id))!;
      expect(cut.run?.full).toBe(true);
      expect(cut.run?.position).not.toBeNull();
      const committed = cut.run!.upserted;
      expect(committed).toBeLessThan(deals);

      // Until the dead process's lease expires nobody else syncs; then the sync goes on from its last page.
      expect((await syncConnection(env, connection.id)).ran).toBe(false);
      await new Promise((done) => setTimeout(done, 2100));
      const resumed = await syncConnection(env, connection.id);
      expect(resumed).toMatchObject({ ran: true, full: true, errors: [] });
      expect(resumed.upserted).toBeLessThanOrEqual(deals - committed + 50);

      const rows = await store.db.selectFrom('deals').select(['crm_id', 'version', 'amount']).execute();
      expect(rows).toHaveLength(deals);
      expect(new Set(rows.map((row) => row.crm_id)).size).toBe(deals);
      expect(rows.every((row) => row.version === 1)).toBe(true);
      expect((await connectionById(store.db, connection.id))!.run).toBeNull();
    } finally {
      await target.close();
    }
  }, 120_000);
});
