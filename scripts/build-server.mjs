// `npm run build:server [-- <dir>]`: the server as plain JavaScript in dist/server/, run with
// `node dist/server/cli.js <command>` on a production install (`npm ci --omit=dev`: no tsx, no wxt, no compiler).
// The npm packages stay external, so native modules (better-sqlite3, pg) load from node_modules as from source.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
export const serverDist = join(root, 'dist/server');

/**
 * The modules a worker thread loads (server/worker-thread.ts): each is its own entry point at its own path, because a
 * thread cannot load the bundle it was started from. Found where the server names them, `serverModule('<path>')`, so
 * a new thread module needs no second list here.
 */
function threadModules() {
  const found = new Set();
  for (const file of readdirSync(join(root, 'server'), { recursive: true })) {
    if (!file.endsWith('.ts')) continue;
    for (const match of readFileSync(join(root, 'server', file), 'utf8').matchAll(/serverModule\('([^']+)'\)/g)) found.add(match[1]);
  }
  return [...found];
}

/** `outdir`: where cli.js goes (a test builds elsewhere, so as not to replace a dist/ in use). */
export async function buildServer(outdir = serverDist) {
  rmSync(outdir, { recursive: true, force: true });
  const entryPoints = { cli: 'server/cli.ts' };
  for (const module of threadModules()) entryPoints[module] = `server/${module}.ts`;
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // A thread's function is called by its name (ModuleThread.call(fn.name, …)): bundling must not rename it.
    keepNames: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  return outdir;
}

if (process.argv[1] === import.meta.filename) {
  const cli = relative(process.cwd(), join(await buildServer(process.argv[2] ? resolve(process.argv[2]) : serverDist), 'cli.js'));
  console.log(`✔ Server built: node ${cli} serve`);
}
