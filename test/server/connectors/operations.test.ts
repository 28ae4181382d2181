import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionStatus, ConnectionsResponse, SyncReport } from '../../../core/schema';
import { systemClock } from '../../../server/clock';
import { connectCrm } from '../../../server/connectors/connect';
import { connectorFactories } from '../../../server/connectors/registry';
import { secretBoxFromEnv } from '../../../server/connectors/secret-box';
import { startConnectorRuntime } from '../../../server/connectors/runtime';
import { syncConnection } from '../../../server/connectors/sync/run';
import { suiteTarget } from '../../support/crm-fakes/suitecrm/target';
import { post, signedIn, testApp } from '../helpers';
import { describeEachStore } from '../stores';
import { cli, type CliResult } from './cli-run';
import { testEnv } from './contract';
import type { RunningTarget, TargetDeal } from './target';

// The operator's side of a connector: `crm connect | sync | status` as an admin runs them (issue 14's exact shapes),
// the credential at rest, one process per connection, and the HTTP status and hook.

const deal = (title: string): TargetDeal => ({ title, amount: 1000, currency: 'system', stage: 'open', owner: 'mapped-by-id', purchase: false, closeDate: '2026-06-30' });


function onlyJson(result: CliResult): Record<string, unknown> {
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('crm connect usage', () => {
  it('names, from the registry, every CRM with a connector and the flags each of its APIs takes', async () => {
    const help = await cli({}, '--help');
    const bad = await cli({}, 'crm', 'connect', 'https://crm.acme.example');
    expect(bad.code).toBe(2);
    for (const factory of Object.values(connectorFactories)) {
      const line = help.stdout.split('\n').find((text) => text.trim().split(' ')[0] === factory.crm);
      expect(line, factory.crm).toBeDefined();
      expect(bad.stderr, factory.crm).toContain(line!.trim());
      for (const api of factory.apis.slice(1)) expect(line).toContain(`--api ${api}`);
      for (const api of factory.apis) {
        if (factory.needs(api).clientId) expect(line).toContain('--client-id <');
        if (factory.needs(api).username) expect(line).toContain('--username <');
      }
    }
    expect(help.stdout).not.toContain('--api v8|legacy');
  });
});

describeEachStore('crm connect, sync and status', (context) => {
  let target: RunningTarget | undefined;
  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('connects with the secret from the environment only, syncs fully with a progress bar, and never prints the secret', async () => {
    target = await suiteTarget('v8').start();
    target.addDeals(Array.from({ length: 230 }, (_, i) => deal(`Deal ${i}`)));
    const { store, databaseUrl } = await context.freshStore();
    const keyFile = join(mkdtempSync(join(tmpdir(), 'headway-key-')), 'secret.key');
    const base = { DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY_FILE: keyFile };
    const args = ['crm', 'connect', target.origin, 'suitecrm', '--api', 'v8', '--client-id', target.clientId!];

    // No secret in the environment: usage, nothing stored. A secret on the command line is not an option at all.
    const missing = await cli(base, ...args);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('HEADWAY_CRM_SECRET');
    expect((await cli(base, ...args, '--secret', target.secret)).code).toBe(2);

    // A wrong secret: said plainly, exit 1, nothing stored, the secret not echoed.
    const wrong = await cli({ ...base, HEADWAY_CRM_SECRET: `${target.secret}-typo` }, ...args, '--json');
    expect(wrong.code).toBe(1);
    // --json: the one object on stdout, failures included; the plain message on stderr.
    expect(JSON.parse(wrong.stdout)).toMatchObject({ error: 'failed', message: expect.stringMatching(/refused the credential/) });
    expect(wrong.stderr).toMatch(/refused the credential/);
    expect(wrong.stdout).not.toContain(`${target.secret}-typo`);
    expect(wrong.stderr).not.toContain(`${target.secret}-typo`);
    expect(await store.db.selectFrom('crm_connections').selectAll().execute()).toEqual([]);

    // The text run shows a progress bar on stderr and a summary on stdout.
    const connected = await cli({ ...base, HEADWAY_CRM_SECRET: target.secret }, ...args);
    expect(connected.code, connected.stderr).toBe(0);
    expect(connected.stderr).toMatch(/Syncing deals [█░]+ 100 %/);
    expect(connected.stdout).toContain('Full sync');
    // `read` counts records as fetched, including those re-read where a page boundary splits one modification time.
    expect(connected.stdout).toMatch(/\d+ read, 230 stored/);
    for (const output of [connected.stdout, connected.stderr]) expect(output).not.toContain(target.secret);

    // Registered as the workspace's tenant, as `crm add` does.
    expect(await store.db.selectFrom('crm_instances').select(['instance', 'crm']).execute()).toEqual([{ instance: target.origin, crm: 'suitecrm' }]);

    // At rest: sealed under the key file, created 0600; the database alone does not hold the secret.
    const stored = await store.db.selectFrom('crm_connections').select('secret').executeTakeFirstOrThrow();
    expect(stored.secret).not.toContain(target.secret);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(secretBoxFromEnv({ HEADWAY_SECRET_KEY_FILE: keyFile }).open(stored.secret)).toBe(target.secret);
    expect(() => secretBoxFromEnv({ HEADWAY_SECRET_KEY: randomBytes(32).toString('hex') }).open(stored.secret)).toThrow(/another key/);
    if (store.kind === 'sqlite') expect(readFileSync(new URL(databaseUrl).pathname).includes(target.secret)).toBe(false);

    // --json: exactly one object at the end, with the sync's report and no secret.
    target.addDeals([deal('After connect')]);
    const again = onlyJson(await cli({ ...base, HEADWAY_CRM_SECRET: target.secret }, ...args, '--json'));
    expect(SyncReport.parse(again.sync)).toMatchObject({ full: true, upserted: 1, errors: [] });
    expect(SyncReport.parse(again.sync).fetched).toBeGreaterThanOrEqual(231);
    expect(JSON.stringify(again)).not.toContain(target.secret);

    // crm sync: incremental by default, with the fields other tools read.
    target.addDeals([deal('Newest')], { modifiedAtMs: Date.now() + 60_000 });
    const synced = onlyJson(await cli(base, 'crm', 'sync', target.origin, '--json'));
    expect(synced).toMatchObject({ full: false, upserted: 1, removed: 0, writtenBack: 0, errors: [] });
    for (const field of ['fetched', 'upserted', 'removed', 'writtenBack', 'errors']) expect(synced).toHaveProperty(field);
    expect(onlyJson(await cli(base, 'crm', 'sync', target.origin, '--full', '--json'))).toMatchObject({ full: true, upserted: 0, removed: 0, errors: [] });
    expect((await cli(base, 'crm', 'sync', 'https://nowhere.example')).stderr).toMatch(/No CRM connection/);

    // crm status: last success, last error, cursor, counts, pending write-backs; never the secret.
    const status = onlyJson(await cli(base, 'crm', 'status', '--json'));
    const [connection] = (status.connections as unknown[]).map((one) => ConnectionStatus.parse(one));
    expect(connection).toMatchObject({ origin: target.origin, crm: 'suitecrm', api: 'v8', lastError: null, counts: { deals: 232, pendingWriteBacks: 0 } });
    expect(connection!.lastSuccessAt).not.toBeNull();
    expect(connection!.cursor).not.toBeNull();
    expect(JSON.stringify(status)).not.toContain(target.secret);
    expect((await cli(base, 'crm', 'status')).stdout).toContain('last success');

  });

  it('keeps two tenants of one CRM apart: each connection syncs, and removes, only its own deals', async () => {
    target = await suiteTarget('v8').start();
    const other = await suiteTarget('v8').start();
    try {
      target.addDeals([deal('Ours 1'), deal('Ours 2')]);
      other.addDeals([deal('Theirs 1')]);
      const { store, databaseUrl } = await context.freshStore();
      const keyFile = join(mkdtempSync(join(tmpdir(), 'headway-key-')), 'secret.key');
      const base = { DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY_FILE: keyFile };
      for (const crm of [target, other]) {
        const connected = await cli({ ...base, HEADWAY_CRM_SECRET: crm.secret }, 'crm', 'connect', crm.origin, 'suitecrm', '--client-id', crm.clientId!, '--json');
        expect(connected.code, connected.stdout + connected.stderr).toBe(0);
      }
      const titles = async (instance: string) =>
        (await store.db.selectFrom('deals').select('title').where('instance', '=', instance).orderBy('title').execute()).map((row) => row.title);
      expect(await titles(target.origin)).toEqual(['Ours 1', 'Ours 2']);
      expect(await titles(other.origin)).toEqual(['Theirs 1']);
      // A full sync of one tenant, which removes what it no longer lists, leaves the other's deals alone.
      expect((await cli(base, 'crm', 'sync', target.origin, '--full', '--json')).code).toBe(0);
      expect(await titles(other.origin)).toEqual(['Theirs 1']);
      expect((await store.db.selectFrom('crm_instances').select('instance').orderBy('instance').execute()).map((row) => row.instance)).toEqual(
        [target.origin, other.origin].sort(),
      );
      // Each connection's status counts its own tenant's deals only.
      const statuses = (onlyJson(await cli(base, 'crm', 'status', '--json')).connections as unknown[]).map((one) => ConnectionStatus.parse(one));
      expect(Object.fromEntries(statuses.map((one) => [one.origin, one.counts.deals]))).toEqual({ [target.origin]: 2, [other.origin]: 1 });
    } finally {
      await other.close();
    }
  });

  it('says when the API is switched off, and when the CRM cannot be reached', async () => {
    target = await suiteTarget('legacy').start();
    const { databaseUrl } = await context.freshStore();
    const env = { DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY: randomBytes(32).toString('hex'), HEADWAY_CRM_SECRET: target.secret };
    const unreachable = await cli(env, 'crm', 'connect', 'http://127.0.0.1:1', 'suitecrm', '--api', 'legacy', '--username', target.username!);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/reach|refused|unreachable/i);
    target.switchApiOff();
    const off = await cli(env, 'crm', 'connect', target.origin, 'suitecrm', '--api', 'legacy', '--username', target.username!);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/API/);
    expect(off.stderr).not.toMatch(/\n\s+at /);
  });
});

describeEachStore('one process per connection', (context) => {
  it('lets only one of two processes sync a connection at a time, and the other runs once it is free', async () => {
    const target = await suiteTarget('v8').start();
    try {
      target.addDeals(Array.from({ length: 300 }, (_, i) => deal(`Deal ${i}`)));
      const { store } = await context.freshStore();
      const first = testEnv(store);
      const { connection } = await connectCrm(first, { origin: target.origin, crm: 'suitecrm', api: 'v8', clientId: target.clientId, secret: target.secret });
      // Two server processes share the key (HEADWAY_SECRET_KEY) and the database, not their names.
      const second = { ...testEnv(store), box: first.box };
      const [a, b] = await Promise.all([syncConnection(first, connection.id, { full: true }), syncConnection(second, connection.id, { full: true })]);
      expect([a.ran, b.ran].sort()).toEqual([false, true]);
      expect((a.ran ? a : b).upserted).toBe(300);
      const later = await syncConnection(a.ran ? second : first, connection.id);
      expect(later).toMatchObject({ ran: true, errors: [] });
      const runs = await store.db.selectFrom('crm_sync_runs').selectAll().orderBy('started_at').execute();
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.started_at >= runs[i - 1]!.finished_at!).toBe(true);
      expect(await store.db.selectFrom('deals').select('id').execute()).toHaveLength(300);
    } finally {
      await target.close();
    }
  });
});

describeEachStore('background sync', (context) => {
  it('syncs a connection when its interval has passed, and at once when the CRM’s hook asks', async () => {
    const target = await suiteTarget('v8').start();
    const errors: string[] = [];
    let runtime: ReturnType<typeof startConnectorRuntime> | undefined;
    try {
      const [first] = target.addDeals([deal('First')]);
      const { store } = await context.freshStore();
      const app = testApp(store, systemClock);
      const env = testEnv(store);
      const connected = await connectCrm(env, { origin: target.origin, crm: 'suitecrm', api: 'v8', clientId: target.clientId, secret: target.secret });
      const amountOf = async (crmId: string) => (await store.db.selectFrom('deals').select('amount').where('crm_id', '=', crmId).executeTakeFirst())?.amount;
      const eventually = async (check: () => Promise<boolean>) => {
        const until = Date.now() + 10_000;
        while (!(await check())) {
          if (Date.now() > until) throw new Error(`not synced in time (${errors.join('; ')})`);
          await new Promise((done) => setTimeout(done, 25));
        }
      };
      // An hour between syncs: only the never-synced connection is due at first.
      runtime = startConnectorRuntime(env, { everySeconds: 3600, tickMs: 25, err: (line) => errors.push(line) });
      await eventually(async () => (await amountOf(first!)) === 1000);

      // Changed in the CRM: nothing happens until the CRM's hook says so (the interval is an hour).
      target.editDeal(first!, { amount: 2500 });
      await new Promise((done) => setTimeout(done, 300));
      expect(await amountOf(first!)).toBe(1000);
      const asked = await app.request(`/api/crm/hook/${connected.connection.id}`, post({ id: first, module: 'Opportunities' }, { 'X-Headway-Hook-Secret': connected.hookSecret! }));
      expect(asked.status).toBe(202);
      await eventually(async () => (await amountOf(first!)) === 2500);
      expect(errors).toEqual([]);
    } finally {
      await runtime?.stop();
      await target.close();
    }
  });
});

describeEachStore('CRM connections over HTTP', (context) => {
  it('shows the status to head and admin only, and lets a CRM hook with the right secret ask for a re-read', async () => {
    const target = await suiteTarget('v8').start();
    try {
      const [dealId] = target.addDeals([deal('Hooked')]);
      const { store } = await context.freshStore();
      const app = testApp(store, systemClock);
      const head = await signedIn(app, store, systemClock, { role: 'head' });
      const manager = await signedIn(app, store, systemClock, { role: 'manager' });
      const connected = await connectCrm(testEnv(store), { origin: target.origin, crm: 'suitecrm', api: 'v8', clientId: target.clientId, secret: target.secret });

      const seen = await app.request('/api/crm/connections', { headers: head.auth });
      expect(seen.status).toBe(200);
      const body = ConnectionsResponse.parse(await seen.json());
      expect(body.connections.map((one) => one.origin)).toEqual([target.origin]);
      expect(JSON.stringify(body)).not.toContain(target.secret);
      expect((await app.request('/api/crm/connections', { headers: manager.auth })).status).toBe(403);

      const hook = `/api/crm/hook/${connected.connection.id}`;
      expect((await app.request(hook, post({ id: dealId, module: 'Opportunities' }, { 'X-Headway-Hook-Secret': 'guess' }))).status).toBe(401);
      expect((await app.request('/api/crm/hook/nope', post({}, { 'X-Headway-Hook-Secret': connected.hookSecret! }))).status).toBe(401);
      const asked = await app.request(hook, post({ id: dealId, module: 'Opportunities' }, { 'X-Headway-Hook-Secret': connected.hookSecret! }));
      expect(asked.status).toBe(202);
      expect(await store.db.selectFrom('crm_refresh').select('crm_id').execute()).toEqual([{ crm_id: dealId }]);
      expect((await store.db.selectFrom('crm_connections').select('due_at').executeTakeFirstOrThrow()).due_at).not.toBeNull();
    } finally {
      await target.close();
    }
  });
});

describe('the credential key', () => {
  it('is refused when it is not 32 bytes', () => {
    expect(() => secretBoxFromEnv({ HEADWAY_SECRET_KEY: 'short' })).toThrow(/32 bytes/);
  });
});
