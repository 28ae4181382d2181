import { createContext, h, render, type VNode } from 'preact';
import { useContext } from 'preact/hooks';
import { formatsOf, readerLocale, translator, type Catalogue, type Formats, type Locale, type Messages, type Translate } from '../core/i18n';

/** The language of an extension page: set once where the page mounts, read by every component under it. */
export const LocaleContext = createContext<Locale>('en');

/**
 * The language of an extension page (or of what the background words for one): the signed-in user's own setting
 * (the snapshot's `user.locale`), else the browser's.
 */
export function pageLocale(setting?: Locale | null): Locale {
  return readerLocale(setting);
}

export const useLocale = (): Locale => useContext(LocaleContext);

export function useT<E extends Catalogue>(messages: Messages<E>): Translate<E> {
  return translator(messages, useLocale());
}

export const useFormats = (): Formats => formatsOf(useLocale());

/**
 * Renders an extension page in the browser's language: the whole tree reads it from LocaleContext, and the
 * document says it (lang, so screen readers and hyphenation follow, and its title from the page's catalogue).
 */
export function renderInLanguage(page: VNode, root: Element, title?: (locale: Locale) => string): void {
  const locale = pageLocale();
  document.documentElement.lang = locale;
  if (title) document.title = title(locale);
  render(h(LocaleContext.Provider, { value: locale }, page), root);
}
