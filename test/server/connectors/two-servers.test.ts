// Two `serve` processes on one database, each running the connector runtime every second, as a team runs Headway
// behind a proxy: the lease lets one process at a time sync the connection (their runs never overlap), every deal
// arrives exactly once, and a negotiation note reaches the CRM exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { systemClock } from '../../../server/clock';
import { connectCrm } from '../../../server/connectors/connect';
import { secretBoxFromKey } from '../../../server/connectors/secret-box';
import { suiteTarget } from '../../support/crm-fakes/suitecrm/target';
import { signedIn, testApp } from '../helpers';
import { freePort, until } from '../../support/serve-process';
import { describeEachStore } from '../stores';
import { newClientId, pushOk } from '../sync-fixtures';
import { testEnv } from './contract';

const root = resolve(import.meta.dirname, '../../..');
const deals = 1500;

describeEachStore('two server processes on one database', (context) => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('sync a connection one at a time, store every deal once and write a note to the CRM once', async () => {
    const target = await suiteTarget('v8').start();
    try {
      const ids = target.addDeals(Array.from({ length: deals }, (_, i) => ({ title: `Deal ${i}`, amount: 100 + i, currency: 'system', stage: 'open', owner: 'mapped-by-id', purchase: false, closeDate: null })));
      const { store, databaseUrl } = await context.freshStore();
      const key = randomBytes(32);
      const env = { ...testEnv(store), box: secretBoxFromKey(key) };
      await connectCrm(env, { origin: target.origin, crm: 'suitecrm', api: 'v8', clientId: target.clientId, secret: target.secret });

      // A manager's note on one of the deals, before either server has read a single one.
      const app = testApp(store, systemClock);
      const maya = await signedIn(app, store, systemClock, {
        role: 'manager', name: 'Maya Chen', email: target.owners.byId.email, crmIdentities: [{ crm: 'suitecrm', ownerId: target.owners.byId.crmId }],
      });
      const noteId = `note-${randomBytes(6).toString('hex')}`;
      await pushOk(app, maya.auth, newClientId(), [{
        mutationId: 1,
        name: 'note.create',
        args: { id: noteId, record: { crm: 'suitecrm', instance: target.origin, crmId: ids[0], recordType: 'deal' }, recordTitle: 'Deal 0', side: 'buyer', text: 'Wants a two-year term', createdAt: new Date().toISOString() },
      }]);

      const serve = async () => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'serve', '--json'], {
          cwd: root,
          env: {
            ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(await freePort()), HEADWAY_SECRET_KEY: key.toString('hex'),
            HEADWAY_CRM_LEASE_SECONDS: '2', HEADWAY_CRM_PAGE_SIZE: '50', HEADWAY_CRM_SYNC_SECONDS: '5',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        children.push(child);
        return child;
      };
      const servers = [await serve(), await serve()];

      const count = async () => Number((await store.db.selectFrom('deals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const written = async () => (await store.db.selectFrom('crm_writebacks').select('state').where('subject_id', '=', noteId).executeTakeFirst())?.state === 'written';
      await until('both servers have read every deal and written the note back', async () => (await count()) === deals && (await written()), 90_000);
      // Two more sync intervals, in which both processes tick every second and find the connection leased or not due.
      await new Promise((done) => setTimeout(done, 11_000));
      for (const child of servers) child.kill('SIGTERM');
      await Promise.all(servers.map((child) => (child.exitCode !== null ? null : new Promise((done) => child.once('exit', done)))));

      const rows = await store.db.selectFrom('deals').select(['crm_id', 'version']).execute();
      expect(rows).toHaveLength(deals);
      expect(new Set(rows.map((row) => row.crm_id)).size).toBe(deals);
      expect(rows.every((row) => row.version === 1)).toBe(true);
      expect(target.notesOn(ids[0]!).filter((note) => note.text.includes('Wants a two-year term'))).toHaveLength(1);

      // Runs by the serve processes (the connect above ran none) never overlap in time.
      const runs = await store.db.selectFrom('crm_sync_runs').select(['process', 'started_at', 'finished_at']).orderBy('started_at').execute();
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.every((run) => run.process.startsWith('serve@') && run.finished_at !== null)).toBe(true);
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.started_at >= runs[i - 1]!.finished_at!, `run ${i} started before run ${i - 1} finished`).toBe(true);
    } finally {
      await target.close();
    }
  }, 180_000);
});
