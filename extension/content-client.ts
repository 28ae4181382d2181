import type { WxtBrowser } from 'wxt/browser';
import type { ConnectionSnapshot, SidebarInsight } from './messages';
import { looksLikeInsight, looksLikeSnapshot } from './protocol';

/**
 * The requests of the CRM tab's content script and of the side panel, without zod (see protocol.ts for why: the
 * content script's size budget, and the panel's time to first paint). Never throws into the page.
 */
export async function askStateLite(browser: Pick<WxtBrowser, 'runtime'>): Promise<ConnectionSnapshot | null> {
  try {
    const answer: unknown = await browser.runtime.sendMessage({ type: 'get-state' });
    return looksLikeSnapshot(answer) ? answer : null;
  } catch {
    return null;
  }
}

export function openOptionsLite(browser: Pick<WxtBrowser, 'runtime'>): void {
  browser.runtime.sendMessage({ type: 'open-options' }).catch(() => undefined);
}

/** A click on a record page opens the side panel; the message carries the click's user gesture to the background. */
export function openPanelLite(browser: Pick<WxtBrowser, 'runtime'>): void {
  browser.runtime.sendMessage({ type: 'open-panel' }).catch(() => undefined);
}

/** The adapter recognised this record but read nothing of it; the background reports it at most once a day. */
export function reportAdapterMissLite(browser: Pick<WxtBrowser, 'runtime'>, crm: string, recordType: string): void {
  browser.runtime.sendMessage({ type: 'adapter-miss', crm, recordType }).catch(() => undefined);
}

/** Owner, load and plan lines for what the sidebar shows, worded by the background; null when it cannot say. */
export async function askInsightLite(browser: Pick<WxtBrowser, 'runtime'>, record: object | null, fields: object, revision: number): Promise<SidebarInsight | null> {
  try {
    const answer: unknown = await browser.runtime.sendMessage({ type: 'sidebar-insight', record, fields, revision });
    return looksLikeInsight(answer) ? answer : null;
  } catch {
    return null;
  }
}
