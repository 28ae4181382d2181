import type { Locale } from './locale';
import { pluralForm, type PluralForms } from './plural';

/**
 * A message: a whole sentence with named placeholders ("{name} is at {percent} of capacity"), or its plural forms
 * (the count is the `count` placeholder). Sentences are never glued from fragments: word order differs by language.
 */
export type Message = string | PluralForms;
export type Catalogue = Record<string, Message>;
export type Params = Readonly<Record<string, string | number>>;

/** The same keys in every language, each a plain sentence or plural forms as its English is. */
export type Translation<E extends Catalogue> = { readonly [K in keyof E]: E[K] extends string ? string : PluralForms };

export interface Messages<E extends Catalogue> {
  en: E;
  ru: Translation<E>;
}

/**
 * One surface's messages in both languages, side by side in one file so that a reviewer reads the Russian beside
 * the English it renders. The compiler holds ru to en's keys and shapes; test/unit/i18n holds the placeholders.
 */
export function defineMessages<const E extends Catalogue>(en: E, ru: Translation<E>): Messages<E> {
  return { en, ru };
}

export type Translate<E extends Catalogue> = (key: keyof E & string, params?: Params) => string;

/** A message with its placeholders filled; a number placeholder is written as given (format it first). */
export function translator<E extends Catalogue>(messages: Messages<E>, locale: Locale): Translate<E> {
  const catalogue: Catalogue = messages[locale];
  return (key, params = {}) => {
    const message = catalogue[key]!;
    const text = typeof message === 'string' ? message : pluralForm(message, locale, Number(params.count ?? 0));
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

/** The placeholder names a message uses, in any of its forms. */
export function placeholdersOf(message: Message): Set<string> {
  const texts = typeof message === 'string' ? [message] : Object.values(message).filter((text): text is string => typeof text === 'string');
  return new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)));
}
