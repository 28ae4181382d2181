/**
 * The languages Headway speaks; its first users plan, negotiate and report in Russian. A plain list, not a zod
 * enum: the side panel imports this and keeps zod out of its first paint (components/Sidebar/mountPanel.tsx).
 */
export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);

/**
 * The first of the reader's languages (navigator.languages, an Accept-Language list) that Headway speaks, by its
 * primary subtag ("ru-RU" → ru, "en-GB" → en); English when none is.
 */
export function pickLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
    if (isLocale(primary)) return primary;
  }
  return 'en';
}

/**
 * The browser's language where the code runs (a page or the background: both have `navigator`), English where
 * there is none (the server, Node tests without one).
 */
export function browserLocale(): Locale {
  const nav = (globalThis as { navigator?: { languages?: readonly string[]; language?: string } }).navigator;
  if (!nav) return 'en';
  return pickLocale(nav.languages?.length ? nav.languages : nav.language ? [nav.language] : []);
}
