import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const extensionDir = join(repoRoot, '.output/chrome-mv3');
export const docsDir = join(repoRoot, 'docs');

const CHROMIUM_MISSING =
  'Headway e2e tests need Chromium. install Chromium: apt-get install -y chromium (Debian) or set CHROMIUM_PATH to its executable.';

/** CHROMIUM_PATH, or the Debian package's binary. Throws (never skips) when neither is there. */
export function findChromium(): string {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(`${CHROMIUM_MISSING} (looked for ${candidates.join(', ')})`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export interface RunningServer {
  url: string;
  pairingCode: string;
  demoUrl: string;
  process: ChildProcess;
  /** Where its SQLite file lives; pass it (and `port`) to startServer to start it again on the same data. */
  dataDir: string;
  port: number;
  /** Runs an admin command of server/cli.ts against the same database, e.g. ['crm', 'add', origin, 'odoo']. */
  cli(args: string[]): Promise<unknown>;
  /** SIGTERM, then wait for the process to exit. */
  stop(): Promise<void>;
  cleanup(): void;
}

/**
 * Starts `server/cli.ts serve --seed-demo --json` on a free port with a throwaway SQLite file, or on the
 * given port and data directory (a restart after stop(): same URL, same database).
 */
export async function startServer(again?: { dataDir: string; port: number }): Promise<RunningServer> {
  const dataDir = again?.dataDir ?? mkdtempSync(join(tmpdir(), 'headway-e2e-db-'));
  const port = again?.port ?? (await freePort());
  const env = { ...process.env, DATABASE_URL: `file:${join(dataDir, 'headway.sqlite')}`, HOST: '127.0.0.1', PORT: String(port) };
  const tsx = join(repoRoot, 'node_modules/.bin/tsx');
  const child = spawn(tsx, ['server/cli.ts', 'serve', '--seed-demo', '--json'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group, so stop() reaches tsx's node child too.
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const firstLine = await new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s. stderr: ${stderr}`)), 60_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolveLine(line);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening. stderr: ${stderr}`)));
  });
  const started = JSON.parse(firstLine) as { listening: string; pairingCode: string; demoUrl: string };
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return {
    url: started.listening,
    pairingCode: started.pairingCode,
    demoUrl: started.demoUrl,
    process: child,
    dataDir,
    port,
    async cli(args) {
      const { stdout } = await promisify(execFile)(tsx, ['server/cli.ts', ...args, '--json'], { cwd: repoRoot, env });
      return JSON.parse(stdout) as unknown;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup('SIGTERM');
      const killer = setTimeout(() => signalGroup('SIGKILL'), 8000);
      await exited;
      clearTimeout(killer);
    },
    cleanup() {
      signalGroup('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LaunchedExtension {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  close(): Promise<void>;
}

/**
 * Chromium with the built extension loaded, in a fresh profile. `alsoLoad` adds unpacked extension folders beside
 * it (the bench's bare-sidebar extension, injected by the browser the same way ours is).
 */
export async function launchWithExtension(alsoLoad: readonly string[] = []): Promise<LaunchedExtension> {
  const extensions = [extensionDir, ...alsoLoad].join(',');
  const profileDir = mkdtempSync(join(tmpdir(), 'headway-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--disable-extensions-except=${extensions}`,
      `--load-extension=${extensions}`,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    worker,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the CRM content script is registered for loopback origins (the demo and fixture CRMs). The options
 * page shows the account as soon as the session is stored, a moment before the registration for the workspace's
 * instances exists; a page opened in that moment would get no sidebar.
 */
export async function waitForCrmScriptOnLoopback(extension: LaunchedExtension): Promise<void> {
  type ScriptingGlobal = { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ matches?: string[] }[]> } } };
  const registered = () =>
    extension.worker.evaluate(async () =>
      (await (globalThis as unknown as ScriptingGlobal).chrome.scripting.getRegisteredContentScripts()).some((script) =>
        (script.matches ?? []).includes('http://127.0.0.1/*'),
      ),
    );
  const deadline = Date.now() + 15_000;
  while (!(await registered())) {
    if (Date.now() > deadline) throw new Error('The CRM content script was not registered for 127.0.0.1 within 15 s of pairing.');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
