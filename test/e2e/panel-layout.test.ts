import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickToClose, launchWithExtension, repoRoot, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { pairAsHead, serveFixtures, type FixtureServer } from './fixtures/crm-fixtures';

const layoutFixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures', name), 'utf8');

/** Each CRM layout fixture, where its CRM shows a record, and the title the panel must show for it. */
const LAYOUTS = [
  { file: 'layouts/suitecrm7-suitep.html', crm: 'suitecrm', path: '/index.php?module=Opportunities&action=DetailView&record=5f1a0c0e-2b3d-4e5f-a6b7-c8d9e0f1a2b3' },
  { file: 'layouts/salesforce-lightning.html', crm: 'salesforce', path: '/lightning/r/Opportunity/006000000000001AAA/view' },
  { file: 'layouts/bitrix24-deal.html', crm: 'bitrix24', path: '/crm/deal/details/42/' },
] as const;

const WINDOW_WIDTHS = [1280, 1440, 1920];

/** Resizes the browser window `page` is in (a real window: the side panel takes its width from it). */
async function setWindowWidth(page: Page, width: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const { windowId } = (await cdp.send('Browser.getWindowForTarget')) as { windowId: number };
  await cdp.send('Browser.setWindowBounds', { windowId, bounds: { width, height: 800, windowState: 'normal' } });
  await cdp.detach();
}

/**
 * Every visible element marked data-hit, hit-tested in the page at its left edge and its centre: what
 * document.elementFromPoint finds there must be the element or inside it, and the element must lie inside the
 * viewport. Returns the misses (empty when all is well) and the names of the elements it tested.
 */
const hitTest = (page: Page) =>
  page.evaluate(() => {
    const misses: string[] = [];
    const tested: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('[data-hit]')) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue; // folded away by the CRM's own media query
      const name = element.dataset.hit!;
      tested.push(name);
      if (rect.left < 0 || rect.right > innerWidth || rect.top < 0 || rect.bottom > innerHeight) misses.push(`${name}: outside the viewport`);
      const y = rect.top + rect.height / 2;
      for (const [where, x] of [['left edge', rect.left + 2], ['centre', rect.left + rect.width / 2]] as const) {
        const found = document.elementFromPoint(x, y);
        if (!found || !(found === element || element.contains(found))) misses.push(`${name} at its ${where}: ${found?.outerHTML.slice(0, 80) ?? 'nothing'}`);
      }
    }
    return { misses, tested };
  });

/** What a page is, as far as Headway could have touched it: its markup and the styles on <html> and <body>. */
const pageState = (page: Page) =>
  page.evaluate(() => {
    const style = (element: Element) => {
      const computed = getComputedStyle(element);
      return [computed.margin, computed.padding, computed.width, computed.transform, computed.position].join(' ');
    };
    return { html: document.documentElement.outerHTML, htmlStyle: style(document.documentElement), bodyStyle: style(document.body) };
  });

describe('the side panel on real CRM layouts', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  const crms: FixtureServer[] = [];
  let espo: FixtureServer;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    for (const layout of LAYOUTS) {
      const crm = await serveFixtures((url) => (`${url.pathname}${url.search}` === layout.path ? layoutFixture(layout.file) : null));
      crms.push(crm);
      await server.cli(['crm', 'add', crm.origin, layout.crm]);
    }
    espo = await serveFixtures((url) => (url.pathname === '/' ? layoutFixture('spa-body/espocrm-like.html') : null));
    await server.cli(['crm', 'add', espo.origin, 'espocrm']);
    extension = await launchWithExtension({ windowSize: { width: 1280, height: 800 } });
    extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    await pairAsHead(extension, server);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
    await Promise.all([...crms, espo].map((crm) => crm?.close()));
  });

  for (const [index, layout] of LAYOUTS.entries()) {
    it(`${layout.file}: the record title and main actions stay visible and clickable with the panel open at ${WINDOW_WIDTHS.join(', ')} px, and the page is untouched`, async () => {
      const page = await extension.context.newPage();
      await page.goto(`${crms[index]!.origin}${layout.path}`);
      const title = (await page.locator('[data-hit="record title"]').textContent())!.trim();
      const before = await pageState(page);

      const panel = await extension.openPanel(page);
      await expect.poll(() => panel.getByTestId('record-title').textContent()).toBe(title);
      for (const width of WINDOW_WIDTHS) {
        await setWindowWidth(page, width);
        const panelWidth = await panel.evaluate(() => innerWidth);
        // The page gets what the window leaves beside the panel, so the CRM's own media queries see it.
        await expect.poll(() => page.evaluate(() => innerWidth)).toBeLessThanOrEqual(width - panelWidth);
        const { misses, tested } = await hitTest(page);
        console.info(`${layout.file} at ${width} px (page ${await page.evaluate(() => innerWidth)} px): ${tested.join(', ')}`);
        expect(misses, `${layout.file} at ${width} px`).toEqual([]);
        expect(tested, `${layout.file} at ${width} px`).toContain('record title');
        expect(tested.length, `${layout.file} at ${width} px: ${tested.join(', ')}`).toBeGreaterThanOrEqual(3);
      }
      // With the panel open, and after it closed, the page's markup and its <html> and <body> styles are as they were.
      await setWindowWidth(page, 1280);
      expect(await pageState(page).then((state) => state.html)).toBe(before.html);
      await clickToClose(panel, 'sidebar-collapse');
      await expect.poll(() => page.evaluate(() => innerWidth)).toBe(1280);
      expect(await pageState(page)).toEqual(before);
      // Closing is remembered per site; this test opens the next site's panel afresh.
      await page.close();
    });
  }

  it('the hit test catches a control that something in the page covers (what an in-page sidebar did)', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${crms[0]!.origin}${LAYOUTS[0].path}`);
    expect((await hitTest(page)).misses).toEqual([]);
    // A 300 px panel fixed over the right edge, as the old in-page sidebar was: the record's buttons lie under it.
    await page.evaluate(() => {
      const cover = document.createElement('div');
      cover.style.cssText = 'position:fixed;top:0;right:0;bottom:0;width:300px;z-index:2147483647;background:#fff';
      document.body.append(cover);
    });
    const { misses } = await hitTest(page);
    expect(misses.some((miss) => miss.startsWith('Actions at its centre'))).toBe(true);
    await page.close();
  });

  it('a single-page CRM that replaces <body> on boot and clears it on every navigation: the panel follows and nothing breaks', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${espo.origin}/#Opportunity/view/5f1a0c0e2b3d4e5f6`);
    // The app replaced the server's <body> with its own.
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.renders)).toBe('1');
    const panel = await extension.openPanel(page);
    await expect.poll(() => panel.getByTestId('record-title').textContent()).toBe('CME Robotics – Welding cells');

    await page.evaluate(() => (location.hash = '#Opportunity/view/5f1a0c0e2b3d4e5f7'));
    await expect.poll(() => panel.getByTestId('record-title').textContent(), { timeout: 2000 }).toBe('Harbor Foods – Cold storage');
    expect(await panel.getByTestId('sidebar-panel').textContent()).toContain('12,500');
    await page.evaluate(() => (location.hash = '#Opportunity'));
    await expect.poll(() => panel.getByTestId('not-a-record').count(), { timeout: 2000 }).toBe(1);
    await page.goBack();
    await expect.poll(() => panel.getByTestId('record-title').textContent(), { timeout: 2000 }).toBe('Harbor Foods – Cold storage');

    // A reload boots the app again (a new <body> once more); the same panel shows the record again.
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.renders)).toBe('1');
    await expect.poll(() => panel.getByTestId('record-title').textContent(), { timeout: 5000 }).toBe('Harbor Foods – Cold storage');
    expect(panel.isClosed()).toBe(false);
    // Nothing of Headway in the page for the app to remove or to trip over.
    expect(await page.evaluate(() => document.querySelectorAll('headway-sidebar, [data-headway], [id^="headway"]').length)).toBe(0);
    await page.close();
  });

  it('raised no errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
