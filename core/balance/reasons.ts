import { formatsOf } from '../i18n/formats';
import type { Locale } from '../i18n/locale';
import { reasonMessages } from './i18n';
/*
 * One plain sentence per suggestion, made of two clauses: who gives and why ("Maya is at 140 % of capacity; "),
 * and who takes ("Tom has room (62 %) and serves EMEA."), in the reader's language (the words are in i18n.ts).
 * Each takes the segment already turned into its label (segmentLabel), which the load model computes once per
 * distinct segment rather than once per move.
 * A large department gets tens of thousands of these at once, all kept until the answer is sent. Consecutive moves
 * mostly repeat a clause (a donor's rounded percentage changes every few moves), so MoveLog keeps the last clause
 * of each manager and a reason is then one small string node over two shared flat clauses, not a copy of the sentence.
 * Clauses are built with join, which makes one flat string, where `+` and template literals leave a tree of
 * partial strings. Each message is split at its placeholders once per language, when first asked for, so filling
 * one in is a join of pieces already cut, never a parse of the template. Percent labels up to 1000 % are made once.
 */

/** A message with its placeholders filled, given in the order they are named at `compile`. */
type Fill = (a: string, b?: string, c?: string) => string;

function compile(template: string, names: readonly string[]): Fill {
  const pieces = template.split(/\{(\w+)\}/);
  const slots = pieces.map((piece, i) => (i % 2 === 1 ? names.indexOf(piece) : -1));
  // Reused by every call: a fill runs to completion before the next, and join copies the pieces out.
  const out = [...pieces];
  return (a, b = '', c = '') => {
    for (let i = 1; i < out.length; i += 2) out[i] = slots[i] === 0 ? a : slots[i] === 1 ? b : c;
    return out.join('');
  };
}

export interface ReasonWords {
  /** "140 %" (a utilisation of 1.4), or "no capacity" when it is not finite. */
  percent(utilisation: number): string;
  /** "Maya is at 140 % of capacity; ", or "Maya has deals but no capacity; ". */
  donorClause(fromName: string, fromUtilisation: number): string;
  /** "Maya is absent until 4 Dec 2026; " */
  absenceClause(fromName: string, absentUntil: string): string;
  /** "Tom has room (62 %) and serves EMEA." */
  receiverClause(toName: string, toUtilisation: number, segment: string | null): string;
  /** "Maya is at 140 % of capacity; Tom has room (62 %) and serves EMEA." */
  rebalanceReason(fromName: string, fromUtilisation: number, toName: string, toUtilisation: number, segment: string | null): string;
  uncoveredReason(fromName: string, segment: string | null, anyoneServes: boolean): string;
  /** Appended to a suggestion whose deal had no rate for its amount tier: " Its amount is in JPY, which has no rate to EUR, so it weighs its stage only." */
  noRateNote(currency: string, reportingCurrency: string | null): string;
  /** "Tom has the most room (40 % now, 55 % with this deal)." */
  mostRoom(name: string, before: number, after: number, bySegment: boolean): string;
}

function wordsIn(locale: Locale): ReasonWords {
  const m = reasonMessages[locale];
  const formats = formatsOf(locale);
  const labels: string[] = [];
  const giving = compile(m.giving, ['name', 'percent']);
  const givingNoCapacity = compile(m.givingNoCapacity, ['name']);
  const absent = compile(m.absent, ['name', 'day']);
  const taking = compile(m.taking, ['name', 'percent']);
  const takingSegment = compile(m.takingSegment, ['name', 'percent', 'segment']);
  const nobodyServes = compile(m.uncoveredNobodyServes, ['name']);
  const nobodyServesSegment = compile(m.uncoveredNobodyServesSegment, ['name', 'segment']);
  const noRoom = compile(m.uncoveredNoRoom, ['name']);
  const noRoomSegment = compile(m.uncoveredNoRoomSegment, ['name', 'segment']);
  const noRate = compile(m.noRate, ['currency', 'reporting']);
  const noRateNoReporting = compile(m.noRateNoReporting, ['currency']);
  const mostRoom = compile(m.mostRoom, ['name', 'now', 'after']);
  const mostRoomSegment = compile(m.mostRoomSegment, ['name', 'now', 'after']);
  const percent = (utilisation: number): string => {
    if (!Number.isFinite(utilisation)) return m.noCapacity;
    const rounded = Math.round(utilisation * 100);
    if (rounded < 0 || rounded > 1000) return formats.percent(rounded);
    return (labels[rounded] ??= formats.percent(rounded));
  };
  const words: ReasonWords = {
    percent,
    donorClause: (fromName, fromUtilisation) => (Number.isFinite(fromUtilisation) ? giving(fromName, percent(fromUtilisation)) : givingNoCapacity(fromName)),
    absenceClause: (fromName, absentUntil) => absent(fromName, formats.day(absentUntil)),
    receiverClause: (toName, toUtilisation, segment) => (segment ? takingSegment(toName, percent(toUtilisation), segment) : taking(toName, percent(toUtilisation))),
    rebalanceReason: (fromName, fromUtilisation, toName, toUtilisation, segment) =>
      [words.donorClause(fromName, fromUtilisation), words.receiverClause(toName, toUtilisation, segment)].join(''),
    uncoveredReason(fromName, segment, anyoneServes) {
      if (!anyoneServes) return segment === null ? nobodyServes(fromName) : nobodyServesSegment(fromName, segment);
      return segment === null ? noRoom(fromName) : noRoomSegment(fromName, segment);
    },
    noRateNote: (currency, reportingCurrency) => (reportingCurrency === null ? noRateNoReporting(currency) : noRate(currency, reportingCurrency)),
    mostRoom: (name, before, after, bySegment) => (bySegment ? mostRoomSegment : mostRoom)(name, percent(before), percent(after)),
  };
  return words;
}

const made: Partial<Record<Locale, ReasonWords>> = {};

/** The reasons' words in one language, made once per language. */
export function reasonWords(locale: Locale): ReasonWords {
  return (made[locale] ??= wordsIn(locale));
}
