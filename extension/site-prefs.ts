import type { StorageAreaLike } from './session';

// Injected into CRM pages, so checked by hand rather than with zod (see protocol.ts).

/** How the sidebar sits on one CRM site. Per site, because one CRM's controls sit where another's don't. */
export interface SitePrefs {
  collapsed: boolean;
  side: 'left' | 'right';
}

export const DEFAULT_SITE_PREFS: SitePrefs = { collapsed: false, side: 'right' };

export const sitePrefsKey = (origin: string) => `headway.site:${origin}`;

export function parseSitePrefs(value: unknown): SitePrefs {
  if (typeof value !== 'object' || value === null) return DEFAULT_SITE_PREFS;
  const { collapsed, side } = value as Record<string, unknown>;
  return {
    collapsed: typeof collapsed === 'boolean' ? collapsed : DEFAULT_SITE_PREFS.collapsed,
    side: side === 'left' || side === 'right' ? side : DEFAULT_SITE_PREFS.side,
  };
}

export async function loadSitePrefs(storage: Pick<StorageAreaLike, 'get'>, origin: string): Promise<SitePrefs> {
  const key = sitePrefsKey(origin);
  return parseSitePrefs((await storage.get(key))[key]);
}

export async function saveSitePrefs(storage: Pick<StorageAreaLike, 'set'>, origin: string, prefs: SitePrefs): Promise<void> {
  await storage.set({ [sitePrefsKey(origin)]: parseSitePrefs(prefs) });
}
