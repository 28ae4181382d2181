import { spawn, execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { ConfigResponse, PairResponse, User } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { runCli } from '../../server/cli/run';
import { describeEachStore } from './stores';
import { TestClock, nodeEnvFor, post, testApp, declareTenant } from './helpers';
import { newClientId, noteCreate, pushOk } from './sync-fixtures';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const tsx = resolve(root, 'node_modules/.bin/tsx');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real process, as an admin runs it (slow: used for the few tests about the process itself). */
async function spawnCli(databaseUrl: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(tsx, ['server/cli.ts', ...args], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The same command runner in this process: what the process prints and its exit code, without the start-up cost. */
async function cli(databaseUrl: string, ...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    env: { DATABASE_URL: databaseUrl },
    out: (line) => out.push(`${line}\n`),
    err: (line) => err.push(`${line}\n`),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Parses the single JSON object a --json command prints. */
function onlyJson(result: CliResult): Record<string, unknown> {
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

function onlyJsonLine(stdout: string): unknown {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '');
}

function expectNoStack(text: string) {
  expect(text).not.toMatch(/\n\s+at /);
}

describeEachStore('CLI', ({ store, databaseUrl, freshStore }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  beforeAll(() => {
    // The app reads what the CLI wrote: same database, real time for the codes the CLI issued.
    app = testApp(store(), { now: () => new Date() });
  });

  it('user add prints the user and a pairing code that pairs a device (real process)', async () => {
    const output = onlyJson(await spawnCli(databaseUrl(), 'user', 'add', '--role', 'manager', '--name', 'Cleo Cli', '--email', 'Cleo@Example.test', '--capacity', '70', '--json'));
    const user = User.parse(output.user);
    expect(user).toMatchObject({ name: 'Cleo Cli', email: 'cleo@example.test', role: 'manager', capacity: 70 });
    expect(output.pairingCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const paired = await app.request('/api/pair', post({ code: output.pairingCode, deviceName: 'cli test' }), nodeEnvFor());
    expect(paired.status).toBe(200);
    expect(PairResponse.parse(await paired.json()).user.id).toBe(user.id);
  });

  it('user add refuses a duplicate e-mail (exit 1) and bad arguments (exit 2)', async () => {
    await cli(databaseUrl(), 'user', 'add', '--role', 'exec', '--name', 'Ed Exec', '--email', 'ed@example.test');
    const duplicate = await cli(databaseUrl(), 'user', 'add', '--role', 'exec', '--name', 'Ed Again', '--email', 'ED@example.test', '--json');
    expect(duplicate.code).toBe(1);
    // --json promises one object on stdout, failures included.
    expect(JSON.parse(duplicate.stdout)).toMatchObject({ error: 'failed' });
    expect(duplicate.stderr).toMatch(/\S/);
    for (const args of [
      ['user', 'add', '--role', 'manager', '--name', 'No Mail'],
      ['user', 'add', '--role', 'king', '--name', 'K', '--email', 'k@example.test'],
      ['user', 'add', '--role', 'manager', '--name', 'N', '--email', 'not-an-email'],
      ['user', 'add', '--role', 'manager', '--name', 'N', '--email', 'n@example.test', '--bogus'],
    ]) {
      const result = await cli(databaseUrl(), ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.length).toBeGreaterThan(0);
      expectNoStack(result.stderr);
    }
  });

  it('pair prints a fresh code; an unknown e-mail fails with exit 1', async () => {
    const added = onlyJson(await cli(databaseUrl(), 'user', 'add', '--role', 'head', '--name', 'Pam Pair', '--email', 'pam@example.test', '--json'));
    const again = onlyJson(await cli(databaseUrl(), 'pair', 'pam@example.test', '--json'));
    expect(again.pairingCode).not.toBe(added.pairingCode);
    expect(User.parse(again.user).email).toBe('pam@example.test');
    const unknown = await cli(databaseUrl(), 'pair', 'nobody@example.test');
    expect(unknown.code).toBe(1);
    expectNoStack(unknown.stderr);
  });

  it('token list and token revoke cut a device off', async () => {
    const added = onlyJson(await cli(databaseUrl(), 'user', 'add', '--role', 'manager', '--name', 'Tom Token', '--email', 'tom@example.test', '--json'));
    const first = PairResponse.parse(await (await app.request('/api/pair', post({ code: added.pairingCode, deviceName: 'Tom laptop' }), nodeEnvFor())).json());
    const code2 = onlyJson(await cli(databaseUrl(), 'pair', 'tom@example.test', '--json')).pairingCode;
    const second = PairResponse.parse(await (await app.request('/api/pair', post({ code: code2, deviceName: 'Tom desktop' }), nodeEnvFor())).json());

    const listed = onlyJson(await cli(databaseUrl(), 'token', 'list', '--email', 'tom@example.test', '--json'));
    const tokens = listed.tokens as { id: string; deviceName: string; revokedAt: string | null }[];
    expect(tokens.map((t) => t.deviceName).sort()).toEqual(['Tom desktop', 'Tom laptop']);
    const laptop = tokens.find((t) => t.deviceName === 'Tom laptop');

    expect(onlyJson(await cli(databaseUrl(), 'token', 'revoke', laptop?.id ?? '', '--json'))).toEqual({ revoked: 1, tokenId: laptop?.id });
    expect((await app.request('/api/me', { headers: { Authorization: `Bearer ${first.token}` } })).status).toBe(401);
    expect((await app.request('/api/me', { headers: { Authorization: `Bearer ${second.token}` } })).status).toBe(200);
    expect((await cli(databaseUrl(), 'token', 'revoke', laptop?.id ?? '')).code).toBe(1);

    const outstanding = onlyJson(await cli(databaseUrl(), 'pair', 'tom@example.test', '--json')).pairingCode;
    expect(onlyJson(await cli(databaseUrl(), 'token', 'revoke', '--email', 'tom@example.test', '--json'))).toEqual({ revoked: 1, revokedPairingCodes: 1 });
    expect((await app.request('/api/me', { headers: { Authorization: `Bearer ${second.token}` } })).status).toBe(401);
    // Issue 13 §6: a code handed out before the revocation no longer gives a fresh token.
    expect((await app.request('/api/pair', post({ code: outstanding, deviceName: 'Tom, after' }), nodeEnvFor())).status).toBe(401);
  });

  it('user locale sets the language a person reads Headway in, as PUT /api/me/locale does, and refuses others (issue 17 §1)', async () => {
    await cli(databaseUrl(), 'user', 'add', '--role', 'manager', '--name', 'Лев Лосев', '--email', 'lev@example.test');
    expect(onlyJson(await cli(databaseUrl(), 'user', 'locale', 'lev@example.test', 'ru', '--json')).user).toMatchObject({ email: 'lev@example.test', locale: 'ru' });
    const refused = await cli(databaseUrl(), 'user', 'locale', 'lev@example.test', 'de');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"de" is not a language Headway speaks');
    expect((await cli(databaseUrl(), 'user', 'locale', 'nobody@example.test', 'ru')).code).toBe(1);
    const row = await store().db.selectFrom('users').select('locale').where('email', '=', 'lev@example.test').executeTakeFirstOrThrow();
    expect(row.locale).toBe('ru');
    expect(onlyJson(await cli(databaseUrl(), 'user', 'locale', 'lev@example.test', 'browser', '--json')).user).toMatchObject({ locale: null });
  });

  it('user disable closes every way in at once and keeps the person; user list shows it (issue 13 §6)', async () => {
    const added = onlyJson(await cli(databaseUrl(), 'user', 'add', '--role', 'manager', '--name', 'Lea Leaver', '--email', 'lea@example.test', '--json'));
    const device = PairResponse.parse(await (await app.request('/api/pair', post({ code: added.pairingCode, deviceName: 'Lea laptop' }), nodeEnvFor())).json());
    const auth = { Authorization: `Bearer ${device.token}` };
    await declareTenant(store(), clock);
    const note = noteCreate(1, { text: 'Lea was here' });
    await pushOk(app, auth, newClientId(), [note]);
    const unredeemed = onlyJson(await cli(databaseUrl(), 'pair', 'lea@example.test', '--json')).pairingCode;

    const disabled = onlyJson(await cli(databaseUrl(), 'user', 'disable', 'lea@example.test', '--json'));
    expect(disabled).toMatchObject({ revokedTokens: 1, revokedPairingCodes: 1, user: { email: 'lea@example.test', disabledAt: expect.any(String) } });
    expect((await app.request('/api/me', { headers: auth })).status).toBe(401);
    expect((await app.request('/api/pair', post({ code: unredeemed, deviceName: 'Lea, after' }), nodeEnvFor())).status).toBe(401);
    const refused = await cli(databaseUrl(), 'pair', 'lea@example.test');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('disabled');
    expectNoStack(refused.stderr);
    // Disabling again changes nothing and still answers.
    expect(onlyJson(await cli(databaseUrl(), 'user', 'disable', 'lea@example.test', '--json'))).toMatchObject({ revokedTokens: 0, revokedPairingCodes: 0, user: { disabledAt: (disabled.user as { disabledAt: string }).disabledAt } });
    expect((await cli(databaseUrl(), 'user', 'disable', 'nobody@example.test')).code).toBe(1);

    // History stays: the person and their note are still there for the head.
    expect(await store().db.selectFrom('notes').select('id').where('id', '=', note.args.id).executeTakeFirst()).toBeDefined();
    const listed = onlyJson(await cli(databaseUrl(), 'user', 'list', '--json')).users as Array<{ email: string; disabledAt: string | null; devices: number; role: string }>;
    expect(listed.find((u) => u.email === 'lea@example.test')).toMatchObject({ role: 'manager', devices: 0, disabledAt: expect.any(String) });
    expect(listed.find((u) => u.email === 'cleo@example.test')).toMatchObject({ disabledAt: null });
    const text = await cli(databaseUrl(), 'user', 'list');
    expect(text.stdout).toMatch(/lea@example\.test {2}Lea Leaver {2}manager {2}0 device\(s\) {2}DISABLED /);
  });

  it('a token that escaped the revocation is refused once its person is disabled', async () => {
    const added = onlyJson(await cli(databaseUrl(), 'user', 'add', '--role', 'manager', '--name', 'Rae Race', '--email', 'rae@example.test', '--json'));
    const device = PairResponse.parse(await (await app.request('/api/pair', post({ code: added.pairingCode, deviceName: 'Rae laptop' }), nodeEnvFor())).json());
    const auth = { Authorization: `Bearer ${device.token}` };
    expect((await app.request('/api/me', { headers: auth })).status).toBe(200);
    // As if a pairing committed between the revocation and the flag: only the flag is set here.
    await store().db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('email', '=', 'rae@example.test').execute();
    expect((await app.request('/api/me', { headers: auth })).status).toBe(401);
  });

  it('crm add / crm list and adapter disable / enable show up in /api/config', async () => {
    expect(onlyJson(await cli(databaseUrl(), 'crm', 'add', 'https://crm.northwind.test', 'suitecrm', '--json'))).toMatchObject({
      instance: { instance: 'https://crm.northwind.test', crm: 'suitecrm' },
    });
    // SaaS tenants too, from any address of theirs, written canonically: one org is one tenant whatever host shows it.
    expect(onlyJson(await cli(databaseUrl(), 'crm', 'add', 'https://acme.pipedrive.com', 'pipedrive', '--json')).instance).toEqual({ instance: 'https://acme.pipedrive.com', crm: 'pipedrive' });
    expect(onlyJson(await cli(databaseUrl(), 'crm', 'add', 'https://northwind.lightning.force.com/lightning/page/home', 'salesforce', '--json')).instance)
      .toEqual({ instance: 'https://northwind.my.salesforce.com', crm: 'salesforce' });
    const listed = onlyJson(await cli(databaseUrl(), 'crm', 'list', '--json'));
    expect(listed.instances).toContainEqual({ instance: 'https://crm.northwind.test', crm: 'suitecrm' });
    expect(listed.instances).toContainEqual({ instance: 'https://northwind.my.salesforce.com', crm: 'salesforce' });
    // A shared host that does not say which tenant, another CRM's host, a non-http address, an unknown CRM: refused.
    for (const [url, crm] of [['https://app.hubspot.com/', 'hubspot'], ['https://acme.pipedrive.com', 'salesforce'], ['javascript:alert(1)', 'suitecrm'], ['https://crm.northwind.test', 'notacrm']]) {
      const refused = await cli(databaseUrl(), 'crm', 'add', url!, crm!);
      expect(refused.code, `${url} ${crm}`).toBe(2);
    }

    expect(onlyJson(await cli(databaseUrl(), 'adapter', 'disable', 'hubspot', '--reason', 'HubSpot changed its layout', '--json'))).toEqual({
      disabled: { crm: 'hubspot', reason: 'HubSpot changed its layout' },
    });
    expect((await cli(databaseUrl(), 'adapter', 'disable', 'hubspot')).code).toBe(2);

    const added = onlyJson(await cli(databaseUrl(), 'user', 'add', '--role', 'manager', '--name', 'Cora Config', '--email', 'cora@example.test', '--json'));
    const { token } = PairResponse.parse(await (await app.request('/api/pair', post({ code: added.pairingCode, deviceName: 'x' }), nodeEnvFor())).json());
    const config = async () => ConfigResponse.parse(await (await app.request('/api/config', { headers: { Authorization: `Bearer ${token}` } })).json());
    expect((await config()).instances).toContainEqual({ instance: 'https://crm.northwind.test', crm: 'suitecrm' });
    expect((await config()).disabledAdapters).toContainEqual({ crm: 'hubspot', reason: 'HubSpot changed its layout' });

    expect(onlyJson(await cli(databaseUrl(), 'adapter', 'enable', 'hubspot', '--json'))).toEqual({ enabled: 'hubspot', wasDisabled: true });
    expect((await config()).disabledAdapters).not.toContainEqual(expect.objectContaining({ crm: 'hubspot' }));
  });

  it('an unknown command exits with 2 and a message, no stack (also as a real process)', async () => {
    for (const args of [['frobnicate'], ['user'], ['token', 'explode'], ['crm', 'list', 'extra'], ['pair']]) {
      const result = await cli(databaseUrl(), ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/\S/);
      expectNoStack(result.stderr);
    }
    const json = await spawnCli(databaseUrl(), 'frobnicate', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: 'usage', message: 'Unknown command: frobnicate' });
  });

  it('a bad line shows the usage of the command it aimed at, not the whole manual', async () => {
    const bad = await cli(databaseUrl(), 'user', 'set', 'x@example.test', '--capacity');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('user set <email>');
    expect(bad.stderr).toContain('[--crm-identity');
    expect(bad.stderr).not.toContain('user add');
    expect(bad.stderr).not.toContain('deals import');
    expect(bad.stderr).toContain('Every command: npm run server -- --help');
    const token = await cli(databaseUrl(), 'token', 'explode');
    expect(token.stderr).toContain('token revoke <tokenId>');
    expect(token.stderr).not.toContain('user add');
  });

  it('an unknown flag, a flag of another command or a flag without its value is a clear error; a bad value gets no usage', async () => {
    const unknown = await cli(databaseUrl(), 'user', 'list', '--frob');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe('Unknown option --frob.');
    expect(unknown.stderr).toContain('user list');
    expect(unknown.stderr).not.toContain('user add');
    const cases: Array<[string[], string]> = [
      [['user', 'list', '--frob', '--json'], 'Unknown option --frob.'],
      [['user', 'list', '--capacity', '3', '--json'], '--capacity: not an option of user list.'],
      [['pair', 'x@example.test', '--workers', '2', '--json'], '--workers: not an option of pair.'],
      [['serve', '--email', 'x@example.test', '--json'], '--email: not an option of serve.'],
      [['token', 'list', '--email', '--json'], '--email needs a value (--email <value>).'],
      [['adapter', 'reports', '--json=yes'], '--json is a switch and takes no value, not "--json=yes".'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(databaseUrl(), ...args);
      expect(result.code, args.join(' ')).toBe(2);
      // --json: exactly one object on stdout, as the usage promises, even when the line itself did not parse.
      expect(onlyJsonLine(result.stdout), args.join(' ')).toEqual({ error: 'usage', message });
    }
    const badValue = await cli(databaseUrl(), 'adapter', 'reports', '--days', '500');
    expect(badValue.code).toBe(2);
    expect(badValue.stderr.trim()).toMatch(/^Invalid --days: /);
    expect(badValue.stderr).not.toContain('Usage:');
    const unknownCommand = await cli(databaseUrl(), 'frobnicate');
    expect(unknownCommand.stderr).toBe('Unknown command: frobnicate\n\nEvery command: npm run server -- --help\n');
  });

  it('serve --seed-demo --json listens, seeds, prints a working code and closes on SIGTERM', async () => {
    const { databaseUrl: url } = await freshStore();
    const child = spawn(tsx, ['server/cli.ts', 'serve', '--seed-demo', '--json'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const firstLine = await new Promise<string>((resolveLine, reject) => {
        createInterface({ input: child.stdout }).once('line', resolveLine);
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const ready = JSON.parse(firstLine) as { listening: string; pairingCode: string; demoUrl: string };
      expect(ready.listening).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.demoUrl).toBe(`${ready.listening}/demo/`);
      expect(await (await fetch(`${ready.listening}/healthz`)).json()).toEqual({ ok: true });
      const list = await fetch(`${ready.listening}/demo/index.php?module=Opportunities&action=index`);
      expect(list.status).toBe(200);
      expect(await list.text()).toContain('module=Opportunities&amp;action=DetailView&amp;record=');
      const paired = await fetch(`${ready.listening}/api/pair`, post({ code: ready.pairingCode, deviceName: 'serve test' }));
      expect(paired.status).toBe(200);
      const { token, user } = PairResponse.parse(await paired.json());
      expect(user).toMatchObject({ name: 'Dana Whitfield', role: 'head' });
      const config = ConfigResponse.parse(await (await fetch(`${ready.listening}/api/config`, { headers: { Authorization: `Bearer ${token}` } })).json());
      expect(config.instances).toContainEqual({ instance: ready.listening, crm: 'suitecrm' });
      expect(config.settings.name).toBe('Northwind Trading');
    } finally {
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
  it('days-off add/remove and calendar set change the working calendars as the API does', async () => {
    expect(onlyJson(await cli(databaseUrl(), 'days-off', 'add', '2026-12-24', '2026-12-23', '2026-12-24', '--json')).companyDaysOff).toEqual(['2026-12-23', '2026-12-24']);
    const removed = await cli(databaseUrl(), 'days-off', 'remove', '2026-12-23');
    expect(removed.stdout.trim()).toBe('Company days off: 2026-12-24.');
    const unknown = await cli(databaseUrl(), 'days-off', 'remove', '2026-12-23');
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, '2026-12-23 is not a company day off.']);
    const bad = await cli(databaseUrl(), 'days-off', 'add', '2026-13-01');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a date (YYYY-MM-DD): 2026-13-01');
    expectNoStack(bad.stderr);

    onlyJson(await cli(databaseUrl(), 'user', 'add', '--role', 'manager', '--name', 'Olga Cal', '--email', 'olga@calendar.test', '--team', 'Moscow', '--json'));
    expect((await cli(databaseUrl(), 'calendar', 'set', '--country', 'ru')).stdout.trim()).toBe('The workspace counts working days on RU’s calendar.');
    expect((await cli(databaseUrl(), 'calendar', 'set', '--country', 'DE', '--team', 'Moscow')).stdout.trim()).toBe('Team Moscow counts working days on DE’s calendar.');
    const own = onlyJson(await cli(databaseUrl(), 'calendar', 'set', '--country', 'GB', '--email', 'olga@calendar.test', '--json'));
    expect(own).toMatchObject({ country: 'RU', teams: { Moscow: 'DE' }, companyDaysOff: ['2026-12-24'] });
    expect(Object.values(own.users as Record<string, string>)).toEqual(['GB']);
    const badCountry = await cli(databaseUrl(), 'calendar', 'set', '--country', 'FR');
    expect([badCountry.code, badCountry.stderr]).toEqual([2, expect.stringContaining('--country must be one of RU, DE, GB, US or none, not FR')]);
    const noTeam = await cli(databaseUrl(), 'calendar', 'set', '--country', 'RU', '--team', 'Atlantis');
    expect([noTeam.code, noTeam.stderr.trim()]).toEqual([1, 'No user is in the team "Atlantis".']);
    expect((await cli(databaseUrl(), 'calendar', 'set', '--country', 'none', '--email', 'olga@calendar.test')).stdout.trim()).toBe('Olga Cal now follows their team’s or the workspace’s calendar.');
  });
});
