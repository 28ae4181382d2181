import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickToClose, launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { pairAsHead, serveFixtures, type FixtureServer } from './fixtures/crm-fixtures';

/** `chrome` in the extension's worker (these functions run there, not in Node). */
type WorkerChrome = { chrome: { storage: { local: { get(key: string | null): Promise<Record<string, unknown>> } } } };

/**
 * The side panel's life beside a CRM tab, in a real 1280 px window: it opens at a click on a record, narrows the
 * CRM's own viewport, closes and stays closed on that site, comes back from the toolbar, hides per site (the page's
 * script then does nothing there), and stands aside when the tab leaves the CRM.
 */
describe('the side panel beside a CRM tab', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  let elsewhere: FixtureServer;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    elsewhere = await serveFixtures(() => '<!doctype html><title>Intranet</title><h1>Not a CRM</h1>');
    extension = await launchWithExtension({ windowSize: { width: 1280, height: 800 } });
    extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    await pairAsHead(extension, server);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
    await elsewhere?.close();
  });

  const sitePrefs = () =>
    extension.worker.evaluate(async (key) => (await (globalThis as unknown as WorkerChrome).chrome.storage.local.get(key))[key], `headway.site:${server.url}`);
  const width = (page: Page) => page.evaluate(() => innerWidth);
  const panelCount = async (page: Page) => extension.panelOf(page, 1500).then(() => 1, () => 0);

  async function openDemoDeal(page: Page): Promise<string> {
    await page.goto(`${server.url}/demo/index.php?module=Opportunities&action=index`);
    await page.locator('a[href*="module=Opportunities"][href*="action=DetailView"]').first().click();
    await page.waitForURL(/module=Opportunities&action=DetailView/);
    return (await page.locator('h2.module-title-text').textContent())!.trim();
  }

  it('opens at a click on a record, narrows the CRM’s viewport, and closes for the site until asked again', async () => {
    const page = await extension.context.newPage();
    // A list page is a CRM page but no record: a click there opens nothing.
    await page.goto(`${server.url}/demo/index.php?module=Opportunities&action=index`);
    await page.mouse.click(5, 700);
    expect(await panelCount(page)).toBe(0);
    const dealName = await openDemoDeal(page);
    const full = await width(page);
    const panel = await extension.openPanel(page);
    await expect.poll(() => panel.getByTestId('record-title').textContent()).toBe(dealName);
    // The browser took the panel's width from the page: the CRM lays itself out in what is left.
    await expect.poll(() => width(page)).toBeLessThanOrEqual(full - (await panel.evaluate(() => innerWidth)));

    // Closed from the panel: the page has its width back, and a click on this site no longer opens it.
    await clickToClose(panel, 'sidebar-collapse');
    await expect.poll(() => width(page)).toBe(full);
    expect(await sitePrefs()).toEqual({ collapsed: true, hidden: false });
    // The closed panel's page may linger a moment on a busy machine: gone first, so the click below is what is judged.
    await expect.poll(() => panelCount(page), { timeout: 10_000 }).toBe(0);
    await page.reload();
    await page.mouse.click(5, 700);
    expect(await panelCount(page)).toBe(0);

    // The toolbar's button brings it back, and the site opens it at a click again.
    const popup = await extension.openToolbarPopup();
    await popup.getByTestId('open-panel').click();
    const again = await extension.panelOf(page);
    await expect.poll(() => again.getByTestId('record-title').textContent()).toBe(dealName);
    await expect.poll(() => sitePrefs()).toEqual({ collapsed: false, hidden: false });
    await page.close();
  });

  it('remembers the browser’s own close button for the site, but not a tab closed with its panel', async () => {
    const page = await extension.context.newPage();
    await openDemoDeal(page);
    await extension.openPanel(page);
    const tabId = await extension.tabIdOf(page);
    type SidePanelChrome = { chrome: { sidePanel: { close(options: { tabId: number }): Promise<void> } } };
    // What the panel header's × does in Chromium: the browser closes the panel; the extension hears of it.
    await extension.worker.evaluate((id) => (globalThis as unknown as SidePanelChrome).chrome.sidePanel.close({ tabId: id }), tabId);
    await expect.poll(() => sitePrefs()).toEqual({ collapsed: true, hidden: false });

    const popup = await extension.openToolbarPopup();
    await popup.getByTestId('open-panel').click();
    await extension.panelOf(page);
    await expect.poll(() => sitePrefs()).toEqual({ collapsed: false, hidden: false });
    await page.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await sitePrefs()).toEqual({ collapsed: false, hidden: false });
  });

  it('hides Headway on a site: the panel goes, the page’s script does nothing there, and the toolbar brings it back', async () => {
    const page = await extension.context.newPage();
    const dealName = await openDemoDeal(page);
    const panel = await extension.openPanel(page);
    await clickToClose(panel, 'hide-site');
    await expect.poll(() => panel.isClosed()).toBe(true);
    expect(await sitePrefs()).toEqual({ collapsed: false, hidden: true });

    await page.reload();
    await page.mouse.click(5, 700);
    expect(await panelCount(page)).toBe(0);
    // The content script started, read its prefs, and stopped: it never recognised or reported the page.
    expect(await page.evaluate(() => [performance.getEntriesByName('headway:start').length, performance.getEntriesByName('headway:reported').length])).toEqual([1, 0]);

    const popup = await extension.openToolbarPopup();
    await popup.getByTestId('open-panel').click();
    const back = await extension.panelOf(page);
    await expect.poll(() => back.getByTestId('record-title').textContent()).toBe(dealName);
    expect(await sitePrefs()).toEqual({ collapsed: false, hidden: false });
    await page.close();
  });

  it('stands aside when the tab leaves the CRM, so other sites keep their width', async () => {
    const page = await extension.context.newPage();
    await openDemoDeal(page);
    const panel = await extension.openPanel(page);
    await page.goto(`${elsewhere.origin.replace('127.0.0.1', 'localhost')}/`);
    await expect.poll(() => panel.isClosed(), { timeout: 10_000 }).toBe(true);
    expect(await width(page)).toBe(1280);
    await page.close();
  });

  it('raised no errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
