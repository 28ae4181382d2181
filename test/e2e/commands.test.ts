import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { openDemoDeal, pair, pairingCodeFor } from './notes-support';

/** `chrome` inside the worker (these functions run there, not in Node). */
type WorkerGlobal = {
  chrome: {
    tabs: { get(tabId: number): Promise<unknown> };
    commands: { onCommand: { dispatch(name: string, tab: unknown): void; hasListeners(): boolean } };
  };
};

/**
 * The keyboard commands, from the browser's command event to what the user sees. Headless Chromium turns no key
 * press into an extension command (its accelerators belong to a window's toolbar), so the test fires the browser's
 * own chrome.commands.onCommand event in the service worker: the listener extension/background/hub.ts registered runs, with
 * the tab the browser would give it, and everything after it is real (panel hub, side panel, escalation, server).
 * Not exercised here: the browser mapping Alt+Shift+… to the command (the manifest's declaration is checked in
 * test/unit/extension/commands.test.ts), and the key press as a user gesture, which opening a closed panel needs.
 */
describe('keyboard commands reach their handlers, in real Chromium', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;

  beforeAll(async () => {
    server = await startServer();
    extension = await launchWithExtension();
    await pair(extension, server, await pairingCodeFor(server, 'marco.rossi@northwind.example'));
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
  });

  async function command(name: string, page: Page): Promise<void> {
    const tabId = await extension.tabIdOf(page);
    await extension.worker.evaluate(
      async ([commandName, id]) => {
        const { chrome } = globalThis as unknown as WorkerGlobal;
        if (!chrome.commands.onCommand.hasListeners()) throw new Error('the background registered no command listener');
        chrome.commands.onCommand.dispatch(commandName, await chrome.tabs.get(id));
      },
      [name, tabId] as const,
    );
  }

  it('capture-note (Alt+Shift+M) opens the note form in the panel beside the tab', async () => {
    const page = await extension.context.newPage();
    const { panel } = await openDemoDeal(page, server, extension, 0);
    expect(await panel.getByTestId('note-form').count()).toBe(0);
    await command('capture-note', page);
    await panel.getByTestId('note-form').waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('escalate (Alt+Shift+E) escalates the tab’s record to the server', async () => {
    const page = await extension.context.newPage();
    const { name } = await openDemoDeal(page, server, extension, 2);
    const crmId = new URL(page.url()).searchParams.get('record');
    const escalated = () => {
      const db = new Database(join(server.dataDir, 'headway.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare('select title from escalations where crm_id = ?').all(crmId) as { title: string }[];
      } finally {
        db.close();
      }
    };
    expect(escalated()).toEqual([]);
    await command('escalate', page);
    await expect.poll(escalated, { timeout: 30_000 }).toHaveLength(1);
    expect(escalated()[0]!.title).toContain(name);
    await page.close();
  });

  it('a name the manifest does not declare does nothing', async () => {
    const page = await extension.context.newPage();
    const { panel } = await openDemoDeal(page, server, extension, 1);
    await command('open-everything', page);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(panel.isClosed()).toBe(false);
    expect(await panel.getByTestId('note-form').count()).toBe(0);
    await page.close();
  });
  // Last: a panel closed on a CRM page is remembered for the site, so the demo's pages stop opening it on a click.
  it('toggle-sidebar (Alt+Shift+H) closes the open panel', async () => {
    const page = await extension.context.newPage();
    const { panel } = await openDemoDeal(page, server, extension, 3);
    await command('toggle-sidebar', page);
    await expect.poll(() => panel.isClosed(), { timeout: 10_000 }).toBe(true);
    await page.close();
  });
});
