import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { fixture, pairAsHead, serveFixtures, sidebarText, type FixtureServer } from './fixtures/crm-fixtures';

/**
 * DESIGN.md's budget for SPA navigation → the side panel shows the new record is 100 ms, measured by
 * `npm run bench` (test/bench/spa-navigation.ts) beside the page's own render. Here, on a CI box running other
 * suites, the bound only tells a navigation followed at once from one picked up by a poll or a timed re-read
 * (those take 500 ms and more): CI measured 106 ms twice on an event-driven path.
 */
const BUDGET_MS = 250;

/** One navigation the page performs itself, and the record title (or other panel text) the panel must then show. */
type Step = { navigate: string; expectTitle?: string; expectInPanel?: string };

/**
 * Runs the steps and times each one: in the page, right before the navigation call (for Back: at its popstate,
 * when the URL actually changes), and in the side panel, when a MutationObserver sees record-title show the expected
 * text. Page and panel are two processes: both take performance.timeOrigin + performance.now(), the same clock.
 */
async function timeNavigations(page: Page, panel: Page, steps: Step[]): Promise<{ step: string; ms: number | null }[]> {
  await panel.evaluate(() => {
    const seen: { at: number; title: string; text: string }[] = [];
    (globalThis as unknown as { seen: typeof seen }).seen = seen;
    new MutationObserver(() => {
      const title = document.querySelector('[data-testid="record-title"]')?.textContent ?? '';
      const text = document.querySelector('[data-testid="sidebar-panel"]')?.textContent ?? '';
      seen.push({ at: performance.timeOrigin + performance.now(), title, text });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const timings: { step: string; ms: number | null }[] = [];
  for (const { navigate, expectTitle, expectInPanel } of steps) {
    const started = await page.evaluate(async (navigate) => {
      let started = performance.timeOrigin + performance.now();
      // history.back() changes the URL later, once the browser process has answered: time it from the popstate.
      const back = navigate.startsWith('history.back') ? new Promise<void>((resolve) => addEventListener('popstate', () => resolve(), { once: true, capture: true })) : null;
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the step is the test's own code, run in the page
      new Function(navigate)();
      if (back) {
        await back;
        started = performance.timeOrigin + performance.now();
      }
      return started;
    }, navigate);
    let shownAt: number | null = null;
    for (const deadline = Date.now() + 3000; shownAt === null && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 25))) {
      shownAt = await panel.evaluate(
        ({ started, expectTitle, expectInPanel }) =>
          (globalThis as unknown as { seen: { at: number; title: string; text: string }[] }).seen.find(
            (entry) => entry.at >= started && (expectTitle !== null ? entry.title === expectTitle : entry.text.includes(expectInPanel!)),
          )?.at ?? null,
        { started, expectTitle: expectTitle ?? null, expectInPanel: expectInPanel ?? null },
      );
    }
    timings.push({ step: navigate, ms: shownAt === null ? null : shownAt - started });
    await page.waitForTimeout(150);
  }
  return timings;
}

/**
 * Loads `url`, opens the side panel beside it, then runs the steps; every step must show its record within the
 * budget. A run with a step over budget is repeated once from a fresh load: on a busy 2-core CI box one scheduler
 * stall must not fail the build, while a slow mechanism (a poll, a timed re-read) misses the budget in both runs.
 */
async function expectWithinBudget(extension: LaunchedExtension, page: Page, url: string, firstTitle: string, steps: Step[], label: string): Promise<Page> {
  let timings: { step: string; ms: number | null }[] = [];
  let panel: Page | undefined;
  for (let run = 1; run <= 2; run += 1) {
    await page.goto(url);
    panel ??= await extension.openPanel(page);
    await expect.poll(() => panel!.getByTestId('record-title').textContent(), { timeout: 15_000 }).toBe(firstTitle);
    timings = await timeNavigations(page, panel, steps);
    console.info(`${label}, run ${run} (ms):`, JSON.stringify(timings.map(({ ms }) => (ms === null ? null : Math.round(ms * 10) / 10))));
    if (timings.every(({ ms }) => ms !== null && ms <= BUDGET_MS)) break;
  }
  for (const { step, ms } of timings) {
    expect(ms, `${step}: the panel did not show the new record`).not.toBeNull();
    expect(ms!, `${step}: ${ms} ms`).toBeLessThanOrEqual(BUDGET_MS);
  }
  return panel!;
}

describe('single-page CRMs: the side panel follows pushState and hash navigation', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  let odoo: FixtureServer;
  let suite: FixtureServer;
  let bitrix: FixtureServer;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    odoo = await serveFixtures((url) => (url.pathname.startsWith('/odoo') ? fixture('spa-crm/odoo.html') : null));
    suite = await serveFixtures((url) => (url.pathname === '/' ? fixture('spa-crm/suite8.html') : null));
    const deals: Record<string, [string, string]> = { '42': ['Equipment supply', '120 000 ₽'], '43': ['Service contract', '$8,400'] };
    bitrix = await serveFixtures((url) => {
      if (url.pathname === '/crm/deal/list/') return fixture('bitrix24/list.html');
      const deal = /^\/crm\/deal\/details\/(\d+)\/$/.exec(url.pathname)?.[1];
      const found = deal ? deals[deal] : undefined;
      return found ? fixture('bitrix24/deal.html').replaceAll('{{TITLE}}', found[0]).replaceAll('{{AMOUNT}}', found[1]) : null;
    });
    server = await startServer();
    await server.cli(['crm', 'add', odoo.origin, 'odoo']);
    await server.cli(['crm', 'add', suite.origin, 'suitecrm']);
    await server.cli(['crm', 'add', bitrix.origin, 'bitrix24']);
    extension = await launchWithExtension({ windowSize: { width: 1280, height: 800 } });
    extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
    await pairAsHead(extension, server);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
    await Promise.all([odoo?.close(), suite?.close(), bitrix?.close()]);
  });

  it('shows each record at once after a pushState (Odoo 17.2+ routes) and of Back', async () => {
    const page = await extension.context.newPage();
    const panel = await expectWithinBudget(
      extension,
      page,
      `${odoo.origin}/odoo/crm/1`,
      'Fleet renewal – Contoso',
      [
        { navigate: 'openRecord(2)', expectTitle: 'Warehouse racking – Fabrikam' },
        { navigate: 'openRecord(3)', expectTitle: 'Solar roof – Northwind' },
        { navigate: 'openRecord(4)', expectTitle: 'Forklift lease – Tailspin' },
        { navigate: 'history.back()', expectTitle: 'Solar roof – Northwind' },
        { navigate: 'openRecord(5)', expectTitle: 'Cold chain audit – Litware' },
        // A pushState that changes nothing on screen: no DOM batch, no poll; only the Navigation API tells.
        { navigate: "history.pushState({}, '', '/odoo/crm/77')", expectInPanel: 'ID 77' },
        { navigate: 'history.back()', expectInPanel: 'ID 5' },
        { navigate: 'openRecord(6)', expectTitle: 'Dock doors – Adventure Works' },
      ],
      'pushState navigation → panel, including the fixture’s 15 ms load',
    );
    expect(await panel.getByTestId('record-type').textContent()).toBe('Deal');
    // The id and the amount follow too, not just the title.
    expect(await panel.getByTestId('sidebar-panel').textContent()).toMatch(/ID 6.*18,250/);
    await page.close();
  });

  it('shows each record at once after a hash change (SuiteCRM 8 routes), and says when the page is a list', async () => {
    const page = await extension.context.newPage();
    const go = (n: number) => `location.hash = '#/opportunities/record/0b1e6a52-1c11-4c1e-9d62-00000000000${n}'`;
    const panel = await expectWithinBudget(
      extension,
      page,
      `${suite.origin}/#/opportunities/record/0b1e6a52-1c11-4c1e-9d62-000000000001`,
      'Annual maintenance – Globex',
      [
        { navigate: go(2), expectTitle: 'Packaging line upgrade – Initech' },
        { navigate: go(3), expectTitle: 'Spare parts framework – Umbrella' },
        { navigate: 'history.back()', expectTitle: 'Packaging line upgrade – Initech' },
        { navigate: go(4), expectTitle: 'Training days – Hooli' },
        { navigate: go(5), expectTitle: 'Cloud migration – Stark' },
      ],
      'hash navigation → panel, including the fixture’s 20 ms resolve',
    );

    await page.evaluate(() => (location.hash = '#/opportunities'));
    await expect.poll(() => sidebarText(panel, 'not-a-record'), { timeout: 1000 }).toContain('is not a record');
    await page.close();
  });

  it('Bitrix24: shows the deal of the slider iframe, and the list page again when the slider closes', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${bitrix.origin}/crm/deal/list/`);
    // A list is no record, so a click on it opens nothing: the toolbar's button does.
    const popup = await extension.openToolbarPopup();
    await popup.getByTestId('open-panel').click();
    const panel = await extension.panelOf(page);
    await panel.getByTestId('not-a-record').waitFor({ timeout: 15_000 });

    await page.getByRole('link', { name: 'Equipment supply' }).click();
    // The deal is read in the slider's frame; the top window's URL is the deal's, but it stands aside for the slider.
    await expect.poll(() => sidebarText(panel, 'record-title'), { timeout: 10_000 }).toBe('Equipment supply');
    expect(await panel.getByTestId('record-type').textContent()).toBe('Deal');
    expect(page.url()).toBe(`${bitrix.origin}/crm/deal/details/42/`);

    // Another deal: the slider reloads with it.
    await page.getByRole('button', { name: 'Close' }).click();
    await panel.getByTestId('not-a-record').waitFor({ timeout: 2000 });
    await page.getByRole('link', { name: 'Service contract' }).click();
    await expect.poll(() => sidebarText(panel, 'record-title'), { timeout: 10_000 }).toBe('Service contract');
    await page.getByRole('button', { name: 'Close' }).click();
    await panel.getByTestId('not-a-record').waitFor({ timeout: 2000 });
    expect(page.url()).toBe(`${bitrix.origin}/crm/deal/list/`);

    // Opened directly (a link in a new tab), the deal page shows its record in the top frame.
    await page.goto(`${bitrix.origin}/crm/deal/details/43/`);
    await expect.poll(() => sidebarText(panel, 'record-title'), { timeout: 10_000 }).toBe('Service contract');
    await page.close();
  });

  it('raised no errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
