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

/** The browser's languages in the user's order of preference, where there is a browser (a page or a worker). */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}

/**
 * The one rule for which language a person reads Headway in: the language they set (null or absent: none), else
 * the first of their browser's languages Headway speaks. Every extension page and the background ask this.
 */
export function readerLocale(setting: Locale | null | undefined, languages: readonly string[] = browserLanguages()): Locale {
  return setting ?? pickLocale(languages);
}

/** The language the server writes to someone in: their own setting, else the workspace's, else English. */
export function recipientLocale(setting: Locale | null | undefined, workspace: Locale | null | undefined): Locale {
  return setting ?? workspace ?? 'en';
}

/**
 * The browser's language where the code runs (a page or the background: both have `navigator`), English where
 * there is none (the server, Node tests without one). Where the signed-in user is known, ask readerLocale instead:
 * their own setting comes first.
 */
export function browserLocale(): Locale {
  return pickLocale(browserLanguages());
}
