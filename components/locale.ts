import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { formatsOf, readerLocale, translator, type Catalogue, type Formats, type Locale, type Messages, type Translate } from '../core/i18n';

/** The language of an extension page: set once where the page mounts, read by every component under it. */
export const LocaleContext = createContext<Locale>('en');

/**
 * The language of an extension page (or of what the background words for one): the signed-in user's own setting
 * (the snapshot's `user.locale`), else the browser's. Pages mount through renderInLanguage (page-language.ts).
 */
export function pageLocale(setting?: Locale | null): Locale {
  return readerLocale(setting);
}

export const useLocale = (): Locale => useContext(LocaleContext);

export function useT<E extends Catalogue>(messages: Messages<E>): Translate<E> {
  return translator(messages, useLocale());
}

export const useFormats = (): Formats => formatsOf(useLocale());
