import { browserLanguages, pickLocale, translator, type Locale } from '../../core/i18n';
import { backgroundSilenceMessages } from './i18n';

/**
 * The language of the page asking: the one it was rendered in (renderInLanguage sets the document's lang from the
 * reader's setting), else the browser's. Asked when the background is silent, so the page's own words are all there is.
 */
function askingLocale(): Locale {
  const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
  return pickLocale(lang ? [lang] : browserLanguages());
}

/** The error a page shows when the background does not answer as it should, in the page's language. */
export function backgroundSilence(key: keyof typeof backgroundSilenceMessages.en): Error {
  return new Error(translator(backgroundSilenceMessages, askingLocale())(key));
}
