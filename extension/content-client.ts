import type { WxtBrowser } from 'wxt/browser';
import type { CrmId, RecordType } from '../core/schema';
import type { AnyoneMay, ConnectionSnapshot, RequestInput, SidebarInsight } from './messages';
import { looksLikeInsight, looksLikeSnapshot } from './protocol';

/**
 * The requests of the CRM tab's content script and of the side panel, without zod (see protocol.ts for why: the
 * content script's size budget, and the panel's time to first paint). Never throws into the page. The requests are
 * typed from the message table (extension/messages.ts), types only: a content script may send only what anyone may.
 */
const send = <T extends AnyoneMay>(browser: Pick<WxtBrowser, 'runtime'>, request: RequestInput<T> & { type: T }): Promise<unknown> => browser.runtime.sendMessage(request);

export async function askStateLite(browser: Pick<WxtBrowser, 'runtime'>): Promise<ConnectionSnapshot | null> {
  try {
    const answer: unknown = await send(browser, { type: 'get-state' });
    return looksLikeSnapshot(answer) ? answer : null;
  } catch {
    return null;
  }
}

export function openOptionsLite(browser: Pick<WxtBrowser, 'runtime'>): void {
  send(browser, { type: 'open-options' }).catch(() => undefined);
}

/** A click on a record page opens the side panel; the message carries the click's user gesture to the background. */
export function openPanelLite(browser: Pick<WxtBrowser, 'runtime'>): void {
  send(browser, { type: 'open-panel' }).catch(() => undefined);
}

/** The adapter recognised this record but read nothing of it; the background reports it at most once a day. */
export function reportAdapterMissLite(browser: Pick<WxtBrowser, 'runtime'>, crm: CrmId, recordType: RecordType): void {
  send(browser, { type: 'adapter-miss', crm, recordType }).catch(() => undefined);
}

/** Owner, load and plan lines for what the sidebar shows, worded by the background; null when it cannot say. */
export async function askInsightLite(browser: Pick<WxtBrowser, 'runtime'>, record: RequestInput<'sidebar-insight'>['record'], fields: Record<string, unknown>, revision: number): Promise<SidebarInsight | null> {
  try {
    const answer: unknown = await send(browser, { type: 'sidebar-insight', record, fields, revision });
    return looksLikeInsight(answer) ? answer : null;
  } catch {
    return null;
  }
}
