import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { formatsOf, pickLocale, translator, type Catalogue, type Formats, type Locale, type Messages, type Translate } from '../core/i18n';

/** The language of an extension page: set once where the page mounts, read by every component under it. */
export const LocaleContext = createContext<Locale>('en');

/** The browser's language, as the page sees it (navigator.languages, in the user's order of preference). */
export function pageLocale(): Locale {
  return pickLocale(typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export const useLocale = (): Locale => useContext(LocaleContext);

export function useT<E extends Catalogue>(messages: Messages<E>): Translate<E> {
  return translator(messages, useLocale());
}

export const useFormats = (): Formats => formatsOf(useLocale());
