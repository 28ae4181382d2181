import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadResponse, MoveRecord } from '../../core/schema';
import { shot, launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { deviceToken, pairAsHead, sidebarText } from './fixtures/crm-fixtures';
import { pair, pairingCodeFor } from './notes-support';

// The seeded Northwind demo: Priya Shah carries more than her capacity, Lukas Becker is away this week.
describe('the sidebar on the demo CRM, signed in as the head of sales', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  let token = '';

  const api = async <T,>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
    return (await response.json()) as T;
  };

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

  /** The deal's page and the side panel beside it, opened with a click on the page. */
  async function openDeal(url: string): Promise<{ page: Page; panel: Page }> {
    const page = await extension.context.newPage();
    await page.goto(url);
    const panel = await extension.openPanel(page);
    await panel.getByTestId('record-title').waitFor();
    return { page, panel };
  }

  it('names an overloaded owner, the suggested owner with the reason, and the department’s plan bars', async () => {
    const load = await api<LoadResponse>('/api/load');
    const move = load.moves.find((m) => m.fromName === 'Priya Shah' && m.why === 'rebalance')!;
    expect(move, 'the demo suggests moving one of Priya’s deals').toBeDefined();
    const { page, panel } = await openDeal(move.deal.url!);

    await expect.poll(() => sidebarText(panel, 'owner-line'), { timeout: 10_000 }).toMatch(/^Priya Shah · \d+ % of capacity · over$/);
    const suggestion = (await sidebarText(panel, 'owner-suggestion'))!;
    expect(suggestion.startsWith(`Suggested owner: ${move.toName}`)).toBe(true);
    expect(suggestion).toContain(move.reason);

    const bars = panel.getByTestId('progress-bar');
    await expect.poll(() => bars.count()).toBe(3);
    expect(await sidebarText(panel, 'my-progress')).toMatch(/^Department plan · sales/);
    expect(await bars.allTextContents()).toEqual([
      expect.stringMatching(/^This month\d+ %$/),
      expect.stringMatching(/^This quarter\d+ %$/),
      expect.stringMatching(/^This year\d+ %$/),
    ]);
    // The figures behind each bar are the server's own progress for the department.
    const month = await api<{ department: { attainmentPct: number | null } }>('/api/progress?period=month&kind=sale');
    expect(await bars.first().textContent()).toBe(`This month${Math.round(month.department.attainmentPct ?? 0)} %`);
    expect(await bars.first().getAttribute('title')).toMatch(/ won; .* expected by now, (ahead|behind) by /);

    await expect.poll(() => sidebarText(panel, 'sync-status'), { timeout: 10_000 }).toBe('Online · all saved');
    await shot(panel, 'sidebar-demo-deal.png');
    await page.close();
  });

  it('says who covers for an absent owner', async () => {
    const load = await api<LoadResponse>('/api/load');
    const cover = load.moves.find((m) => m.fromName === 'Lukas Becker' && m.why === 'cover')!;
    expect(cover, 'the demo asks for cover of Lukas’s deals').toBeDefined();
    const { page, panel } = await openDeal(cover.deal.url!);
    await expect.poll(() => sidebarText(panel, 'owner-line'), { timeout: 10_000 }).toMatch(/^Lukas Becker · away until \d{1,2} [A-Z][a-z]{2}$/);
    expect(await sidebarText(panel, 'owner-suggestion')).toMatch(new RegExp(`^Cover while away: ${cover.toName}`));
    await page.close();
  });

  it('shows an approved move as the step left to do in the CRM', async () => {
    const load = await api<LoadResponse>('/api/load');
    // Not the deal opened above: its owner lines are cached for 30 s (the head approves on the dashboard, then opens it).
    const move = load.moves.filter((m) => m.fromName === 'Priya Shah')[1]!;
    const approved = await api<MoveRecord>('/api/moves', { method: 'POST', body: JSON.stringify({ dealId: move.dealId, to: move.to, decide: 'approve' }) });
    expect(approved.status).toBe('approved');
    const { page, panel } = await openDeal(move.deal.url!);
    await expect.poll(() => sidebarText(panel, 'owner-move'), { timeout: 10_000 }).toBe(`Moving to ${move.toName} — change the owner in the CRM`);
    // The move is decided: no second suggestion beside it.
    expect(await panel.getByTestId('owner-suggestion').count()).toBe(0);
    await page.close();
  });

  it('shows a manager their own plan and their own load, in a browser paired as Priya', async () => {
    const load = await api<LoadResponse>('/api/load');
    const priyaDeal = load.moves.find((m) => m.fromName === 'Priya Shah' && m.why === 'rebalance')!;
    const own = await api<{ managers: { ownerId: string | null; name: string; attainmentPct: number | null }[] }>('/api/progress?period=month&kind=sale');
    const priya = own.managers.find((row) => row.name === 'Priya Shah')!;
    const browser = await launchWithExtension();
    try {
      await pair(browser, server, await pairingCodeFor(server, 'priya.shah@northwind.example'));
      const page = await browser.context.newPage();
      await page.goto(priyaDeal.deal.url!);
      const panel = await browser.openPanel(page);
      await expect.poll(() => sidebarText(panel, 'owner-line'), { timeout: 10_000 }).toMatch(/^Priya Shah · \d+ % of capacity · over$/);
      await expect.poll(() => sidebarText(panel, 'my-progress')).toMatch(/^My plan · sales/);
      expect(await panel.getByTestId('progress-bar').first().textContent()).toBe(`This month${Math.round(priya.attainmentPct ?? 0)} %`);
      await page.close();
    } finally {
      await browser.close();
    }
  });

  it('keeps the last owner and plan figures, marked with their time, when the server goes down', async () => {
    const load = await api<LoadResponse>('/api/load');
    const { page, panel } = await openDeal(load.moves.find((m) => m.fromName === 'Lukas Becker')!.deal.url!);
    await panel.getByTestId('owner-line').waitFor();
    await expect.poll(() => panel.getByTestId('progress-bar').count()).toBeGreaterThan(0);
    const owner = await sidebarText(panel, 'owner-line');
    const bars = await panel.getByTestId('progress-bar').allTextContents();
    expect(await panel.getByTestId('insight-stale').count()).toBe(0);
    // The demo CRM is served by the Headway server too: the page stays, its server goes.
    await server.stop();
    await expect.poll(() => sidebarText(panel, 'sync-status'), { timeout: 15_000 }).toMatch(/^Offline/);
    await expect.poll(() => sidebarText(panel, 'insight-stale')).toMatch(/^Can’t reach the Headway server: owner, load and plan figures as of \d{1,2} \w+ \d{4}, \d\d:\d\d\.$/);
    expect(await sidebarText(panel, 'owner-line')).toBe(owner);
    expect(await panel.getByTestId('progress-bar').allTextContents()).toEqual(bars);
    expect(await panel.getByTestId('record-title').count()).toBe(1);
    await shot(panel, 'sidebar-offline.png');
    await page.close();
  });
});
