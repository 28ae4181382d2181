import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressDealsResponse, ProgressResponse, type Deal } from '../../core/schema';
import { deviceToken, getAs, pairAsHead, sidebarText } from './fixtures/crm-fixtures';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { pair, pairingCodeFor } from './notes-support';

// The sidebar's "Winning this deal: X % → Y % this month" on the seeded Northwind demo, in real Chromium. The figures
// are worked out here from the server's own answers (the department's month progress and the deal's amount), not
// with core/plan's ifWon that the sidebar uses, so a slip in either shows.
describe('the sidebar’s “winning this deal” line on a demo deal page, signed in as the head of sales', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  let token = '';

  const api = <T,>(path: string, schema: { parse(value: unknown): T }): Promise<T> => getAs(server, token, path, schema);

  beforeAll(async () => {
    server = await startServer();
    extension = await launchWithExtension();
    await pairAsHead(extension, server);
    token = await deviceToken(extension);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
  });

  /** The deal's page and the side panel beside it, once the panel shows the deal. */
  async function openDeal(deal: Deal): Promise<{ page: Page; panel: Page }> {
    const page = await extension.context.newPage();
    await page.goto(deal.url!);
    const panel = await extension.openPanel(page);
    await expect.poll(() => sidebarText(panel, 'record-title'), { timeout: 10_000 }).toBe(deal.title);
    return { page, panel };
  }

  /** Open sales deals of the demo in the department's currency (no rate in play), largest first. */
  async function openSales(currency: string): Promise<Deal[]> {
    const open = await api('/api/progress/deals?period=year&kind=sale&status=open&limit=1000', ProgressDealsResponse);
    return open.deals
      .filter((deal) => deal.kind === 'sale' && deal.currency === currency && (deal.amount ?? 0) > 0 && deal.url)
      .sort((a, b) => b.amount! - a.amount!);
  }

  it('shows the department’s month attainment now and after winning the open deal, as the server’s figures give them', async () => {
    const month = await api('/api/progress?period=month&kind=sale', ProgressResponse);
    const department = month.department;
    expect(department.planned && department.target > 0, 'the demo plans the department’s month').toBe(true);
    const [deal] = await openSales(department.currency);
    expect(deal, 'the demo has an open sale in the reporting currency').toBeDefined();

    const before = Math.round((department.actual / department.target) * 100);
    const after = Math.round(((department.actual + deal!.amount!) / department.target) * 100);
    expect(Math.round(department.attainmentPct!)).toBe(before);
    expect(after).toBeGreaterThan(before);

    const { page, panel } = await openDeal(deal!);
    await expect.poll(() => sidebarText(panel, 'if-won'), { timeout: 10_000 }).toBe(`Winning this deal: the department’s sales plan ${before} % → ${after} % this month`);
    await page.close();
  });

  it('for a manager, counts the deal against their own month plan, and only on their own deals', async () => {
    const month = await api('/api/progress?period=month&kind=sale', ProgressResponse);
    const priya = month.managers.find((row) => row.name === 'Priya Shah')!;
    expect(priya.planned && priya.target > 0, 'the demo plans Priya’s month').toBe(true);
    const sales = await openSales(priya.currency);
    const own = sales.find((deal) => deal.ownerId === priya.ownerId);
    const colleagues = sales.find((deal) => deal.ownerId !== null && deal.ownerId !== priya.ownerId);
    expect(own && colleagues, 'the demo has open sales of Priya and of a colleague').toBeTruthy();

    const before = Math.round((priya.actual / priya.target) * 100);
    const after = Math.round(((priya.actual + own!.amount!) / priya.target) * 100);
    const browser = await launchWithExtension();
    try {
      await pair(browser, server, await pairingCodeFor(server, 'priya.shah@northwind.example'));
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(own!.url!);
      const panel = await browser.openPanel(page);
      await expect.poll(() => sidebarText(panel, 'if-won'), { timeout: 10_000 }).toBe(`Winning this deal: your sales plan ${before} % → ${after} % this month`);
      expect(await sidebarText(panel, 'my-progress')).toMatch(/^My plan · sales/);

      // A colleague's deal would not move Priya's plan: no line, once the plan bars show the answer arrived.
      await page.goto(colleagues!.url!);
      await expect.poll(() => sidebarText(panel, 'record-title'), { timeout: 10_000 }).toBe(colleagues!.title);
      await expect.poll(() => panel.getByTestId('progress-bar').count(), { timeout: 10_000 }).toBe(3);
      expect(await panel.getByTestId('if-won').count()).toBe(0);
      await page.close();
    } finally {
      await browser.close();
    }
  });

  it('on a purchase, shows the purchase plan and what winning the purchase does to it, never the sales plan', async () => {
    const open = await api('/api/progress/deals?period=year&kind=purchase&status=open&limit=1000', ProgressDealsResponse);
    const month = await api('/api/progress?period=month&kind=purchase', ProgressResponse);
    const department = month.department;
    expect(department.planned && department.target > 0, 'the demo plans the department’s purchases this month').toBe(true);
    const purchase = open.deals.find((deal) => deal.kind === 'purchase' && deal.currency === department.currency && (deal.amount ?? 0) > 0 && deal.url);
    expect(purchase, 'the demo has an open purchase in the reporting currency').toBeDefined();
    const planned = await Promise.all(
      (['month', 'quarter', 'year'] as const).map(async (unit) => {
        const { department: scope } = await api(`/api/progress?period=${unit}&kind=purchase`, ProgressResponse);
        return scope.planned && scope.target > 0;
      }),
    );
    const { page, panel } = await openDeal(purchase!);
    await expect.poll(() => sidebarText(panel, 'progress-plan'), { timeout: 10_000 }).toBe('Department plan · purchases');
    expect(await panel.getByTestId('progress-bar').count()).toBe(planned.filter(Boolean).length);
    const before = Math.round((department.actual / department.target) * 100);
    const after = Math.round(((department.actual + purchase!.amount!) / department.target) * 100);
    await expect.poll(() => sidebarText(panel, 'if-won'), { timeout: 10_000 }).toBe(`Winning this deal: the department’s purchase plan ${before} % → ${after} % this month`);
    await page.close();
  });
});
