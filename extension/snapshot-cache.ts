import type { ConnectionSnapshot } from './messages';
import { looksLikeSnapshot } from './protocol';
import type { StorageAreaLike } from './session';
import { DEFAULT_SITE_PREFS, parseSitePrefs, sitePrefsKey, type SitePrefs } from './site-prefs';

/**
 * The last connection snapshot, kept in browser.storage.local by the background so a sidebar can paint from it
 * without waking the service worker and waiting for its answer (DESIGN.md: "sidebar painted from cache" in 50 ms).
 * The snapshot is what pages may know (no token); the live port brings the current one a moment later.
 * Read by the content script, so checked by hand rather than with zod (see protocol.ts).
 */
export const SNAPSHOT_CACHE_KEY = 'headway.snapshot';

/**
 * The background's writer: stores each snapshot that differs from the last one it stored. An unpaired browser
 * keeps nothing (pairing and Disconnect promise that), so its sidebars ask the background instead.
 */
export function createSnapshotCache(storage: Pick<StorageAreaLike, 'set' | 'remove'>): (snapshot: ConnectionSnapshot) => Promise<void> {
  let stored: string | undefined;
  let pending: Promise<void> = Promise.resolve();
  // Returns the write of this snapshot (or of the same one before), for callers that must not answer before it.
  return (snapshot) => {
    const json = snapshot.state === 'unpaired' ? 'unpaired' : JSON.stringify(snapshot);
    if (json === stored) return pending;
    stored = json;
    const write = snapshot.state === 'unpaired' ? storage.remove(SNAPSHOT_CACHE_KEY) : storage.set({ [SNAPSHOT_CACHE_KEY]: snapshot });
    pending = write.catch(() => {
      stored = undefined; // written again with the next snapshot
    });
    return pending;
  };
}

export interface FirstState {
  prefs: SitePrefs;
  /** Null before the background first cached one (just installed or updated): ask it then. */
  snapshot: ConnectionSnapshot | null;
}

/** What the sidebar needs for its first paint on `origin`, in one storage read. Never throws into the page. */
export async function readFirstState(storage: Pick<StorageAreaLike, 'get'>, origin: string): Promise<FirstState> {
  const prefsKey = sitePrefsKey(origin);
  try {
    const stored = await storage.get([prefsKey, SNAPSHOT_CACHE_KEY]);
    const snapshot = stored[SNAPSHOT_CACHE_KEY];
    return { prefs: parseSitePrefs(stored[prefsKey]), snapshot: looksLikeSnapshot(snapshot) ? snapshot : null };
  } catch {
    return { prefs: DEFAULT_SITE_PREFS, snapshot: null };
  }
}

/** The cached snapshot alone: what the side panel paints its footer from before the live port answers. */
export async function readCachedSnapshot(storage: Pick<StorageAreaLike, 'get'>): Promise<ConnectionSnapshot | null> {
  try {
    const snapshot = (await storage.get(SNAPSHOT_CACHE_KEY))[SNAPSHOT_CACHE_KEY];
    return looksLikeSnapshot(snapshot) ? snapshot : null;
  } catch {
    return null;
  }
}
