import type { StorageAreaLike } from './session';

// Read by the CRM page's content script too, so checked by hand rather than with zod (see protocol.ts).

/**
 * How Headway behaves on one CRM site. Per site, because one CRM deserves the panel on every record and another
 * only now and then.
 * - collapsed: the user closed the side panel there; a click on a record no longer opens it (the toolbar and
 *   Alt+Shift+H still do, and opening it clears this).
 * - hidden: Headway stands aside on the site altogether: no panel, and the content script does nothing.
 * Which side of the window the panel sits on is the browser's own setting now, not ours.
 */
export interface SitePrefs {
  collapsed: boolean;
  hidden: boolean;
}

export const DEFAULT_SITE_PREFS: SitePrefs = { collapsed: false, hidden: false };

export const sitePrefsKey = (origin: string) => `headway.site:${origin}`;

export function parseSitePrefs(value: unknown): SitePrefs {
  if (typeof value !== 'object' || value === null) return DEFAULT_SITE_PREFS;
  const { collapsed, hidden } = value as Record<string, unknown>;
  return {
    collapsed: typeof collapsed === 'boolean' ? collapsed : DEFAULT_SITE_PREFS.collapsed,
    hidden: typeof hidden === 'boolean' ? hidden : DEFAULT_SITE_PREFS.hidden,
  };
}

export async function loadSitePrefs(storage: Pick<StorageAreaLike, 'get'>, origin: string): Promise<SitePrefs> {
  const key = sitePrefsKey(origin);
  return parseSitePrefs((await storage.get(key))[key]);
}

export async function saveSitePrefs(storage: Pick<StorageAreaLike, 'set'>, origin: string, prefs: SitePrefs): Promise<void> {
  await storage.set({ [sitePrefsKey(origin)]: parseSitePrefs(prefs) });
}
