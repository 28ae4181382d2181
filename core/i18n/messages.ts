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

/** The placeholder names in a message's text, as a union: "{title} is {status}" → "title" | "status". */
type NamesIn<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | NamesIn<Rest> : never;
type TextsOf<M> = M extends string ? M : M extends PluralForms ? M['one'] | M['other'] : never;

/** A sentence decided now and worded later, when the reader's language is known (a refusal, a reason). */
export interface Said {
  readonly key: string;
  readonly params: Readonly<Record<string, string | number | Said>>;
  render(locale: Locale): string;
}

/** What a message needs filled in: each placeholder its English names, a figure, a name, or another sentence. */
export type SaidParams<M> = { readonly [Name in NamesIn<TextsOf<M>>]: string | number | Said };

/**
 * A message of a catalogue with its placeholders given, worded in either language when asked; a placeholder may
 * hold another sentence, worded in the same language ("Move 2 of 3: {reason}").
 */
export function said<E extends Catalogue, K extends keyof E & string>(messages: Messages<E>, key: K, ...[params]: keyof SaidParams<E[K]> extends never ? [params?: SaidParams<E[K]>] : [params: SaidParams<E[K]>]): Said {
  const given: Readonly<Record<string, string | number | Said>> = params ?? {};
  return {
    key,
    params: given,
    render(locale) {
      const filled = Object.fromEntries(Object.entries(given).map(([name, value]) => [name, typeof value === 'object' ? value.render(locale) : value]));
      return translator(messages, locale)(key, filled);
    },
  };
}

/** A word as a label starts: its first letter capitalised, the rest as written ("нужно решение" → "Нужно решение"). */
export function capitalFirst(text: string, locale: Locale): string {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}
