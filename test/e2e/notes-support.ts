import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { waitForCrmScriptOnLoopback, type LaunchedExtension, type RunningServer } from './harness';

/** `chrome` inside the extension's worker and pages (these functions run there, not in Node). */
export type ChromeGlobal = {
  chrome: {
    action: { getBadgeText(details: object): Promise<string> };
    runtime: { sendMessage(message: unknown): Promise<unknown> };
    storage: { local: { get(keys: string | null): Promise<Record<string, unknown>> } };
  };
};

/** Pairs the extension through its options page, as a user does. */
export async function pair(extension: LaunchedExtension, server: RunningServer, code: string): Promise<void> {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${extension.extensionId}/options.html`);
  await page.getByLabel('Server URL').fill(server.url);
  await page.getByLabel('Pairing code').fill(code);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByTestId('account-name').waitFor();
  await waitForCrmScriptOnLoopback(extension);
  await page.close();
}

/** A new pairing code for a seeded user. */
export async function pairingCodeFor(server: RunningServer, email: string): Promise<string> {
  return ((await server.cli(['pair', email])) as { pairingCode: string }).pairingCode;
}

/**
 * Opens the demo CRM's opportunity list and its n-th deal (0 = the first), and the side panel beside it with a click
 * on the page; returns the deal's name and the panel, once it shows the deal.
 */
export async function openDemoDeal(page: Page, server: RunningServer, extension: LaunchedExtension, n = 0): Promise<{ name: string; panel: Page }> {
  await page.goto(`${server.url}/demo/index.php?module=Opportunities&action=index`);
  await page.locator('a[href*="module=Opportunities"][href*="action=DetailView"]').nth(n).click();
  await page.waitForURL(/module=Opportunities&action=DetailView/);
  const name = (await page.locator('h2.module-title-text').textContent())?.trim() ?? '';
  const panel = await extension.openPanel(page);
  await expect.poll(() => panel.getByTestId('record-title').textContent()).toBe(name);
  return { name, panel };
}

/** Reads the server's own SQLite file: what the server holds, independent of any API. */
export function serverNotes(server: RunningServer, where = '1 = 1', ...params: unknown[]): { id: string; content: string; version: number; deleted_at: string | null }[] {
  const db = new Database(join(server.dataDir, 'headway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`select id, content, version, deleted_at from notes where ${where}`).all(...params) as never;
  } finally {
    db.close();
  }
}

export function serverNoteCount(server: RunningServer): number {
  const db = new Database(join(server.dataDir, 'headway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from notes').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** An extension page to ask the browser things from; it outlives service worker restarts, unlike a Worker handle. */
export async function extensionPage(extension: LaunchedExtension): Promise<Page> {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${extension.extensionId}/popup.html`);
  return page;
}

export const badgeText = (probe: Page) => probe.evaluate(() => (globalThis as unknown as ChromeGlobal).chrome.action.getBadgeText({}));
