import { randomUUID } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firefoxExtensionDir, startServer, type RunningServer } from './harness';

/** FIREFOX_PATH, or Debian's firefox-esr. Throws (never skips) when neither is there. */
function findFirefox(): string {
  const candidates = process.env.FIREFOX_PATH ? [process.env.FIREFOX_PATH] : ['/usr/bin/firefox-esr', '/usr/bin/firefox'];
  const found = candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!found) throw new Error(`The Firefox smoke test needs Firefox: apt-get install -y firefox-esr, or set FIREFOX_PATH (looked for ${candidates.join(', ')}).`);
  return found;
}

/** `browser` in the extension's own pages (these functions run there, not in Node). */
type ExtensionGlobal = {
  browser: {
    tabs: { query(query: object): Promise<{ id?: number; url?: string }[]> };
    scripting: { getRegisteredContentScripts(): Promise<{ matches?: string[] }[]> };
    alarms: { get(name: string): Promise<unknown> };
  };
};

/**
 * Opens an extension page. Firefox 153's WebDriver BiDi answers a navigation to a moz-extension:// page with an error
 * (or a timeout) although the page loads, so the page is waited for by what it shows instead.
 */
async function openExtensionPage(page: Page, url: string, selector: string): Promise<void> {
  await page.goto(url, { timeout: 3000 }).catch(() => undefined);
  await page.waitForSelector(selector, { timeout: 15_000 });
}

/**
 * The Firefox build (.output/firefox-mv2) installed in real Firefox ESR over WebDriver BiDi: it installs, pairs and
 * shows a demo deal in its sidebar page, so Firefox cannot break unnoticed. The sidebar page is opened in a tab
 * for the deal's tab (panel.html?tab=<id>), as Chromium's side panel is: headless Firefox shows no sidebar.
 */
describe('Headway in Firefox', () => {
  let server: RunningServer;
  let firefox: Browser;
  const profileDir = mkdtempSync(join(tmpdir(), 'headway-e2e-firefox-'));
  // A fixed moz-extension:// host for the add-on, so its pages have known URLs.
  const uuid = randomUUID();
  const extensionUrl = (path: string) => `moz-extension://${uuid}/${path}`;
  type GeckoManifest = { browser_specific_settings: { gecko: { id: string; data_collection_permissions?: { required?: string[] } } } };
  let manifest: GeckoManifest;

  it('declares what data leaves the browser, which Firefox requires of new extensions', () => {
    expect(manifest.browser_specific_settings.gecko.data_collection_permissions?.required?.length).toBeGreaterThan(0);
  });

  beforeAll(async () => {
    manifest = JSON.parse(readFileSync(join(firefoxExtensionDir, 'manifest.json'), 'utf8')) as GeckoManifest;
    server = await startServer();
    firefox = await puppeteer.launch({
      browser: 'firefox',
      executablePath: findFirefox(),
      headless: true,
      userDataDir: profileDir,
      extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [manifest.browser_specific_settings.gecko.id]: uuid }) },
    });
  });

  afterAll(async () => {
    await firefox?.close().catch(() => undefined);
    server?.cleanup();
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('installs, pairs, and shows the demo deal in its sidebar page', async () => {
    await firefox.installExtension(firefoxExtensionDir);

    // The tab Firefox started with: its BiDi refuses to navigate a tab it opened later to a moz-extension:// page.
    const options = (await firefox.pages())[0]!;
    await openExtensionPage(options, extensionUrl('options.html'), '#server-url');
    await options.type('#server-url', server.url);
    await options.type('#pairing-code', server.pairingCode);
    await options.click('button[type="submit"]');
    await options.waitForSelector('[data-testid="account-name"]', { timeout: 15_000 });
    // Loopback is granted at install; the CRM script is registered there once the session is stored.
    await options.waitForFunction(
      async () => (await (globalThis as unknown as ExtensionGlobal).browser.scripting.getRegisteredContentScripts()).some((script) => script.matches?.includes('http://127.0.0.1/*')),
      { timeout: 15_000, polling: 200 },
    );
    // The background page's poke channel said ready (a WebSocket, token in its first message): the fallback poll is off.
    await options.waitForFunction(async () => !(await (globalThis as unknown as ExtensionGlobal).browser.alarms.get('headway-sync-poll')), { timeout: 15_000, polling: 200 });

    const deal = await firefox.newPage();
    await deal.goto(`${server.url}/demo/index.php?module=Opportunities&action=index`);
    await Promise.all([deal.waitForNavigation(), deal.click('a[href*="module=Opportunities"][href*="action=DetailView"]')]);
    const name = await deal.$eval('h2.module-title-text', (heading) => heading.textContent?.trim() ?? '');
    expect(name).not.toBe('');
    const dealUrl = deal.url();
    const tabId = await options.evaluate(
      async (url) => (await (globalThis as unknown as ExtensionGlobal).browser.tabs.query({})).find((tab) => tab.url === url)?.id,
      dealUrl,
    );
    expect(tabId, `no Firefox tab shows ${dealUrl}`).toBeTypeOf('number');

    // From one extension page to another the page navigates itself: BiDi refuses that navigation as well.
    const panel = options;
    await panel.evaluate((url) => location.assign(url), extensionUrl(`panel.html?tab=${tabId}`));
    await panel.waitForSelector('[data-testid="record-title"]', { timeout: 15_000 });
    await panel.waitForFunction((expected) => document.querySelector('[data-testid="record-title"]')?.textContent === expected, { timeout: 15_000 }, name);
    expect(await panel.$eval('[data-testid="record-type"]', (element) => element.textContent)).toBe('Deal');
  });
});
