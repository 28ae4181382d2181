import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { extensionPage, pair, pairingCodeFor, serverNotes } from './notes-support';

const TOTAL = 10_000;

/** What the capture loop inside the extension page reports. */
type Progress = { saved: number; retries: number; done: boolean };
type PageGlobal = { headwayCapture?: Progress; chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } };

/**
 * Stops the extension's service worker the way Chromium does when it idles one out: CDP
 * ServiceWorker.stopAllWorkers from an extension page. Returns whether the worker really restarted
 * (a marker set in its global scope is gone afterwards).
 */
async function restartServiceWorker(extension: LaunchedExtension, page: Page): Promise<boolean> {
  await extension.worker.evaluate(() => ((globalThis as unknown as { headwayMarker: string }).headwayMarker = 'before-stop'));
  const cdp = await extension.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
  const worker = extension.context.serviceWorkers().at(-1) ?? extension.worker;
  const marker = await worker.evaluate(() => (globalThis as unknown as { headwayMarker?: string }).headwayMarker).catch(() => undefined);
  return marker === undefined;
}

const ask = (page: Page, message: unknown) => page.evaluate((m) => (globalThis as unknown as PageGlobal).chrome.runtime.sendMessage(m), message);
const progress = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobal).headwayCapture!);
const pendingCount = async (page: Page) => ((await ask(page, { type: 'sync-get' })) as { pending: number }).pending;

describe('offline reliability: 10,000 notes, a worker restart, a server restart', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;

  beforeAll(async () => {
    server = await startServer();
    extension = await launchWithExtension();
    await pair(extension, server, await pairingCodeFor(server, 'priya.shah@northwind.example'));
  });

  afterAll(async () => {
    await extension?.close();
    await server?.stop();
    server?.cleanup();
  });

  it('every note captured offline reaches the server exactly once', { timeout: 240_000 }, async () => {
    const page = await extensionPage(extension);
    await server.stop();

    // The real message path a sidebar's Save uses, in a loop. A send that fails (the worker was stopped under
    // it) is sent again with the same note id, as the form would: the id makes a retry the same note.
    const started = Date.now();
    // Notes of the demo's own tenant: the server keeps notes only of the workspace's tenants.
    await page.evaluate(({ total, instance }) => {
      const state: Progress = { saved: 0, retries: 0, done: false };
      const scope = globalThis as unknown as PageGlobal;
      scope.headwayCapture = state;
      void (async () => {
        for (let i = 0; i < total; i++) {
          const message = {
            type: 'note-save',
            id: `n_${i.toString(16).padStart(32, '0')}`,
            record: { crm: 'suitecrm', instance, recordType: 'deal', crmId: `opp-${i % 50}` },
            recordTitle: `Reliability deal ${i % 50}`,
            content: { side: i % 2 ? 'buyer' : 'seller', text: `offline note ${i}`, price: i, nextStepDate: '2031-01-01' },
          };
          for (;;) {
            const answer = (await scope.chrome.runtime.sendMessage(message).catch(() => null)) as { ok?: boolean } | null;
            if (answer?.ok === true) break;
            state.retries += 1;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          state.saved += 1;
        }
        state.done = true;
      })();
    }, { total: TOTAL, instance: new URL(server.url).origin });

    await expect.poll(async () => (await progress(page)).saved, { timeout: 120_000, interval: 250 }).toBeGreaterThanOrEqual(TOTAL / 2);
    expect(await restartServiceWorker(extension, page)).toBe(true);
    await expect.poll(async () => (await progress(page)).done, { timeout: 150_000, interval: 500 }).toBe(true);
    const captureSeconds = (Date.now() - started) / 1000;
    const { retries } = await progress(page);
    // A retried send whose first answer was lost is queued twice under the same note id; the server keeps one.
    const queued = await pendingCount(page);
    expect(queued).toBeGreaterThanOrEqual(TOTAL);
    expect(queued).toBeLessThanOrEqual(TOTAL + retries);

    // Server back on the same database; killed once more in the middle of the push, then back for good.
    server = await startServer({ dataDir: server.dataDir, port: server.port });
    const pushing = ask(page, { type: 'sync-now' }).catch(() => null);
    await expect.poll(() => serverNotes(server).length > 0, { timeout: 60_000, interval: 50 }).toBe(true);
    await server.stop();
    const partial = serverNotes(server).length;
    await pushing;
    server = await startServer({ dataDir: server.dataDir, port: server.port });
    await expect
      .poll(async () => {
        await ask(page, { type: 'sync-now' });
        return pendingCount(page);
      }, { timeout: 90_000, interval: 1000 })
      .toBe(0);

    const rows = serverNotes(server);
    expect(rows).toHaveLength(TOTAL);
    expect(new Set(rows.map((row) => row.id)).size).toBe(TOTAL);
    expect(rows.filter((row) => row.deleted_at === null)).toHaveLength(TOTAL);
    console.log(`[reliability] ${TOTAL} notes captured offline in ${captureSeconds.toFixed(1)} s (${retries} resends after the worker stop); ` + `the server held ${partial} when it was stopped mid-push; exactly ${rows.length} after reconnecting`);
    await page.close();
  });
});
