import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const extensionDir = join(repoRoot, '.output/chrome-mv3');
/** The Firefox build (`npx wxt build -b firefox`), for test/e2e/firefox.test.ts. */
export const firefoxExtensionDir = join(repoRoot, '.output/firefox-mv2');

/**
 * Where the tests' screenshots go: test-results/screenshots (ignored by git) in a test run, so `npm test` leaves the
 * tree as it found it; docs/ when `npm run screenshots` (scripts/screenshots.mjs) asks for the README's pictures.
 */
export const screenshotDir = process.env.HEADWAY_SCREENSHOTS === 'docs' ? join(repoRoot, 'docs') : join(repoRoot, 'test-results/screenshots');

/** A screenshot for the README (docs/*.png) taken where a test has the page in the state worth showing. */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, name), animations: 'disabled', ...options });
}

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

/**
 * Clicks a control that closes its own page (the side panel's Close and Hide): the click may see the page close
 * before it returns, which is the point; any other failure is a failure.
 */
export async function clickToClose(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).click().catch((error: Error) => {
    if (!page.isClosed()) throw error;
  });
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
  /**
   * Runs an admin command of server/cli.ts against the same database, e.g. ['crm', 'add', origin, 'odoo'];
   * `extraEnv` for what only that command reads (HEADWAY_CRM_SECRET for `crm connect`).
   */
  cli(args: string[], extraEnv?: Record<string, string>): Promise<unknown>;
  /** SIGTERM, then wait for the process to exit. */
  stop(): Promise<void>;
  cleanup(): void;
}

/**
 * Starts `server/cli.ts serve --seed-demo --json` on a free port with a throwaway SQLite file, or on the
 * given port and data directory (a restart after stop(): same URL, same database); `demo.locale` 'ru' seeds the
 * Russian demo workspace (HEADWAY_LOCALE=ru).
 */
export async function startServer(again?: { dataDir: string; port: number }, demo: { locale?: 'en' | 'ru' } = {}): Promise<RunningServer> {
  const dataDir = again?.dataDir ?? mkdtempSync(join(tmpdir(), 'headway-e2e-db-'));
  const port = again?.port ?? (await freePort());
  // The sealed CRM credentials' key sits beside the database, so a connector test leaves nothing in the repo.
  const env = { ...process.env, DATABASE_URL: `file:${join(dataDir, 'headway.sqlite')}`, HEADWAY_SECRET_KEY_FILE: join(dataDir, 'secret.key'), HOST: '127.0.0.1', PORT: String(port), ...(demo.locale ? { HEADWAY_LOCALE: demo.locale } : {}) };
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
    async cli(args, extraEnv = {}) {
      const { stdout } = await promisify(execFile)(tsx, ['server/cli.ts', ...args, '--json'], { cwd: repoRoot, env: { ...env, ...extraEnv } });
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
  /**
   * Whether the extension opened its options page as it was installed (closed again, so no test finds a tab it did
   * not open). Chromium installs an extension loaded from the command line again at every launch, so a profile
   * launched again sees it too.
   */
  optionsOpenedAtInstall: boolean;
  /** The profile folder: launch again on it (`launchWithExtension({ profileDir })`) to restart the browser. */
  profileDir: string;
  /**
   * Opens the side panel beside `page` the way a user does, with a click on the CRM page (a trusted click is the
   * gesture the browser asks for), and returns the panel's page.
   */
  openPanel(page: Page): Promise<Page>;
  /** The side panel already open beside `page`; throws when none opens within `timeoutMs`. */
  panelOf(page: Page, timeoutMs?: number): Promise<Page>;
  /** A side panel page of any loaded extension at `path` (the bench's bare panel, say). */
  sidePanelAt(path: string, timeoutMs?: number): Promise<Page>;
  /** The browser's id of the tab `page` is. */
  tabIdOf(page: Page): Promise<number>;
  /** Opens the toolbar popup's page over the active tab and returns it. */
  openToolbarPopup(): Promise<Page>;
  /** Closes the browser; the profile is removed unless `keepProfile` (to launch it again). */
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

export interface LaunchOptions {
  /** Unpacked extension folders loaded beside ours (the bench's baselines, injected the same way). */
  alsoLoad?: readonly string[];
  /** A profile from an earlier launch: the browser restarts on it. */
  profileDir?: string;
  /** Headful, for key presses that only a real window turns into extension commands (needs a display). */
  headful?: boolean;
  /**
   * A real window of this size and no emulated viewport, so a page's innerWidth is what the window leaves it beside
   * an open side panel (the layout tests). Without it pages get Playwright's fixed 1280 × 720 viewport.
   */
  windowSize?: { width: number; height: number };
  /** With profileDir: the browser reopens the tabs of the last session, as it does for a user who set it to. */
  restoreSession?: boolean;
  /** The browser's language, e.g. 'ru-RU': what navigator.languages says on every page, extension pages included. */
  lang?: string;
}

/**
 * Chromium with the built extension loaded, in a fresh profile (or `profileDir`). The side panel is a page of the
 * extension that Playwright's persistent context does not list, so the browser also listens for the DevTools
 * protocol on a free port, and a second connection over it finds the panel (`openPanel`, `panelOf`).
 */
export async function launchWithExtension(options: LaunchOptions | readonly string[] = {}): Promise<LaunchedExtension> {
  const { alsoLoad = [], profileDir: reuse, headful = false, windowSize, restoreSession = false, lang } = Array.isArray(options) ? { alsoLoad: options as readonly string[] } : (options as LaunchOptions);
  const extensions = [extensionDir, ...alsoLoad].join(',');
  const profileDir = reuse ?? mkdtempSync(join(tmpdir(), 'headway-e2e-profile-'));
  const debuggingPort = await freePort();
  // navigator.languages comes from the profile's accept-languages, which extension pages (the side panel) read too.
  if (lang) {
    mkdirSync(join(profileDir, 'Default'), { recursive: true });
    const languages = [lang, lang.split('-')[0]].join(',');
    writeFileSync(join(profileDir, 'Default', 'Preferences'), JSON.stringify({ intl: { accept_languages: languages, selected_languages: languages } }));
  }
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: findChromium(),
    headless: !headful,
    ...(windowSize || headful ? { viewport: null } : {}),
    ...(lang ? { locale: lang } : {}),
    args: [
      ...(windowSize ? [`--window-size=${windowSize.width},${windowSize.height}`] : []),
      ...(restoreSession ? ['--restore-last-session'] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--remote-debugging-port=${debuggingPort}`,
      `--disable-extensions-except=${extensions}`,
      `--load-extension=${extensions}`,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  const optionsOpenedAtInstall = await closeOptionsOpenedAtInstall(context, extensionId);
  /**
   * DevTools connections, newest last. A connection lists the side panels open when it was made but not the ones
   * opened after (Chromium 156 does not auto-attach it to them), and may still list one that just closed, so every
   * search connects again; the older connections stay while they hold a panel a test was given.
   */
  const devtools: Browser[] = [];
  let newestHoldsPanel = false;
  /** Pages of any extension, as a fresh DevTools connection lists them. */
  const devtoolsPages = async () => {
    if (devtools.length > 0 && !newestHoldsPanel) await devtools.pop()!.close().catch(() => undefined);
    devtools.push(await chromium.connectOverCDP(`http://127.0.0.1:${debuggingPort}`));
    newestHoldsPanel = false;
    return devtools.at(-1)!.contexts().flatMap((each) => each.pages());
  };
  async function sidePanelWhere(matches: (url: URL) => boolean, timeoutMs: number, what: string): Promise<Page> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const panel = (await devtoolsPages()).find((candidate) => !candidate.isClosed() && matches(new URL(candidate.url())));
      if (panel) {
        newestHoldsPanel = true;
        await panel.waitForLoadState('domcontentloaded');
        return panel;
      }
      if (Date.now() > deadline) throw new Error(`No side panel opened ${what} within ${timeoutMs} ms.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  async function tabIdOf(page: Page): Promise<number> {
    // A title only this tab has for a moment tells it from other tabs on the same URL.
    const marker = `headway-tab-${Math.random().toString(36).slice(2)}`;
    const title = await page.evaluate((name) => {
      const before = document.title;
      document.title = name;
      return before;
    }, marker);
    type Chrome = { chrome: { tabs: { query(q: object): Promise<{ id: number }[]> } } };
    const found = await worker.evaluate(async (name) => (await (globalThis as unknown as Chrome).chrome.tabs.query({ title: name })).map((tab) => tab.id), marker);
    await page.evaluate((before) => (document.title = before), title);
    if (found.length !== 1) throw new Error(`No single tab found for ${page.url()}.`);
    return found[0]!;
  }
  async function panelOf(page: Page, timeoutMs = 10_000): Promise<Page> {
    const tab = String(await tabIdOf(page));
    // (URL.origin is "null" for chrome-extension: URLs in Node: the host names the extension.)
    return sidePanelWhere((url) => url.host === extensionId && url.pathname === '/panel.html' && url.searchParams.get('tab') === tab, timeoutMs, `beside ${page.url()}`);
  }
  return {
    context,
    extensionId,
    worker,
    profileDir,
    optionsOpenedAtInstall,
    tabIdOf,
    panelOf,
    sidePanelAt: (path, timeoutMs = 10_000) => sidePanelWhere((url) => url.protocol === 'chrome-extension:' && url.pathname === path, timeoutMs, `at ${path}`),
    async openToolbarPopup() {
      // Headless Chromium has no toolbar to show the popup from: the popup page opens in a window of its own that
      // does not take the focus, so "the current tab" is still the CRM tab, as it is for the real popup.
      const opened = context.waitForEvent('page', { predicate: (page) => page.url().endsWith('/popup.html'), timeout: 10_000 });
      type Chrome = { chrome: { windows: { create(options: object): Promise<unknown> }; runtime: { getURL(path: string): string } } };
      await worker.evaluate(() => {
        const { chrome } = globalThis as unknown as Chrome;
        return chrome.windows.create({ url: chrome.runtime.getURL('popup.html'), type: 'popup', focused: false, width: 380, height: 600 });
      });
      const popup = await opened;
      await popup.waitForLoadState('domcontentloaded');
      return popup;
    },
    async openPanel(page) {
      // A point where the click lands on the page's background, not on a link or button of the CRM.
      const point = await page.evaluate(() => {
        for (const [x, y] of [[innerWidth - 3, innerHeight - 3], [3, innerHeight - 3], [innerWidth - 3, 3], [innerWidth / 2, innerHeight - 3]]) {
          const target = document.elementFromPoint(x!, y!);
          if (!target || target === document.body || target === document.documentElement || !target.closest('a, button, input, select, textarea, [onclick], [role="button"]')) return { x: x!, y: y! };
        }
        return { x: innerWidth - 3, y: innerHeight - 3 };
      });
      // The page's script arms its click handler once the background answered its port, a moment after the record
      // is read: a click before that opens nothing, as it would for a user that quick, so the click comes again.
      for (let attempt = 1; ; attempt += 1) {
        await page.mouse.click(point.x, point.y);
        try {
          return await panelOf(page, attempt < 3 ? 2000 : 10_000);
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    },
    async close({ keepProfile = false } = {}) {
      for (const connection of devtools) await connection.close().catch(() => undefined);
      await context.close().catch(() => undefined);
      if (!keepProfile) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Waits up to 10 s for the options page an install opens (extension/background/hub.ts), closes it, and says whether it came. */
async function closeOptionsOpenedAtInstall(context: BrowserContext, extensionId: string): Promise<boolean> {
  const isOptions = (page: Page) => page.url() === `chrome-extension://${extensionId}/options.html`;
  // Polled: a new tab's page may be announced before it has its URL.
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const page = context.pages().find(isOptions);
    if (page) {
      await page.close();
      return true;
    }
  }
  return false;
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
