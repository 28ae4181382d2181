import { beforeAll, expect, it } from 'vitest';
import { LoadResponse, User } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { runCli } from '../../server/cli/run';
import { findUserById } from '../../server/store/users';
import { TestClock, signedIn, testApp } from './helpers';
import { clockStart, getJson, send } from './load-fixtures';
import { describeEachStore } from './stores';

async function cli(databaseUrl: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env: { DATABASE_URL: databaseUrl }, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describeEachStore('roster: PUT /api/users/:id and `user set`', ({ store, databaseUrl }) => {
  const clock = new TestClock(clockStart);
  let app: HeadwayApp;
  let head: Awaited<ReturnType<typeof signedIn>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  let maya: Awaited<ReturnType<typeof signedIn>>;
  let exec: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    head = await signedIn(app, store(), clock, { role: 'head' });
    admin = await signedIn(app, store(), clock, { role: 'admin' });
    exec = await signedIn(app, store(), clock, { role: 'exec' });
    maya = await signedIn(app, store(), clock, { role: 'manager', name: 'Maya Moreau', email: 'maya@example.test', capacity: 40, team: 'West' });
  });
  const put = (id: string, body: unknown, auth = head.auth) => app.request(`/api/users/${id}`, send('PUT', body, auth));

  it('lets head and admin set capacity, segments, absences, team and CRM identities, keeping what is left out', async () => {
    const response = await put(maya.user.id, {
      capacity: 60,
      segments: { region: ['EMEA', 'DACH'] },
      absences: [{ from: '2026-06-15', to: '2026-06-19' }],
      crmIdentities: [{ crm: 'salesforce', ownerId: '005xx000001AbC' }],
    });
    expect(response.status).toBe(200);
    const user = User.parse(await response.json());
    expect(user).toMatchObject({
      id: maya.user.id, name: 'Maya Moreau', role: 'manager', team: 'West', capacity: 60,
      segments: { region: ['EMEA', 'DACH'], product: [], tier: [] },
      absences: [{ from: '2026-06-15', to: '2026-06-19' }],
      crmIdentities: [{ crm: 'salesforce', ownerId: '005xx000001AbC' }],
    });
    const again = User.parse(await (await put(maya.user.id, { team: null }, admin.auth)).json());
    expect(again).toMatchObject({ team: null, capacity: 60, segments: user.segments, absences: user.absences });
    // The load view reads it at once: absent today.
    const view = LoadResponse.parse(await getJson(app, '/api/load', head.auth));
    expect(view.managers.find((m) => m.id === maya.user.id)).toMatchObject({ status: 'absent', absentUntil: '2026-06-19', capacity: 0 });
  });

  it('refuses other roles, unknown users and invalid or unexpected fields, changing nothing', async () => {
    const before = await findUserById(store().db, maya.user.id);
    expect((await put(maya.user.id, { capacity: 1 }, maya.auth)).status).toBe(403);
    expect((await put(maya.user.id, { capacity: 1 }, exec.auth)).status).toBe(403);
    expect((await app.request(`/api/users/${maya.user.id}`, send('PUT', { capacity: 1 }, {}))).status).toBe(401);
    const unknown = await put('no-such-user', { capacity: 1 });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toBe('unknown_user');
    for (const body of [
      {},
      { role: 'head' },
      { capacity: 10, email: 'x@example.test' },
      { capacity: -1 },
      { capacity: 1.5 },
      { absences: [{ from: '2026-06-19', to: '2026-06-15' }] },
      { absences: [{ from: 'next week', to: '2026-06-15' }] },
      { segments: { region: [''] } },
      { crmIdentities: [{ crm: 'notacrm', ownerId: 'x' }] },
    ]) {
      const response = await put(maya.user.id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_body');
    }
    expect(await findUserById(store().db, maya.user.id)).toEqual(before);
  });

  it('`user set` edits the same fields from the command line and answers JSON', async () => {
    const result = await cli(databaseUrl(), 'user', 'set', 'MAYA@example.test', '--capacity', '75', '--absent', '2026-11-20:2026-12-04', '--absent', '2026-12-24',
      '--segments', 'product=Fleet, Telematics', '--crm-identity', 'salesforce:005xx000009ZzZ', '--crm-identity', 'hubspot:maya@acme.test', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { user } = JSON.parse(result.stdout) as { user: User };
    expect(user).toMatchObject({
      capacity: 75,
      absences: [{ from: '2026-11-20', to: '2026-12-04' }, { from: '2026-12-24', to: '2026-12-24' }],
      // Only the named dimension is replaced.
      segments: { region: ['EMEA', 'DACH'], product: ['Fleet', 'Telematics'], tier: [] },
      crmIdentities: [{ crm: 'salesforce', ownerId: '005xx000009ZzZ' }, { crm: 'hubspot', email: 'maya@acme.test' }],
    });
    const cleared = await cli(databaseUrl(), 'user', 'set', 'maya@example.test', '--absent', 'none', '--segments', 'none', '--team', 'East');
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toContain('Maya Moreau: capacity 75, team East');
    expect(await findUserById(store().db, maya.user.id)).toMatchObject({ absences: [], segments: { region: [], product: [], tier: [] }, team: 'East' });
  });

  it('`user set` refuses bad values with exit 2, an unknown e-mail with exit 1, and changes nothing', async () => {
    const before = await findUserById(store().db, maya.user.id);
    for (const args of [
      ['--capacity', 'lots'],
      ['--capacity', '-3'],
      ['--absent', '2026-12-04:2026-11-20'],
      ['--absent', '2026-11-20:2026-12-04:2027-01-01'],
      ['--segments', 'colour=blue'],
      ['--crm-identity', 'nocolon'],
      ['--crm-identity', 'notacrm:123'],
      [],
    ]) {
      const result = await cli(databaseUrl(), 'user', 'set', 'maya@example.test', ...args, '--json');
      expect(result.code, args.join(' ')).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ error: 'usage' });
    }
    const unknown = await cli(databaseUrl(), 'user', 'set', 'nobody@example.test', '--capacity', '5', '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: 'failed', message: 'No user has the e-mail nobody@example.test.' });
    expect(unknown.stderr).toBe('No user has the e-mail nobody@example.test.');
    expect(await findUserById(store().db, maya.user.id)).toEqual(before);
  });
});
