import type { PageView } from '../messages';
import { looksLikePageView } from '../protocol';
import type { StorageAreaLike } from '../session';

/*
 * The record each CRM tab shows, as the background last routed it, kept in browser.storage.session (memory only,
 * gone with the browser, out of content scripts' reach). A side panel opening beside the tab reads it at once and
 * paints the record from it, where waiting for the background's answer on the live port cost a round trip through
 * the service worker — about a third of the panel's open → painted time (issue 15 §2). The live port's answer
 * follows and replaces it if the record changed meanwhile.
 */
const KEY_PREFIX = 'headway.view:';

const keyOf = (tabId: number) => `${KEY_PREFIX}${tabId}`;

/** The background's writer: the tab's record, or nothing once the tab shows none. */
export async function rememberView(storage: Pick<StorageAreaLike, 'set' | 'remove'> | undefined, tabId: number, view: PageView | null): Promise<void> {
  if (!storage) return;
  await (view ? storage.set({ [keyOf(tabId)]: view }) : storage.remove(keyOf(tabId))).catch(() => undefined);
}

/** The panel's reader: the tab's last record, or null (none yet, or no session storage). Never throws. */
export async function readLastView(storage: Pick<StorageAreaLike, 'get'> | undefined, tabId: number): Promise<PageView | null> {
  if (!storage) return null;
  const stored = (await storage.get(keyOf(tabId)).catch((): Record<string, unknown> => ({})))[keyOf(tabId)];
  return looksLikePageView(stored) ? stored : null;
}
