// Two real `serve` processes on one database, each with its own background timers running every half second, as a
// team runs Headway behind a proxy (or `serve --workers 2`): clients push to both and pull from either, and every
// piece of work happens once — each mutation, each SLA escalation, each webhook and e-mail, each due connector sync.
// Then `serve --workers` itself: two workers on one port, a killed one replaced, SIGTERM drains; SQLite refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { EscalationCreateResponse, PullResponse, PushResponse } from '../../core/schema';
import { connectCrm } from '../../server/connectors/connect';
import { secretBoxFromKey } from '../../server/connectors/secret-box';
import { suiteTarget } from '../support/crm-fakes/suitecrm/target';
import { testEnv } from './connectors/contract';
import { escalationBody, json, seedEscalationWorld, send } from './escalation-fixtures';
import { post, TestClock, testApp } from './helpers';
import { smtpSink, webhookReceiver } from './notify-sinks';
import { exited, freePort, root, serveProcess, serverPids, until } from '../support/serve-process';
import { describeEachStore } from './stores';
import { newClientId, noteCreate } from './sync-fixtures';

const DAY = 86_400_000;

describeEachStore('several server processes on one database', ({ kind, freshStore }) => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('land every push once, pull alike from either, and sweep, deliver and sync once', async () => {
    const { store, databaseUrl } = await freshStore();
    // A week ago: every escalation opened then is past its SLA now, and its deliveries are due.
    const clock = new TestClock(new Date(Date.now() - 7 * DAY).toISOString());
    const app = testApp(store, clock, { webhookAllowNetworks: ['127.0.0.1/32'] });
    const w = await seedEscalationWorld(app, store, clock);
    const receiver = await webhookReceiver();
    const sink = await smtpSink();
    const target = await suiteTarget('v8').start();
    try {
      const delivery = { baseUrl: 'https://headway.example.test', webhookUrl: receiver.url, webhookSecret: 'a-webhook-secret-0123456789', smtp: { host: '127.0.0.1', port: sink.port, from: 'headway@example.test', username: null } };
      await json(await app.request('/api/escalation-settings', send('PUT', { delivery }, w.admin.auth)), 200);
      const escalations = [];
      for (let i = 0; i < 6; i++) {
        const body = escalationBody({ severity: 'critical', title: `Breach ${i}` });
        escalations.push(EscalationCreateResponse.parse(await json(await app.request('/api/escalations', send('POST', body, (i % 2 ? w.ana : w.ben).auth)), 201)).escalation);
      }
      target.addDeals(Array.from({ length: 30 }, (_, i) => ({ title: `Synced ${i}`, amount: 100 + i, currency: 'system', stage: 'open', owner: 'mapped-by-id', purchase: false, closeDate: null })));
      const key = randomBytes(32);
      await connectCrm({ ...testEnv(store), box: secretBoxFromKey(key) }, { origin: target.origin, crm: 'suitecrm', api: 'v8', clientId: target.clientId, secret: target.secret });

      const env = {
        DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY: key.toString('hex'), HEADWAY_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32',
        HEADWAY_SLA_SWEEP_SECONDS: '0.5', HEADWAY_DELIVERY_SECONDS: '0.5',
        // Due once now (never synced), then not for an hour: any second run would be a repeat.
        HEADWAY_CRM_SYNC_SECONDS: '3600', HEADWAY_CRM_LEASE_SECONDS: '5',
      };
      const servers = await Promise.all([0, 1].map(async () => serveProcess([], { ...env, PORT: String(await freePort()) }, children)));
      const urls = servers.map((server) => server.url);

      // Three managers push 10 batches of 10 notes each, alternating processes, and send every batch to both.
      const managers = [w.ana, w.ben, w.cleo];
      const pushed = await Promise.all(managers.map(async (manager, m) => {
        const clientId = newClientId();
        const ids: string[] = [];
        for (let batch = 0; batch < 10; batch++) {
          const mutations = Array.from({ length: 10 }, (_, i) => noteCreate(batch * 10 + i + 1));
          ids.push(...mutations.map((mutation) => mutation.args.id));
          const answers = await Promise.all([urls[(batch + m) % 2]!, urls[(batch + m + 1) % 2]!].map(async (url) => {
            const response = await fetch(`${url}/api/sync/push`, post({ clientId, mutations }, manager.auth));
            expect(response.status).toBe(200);
            return PushResponse.parse(await response.json());
          }));
          for (const answer of answers) expect(answer.lastMutationId).toBe(batch * 10 + 10);
        }
        return { manager, ids };
      }));
      const notes = await store.db.selectFrom('notes').select(['id', 'version']).execute();
      expect(notes).toHaveLength(300);
      expect(notes.every((note) => note.version === 1)).toBe(true);
      expect(await store.db.selectFrom('mutation_failures').select('id').execute()).toHaveLength(0);
      const logged = await store.db.selectFrom('change_log').select(['seq', 'entity', 'entity_id']).orderBy('seq').execute();
      const noteEntries = logged.filter((entry) => entry.entity === 'note').map((entry) => entry.entity_id);
      expect(new Set(noteEntries).size).toBe(300);
      expect(noteEntries).toHaveLength(300);
      expect(new Set(logged.map((entry) => entry.seq)).size).toBe(logged.length);

      const rowsOf = () => store.db.selectFrom('deliveries').select(['id', 'channel', 'event_type', 'escalation_id', 'status', 'attempts']).execute();
      const ids = escalations.map((escalation) => escalation.id);
      await until('every breach is escalated, every delivery sent and the connection synced', async () => {
        const moved = await store.db.selectFrom('escalations').select('version').where('id', 'in', ids).execute();
        const rows = await rowsOf();
        const runs = await store.db.selectFrom('crm_sync_runs').select('finished_at').execute();
        return moved.every((row) => row.version === 2) && rows.length > 0 && rows.every((row) => row.status === 'delivered') && runs.some((run) => run.finished_at !== null);
      });
      // Several more ticks of both processes' timers: nothing more may happen.
      await new Promise((done) => setTimeout(done, 3000));
      // Each manager pulls from both processes from cursor 0: the same changes, their 100 notes among them. (Once
      // the timers and the sync are done: while they write, two pulls a moment apart see different logs.)
      for (const { manager, ids } of pushed) {
        const pulls = await Promise.all(urls.map(async (url) => {
          const changes: PullResponse['changes'] = [];
          for (let cursor = 0, more = true; more; ) {
            const response = await fetch(`${url}/api/sync/pull?cursor=${cursor}&limit=50`, { headers: manager.auth });
            expect(response.status).toBe(200);
            const page = PullResponse.parse(await response.json());
            changes.push(...page.changes);
            ({ cursor, more } = page);
          }
          return changes;
        }));
        expect(pulls[0]).toEqual(pulls[1]);
        const pulledNotes = new Set(pulls[0]!.filter((change) => change.entity === 'note').map((change) => change.entityId));
        expect(ids.every((id) => pulledNotes.has(id))).toBe(true);
      }
      for (const server of servers) server.child.kill('SIGTERM');
      expect(await Promise.all(servers.map((server) => exited(server.child)))).toEqual([0, 0]);

      // One escalation one level up per breach, by the system, once.
      const audit = await store.db.selectFrom('escalation_audit').select(['escalation_id', 'action']).where('escalation_id', 'in', ids).where('action', '=', 'escalate-up').execute();
      expect(audit.map((row) => row.escalation_id).sort()).toEqual([...ids].sort());
      expect((await store.db.selectFrom('escalations').select('version').where('id', 'in', ids).execute()).every((row) => row.version === 2)).toBe(true);
      // One webhook and one e-mail per delivery row (created and escalated, for every escalation), each sent once.
      const rows = await rowsOf();
      expect(rows.every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
      const hooks = rows.filter((row) => row.channel === 'webhook');
      expect(hooks.length).toBeGreaterThanOrEqual(2 * ids.length);
      const received = receiver.received.map((hook) => JSON.parse(hook.body) as { type: string; escalation: { id: string } });
      expect(received.map((hook) => `${hook.escalation.id} ${hook.type}`).sort()).toEqual(hooks.map((row) => `${row.escalation_id} ${row.event_type}`).sort());
      expect(sink.messages).toHaveLength(rows.filter((row) => row.channel === 'email').length);
      // One sync of the due connection, every deal once.
      const runs = await store.db.selectFrom('crm_sync_runs').select(['process', 'finished_at']).execute();
      expect(runs).toHaveLength(1);
      expect(runs[0]!.process).toMatch(/^serve@/);
      const synced = await store.db.selectFrom('deals').select('crm_id').where('instance', '=', target.origin).execute();
      expect(synced).toHaveLength(30);
    } finally {
      await receiver.close();
      await sink.close();
      await target.close();
    }
  }, 180_000);

  if (kind === 'sqlite') {
    it('refuses serve --workers above 1 on SQLite, saying why', async () => {
      const { databaseUrl } = await freshStore();
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'serve', '--workers', '2'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      expect(await exited(child)).toBe(2);
      expect(stderr).toContain('--workers above 1 needs PostgreSQL');
    }, 60_000);
    return;
  }

  it('serve --workers 2: two workers on one port, a dead one replaced, SIGTERM drains them all', async () => {
    const { databaseUrl } = await freshStore();
    const { child, url, stderr } = await serveProcess(['--workers', '2'], { DATABASE_URL: databaseUrl, PORT: '0' }, children);
    const primary = child.pid!;
    const workers = serverPids(primary).slice(1);
    expect(workers).toHaveLength(2);
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${url}/healthz`).then((response) => response.status)));
    expect(answers.every((status) => status === 200)).toBe(true);

    process.kill(workers[0]!, 'SIGKILL');
    await until('the primary starts another worker', async () => {
      const now = serverPids(primary).slice(1);
      return now.length === 2 && !now.includes(workers[0]!);
    }, 30_000);
    expect(stderr.join('\n')).toMatch(/Worker \d+ ended \(SIGKILL\); starting another in 250 ms/);
    await until('the new worker answers', async () => (await fetch(`${url}/healthz`)).status === 200, 30_000);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    for (const pid of workers.slice(1)) expect(() => process.kill(pid, 0)).toThrow();
  }, 90_000);
});
