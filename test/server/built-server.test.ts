// Issue 16 §10: the server built by `npm run build:server`, run on plain node (no tsx) beside nothing but the
// production dependencies, as `npm ci --omit=dev && node dist/server/cli.js serve` runs it: serve (on PostgreSQL with
// --workers, node:cluster), /healthz, a paired device's API call, CLI commands, and an import big enough that SQLite
// applies it on a worker thread loaded from the bundle's own entry point.
import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exited, freePort, listeningProcess, root } from '../support/serve-process';
import { describeEachStore } from './stores';

/**
 * A directory outside the repository (so no module resolves from its node_modules) holding package.json, a
 * node_modules of the production dependencies alone (package-lock's entries not marked dev, linked), and the build.
 */
function productionInstall(): { dir: string; cli: string } {
  const dir = mkdtempSync(join(tmpdir(), 'headway-built-'));
  writeFileSync(join(dir, 'package.json'), readFileSync(join(root, 'package.json')));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || path.includes('/node_modules/', 1) || entry.dev) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(join(root, path), join(dir, path));
  }
  const build = spawnSync(process.execPath, ['scripts/build-server.mjs', join(dir, 'dist/server')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build:server failed: ${build.stderr}`);
  return { dir, cli: join(dir, 'dist/server/cli.js') };
}

let built: { dir: string; cli: string };
beforeAll(() => void (built = productionInstall()), 180_000);
afterAll(() => rmSync(built.dir, { recursive: true, force: true }));

describeEachStore('the built server on plain node', ({ kind, databaseUrl }) => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const cli = async (...args: string[]) => {
    const env = { ...process.env, DATABASE_URL: databaseUrl() };
    const { stdout } = await promisify(execFile)(process.execPath, [built.cli, ...args, '--json'], { cwd: built.dir, env });
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it('serves, answers a paired device, runs CLI commands and applies a big import on its worker thread', async () => {
    const { pairingCode } = (await cli('user', 'add', '--role', 'head', '--name', 'Built Head', '--email', 'head@built.test')) as { pairingCode: string };
    await cli('crm', 'add', 'https://acme.pipedrive.com', 'pipedrive');
    // Several workers need PostgreSQL; on it, they are what a production server runs.
    const workers = kind === 'postgres' ? ['--workers', '2'] : [];
    const env = { DATABASE_URL: databaseUrl(), PORT: String(await freePort()) };
    const { child, url } = await listeningProcess([built.cli, 'serve', '--json', ...workers], env, children, []);

    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
    const pair = JSON.stringify({ code: pairingCode, deviceName: 'built' });
    const paired = await fetch(`${url}/api/pair`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: pair });
    expect(paired.status).toBe(200);
    const auth = { Authorization: `Bearer ${((await paired.json()) as { token: string }).token}` };
    const me = await fetch(`${url}/api/me`, { headers: auth });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'head@built.test', role: 'head' });

    // 3,000 deals: past the rows from which a SQLite import applies on a thread of its own (server/import/
    // apply-thread.ts), whose module must load from the bundle; a thread that failed would fail the import.
    const rows = 3_000;
    const csv = `Id,Name,Amount\n${Array.from({ length: rows }, (_, i) => `built-${i},Deal ${i},${1000 + i}`).join('\n')}\n`;
    const map = encodeURIComponent(JSON.stringify({ columns: { crmId: 'Id', title: 'Name', amount: 'Amount' }, constants: { currency: 'EUR' } }));
    const headers = { 'Content-Type': 'text/csv', ...auth };
    const imported = await fetch(`${url}/api/deals/import?crm=pipedrive&map=${map}`, { method: 'POST', headers, body: csv });
    expect(imported.status, await imported.clone().text()).toBe(200);
    expect(await imported.json()).toMatchObject({ ok: true, created: rows });

    expect(await cli('user', 'list')).toMatchObject({ users: [{ email: 'head@built.test', role: 'head' }] });
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 120_000);
});
