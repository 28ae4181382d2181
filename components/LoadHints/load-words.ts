import { formatsOf, translator, type Locale } from '../../core/i18n';
import type { LoadAggregate, LoadShown, LoadStatus, ManagerLoadRow } from '../../core/schema';
import { loadMessages } from './i18n';

/** A share of capacity (0.62) as the page writes a percentage; a dash when there is no capacity to compare. */
export const loadPercent = (value: number | null, locale: Locale): string => (value === null ? '—' : formatsOf(locale).percent(value * 100));

/** A manager's status as a word as well as a colour; an absence says until when (day and month). */
export function statusWords(row: Pick<ManagerLoadRow, 'status' | 'absentUntil'>, locale: Locale): string {
  const t = translator(loadMessages, locale);
  return row.status === 'absent' && row.absentUntil ? t('absentUntil', { date: formatsOf(locale).dayMonth(row.absentUntil) }) : t(`status.${row.status satisfies LoadStatus}`);
}

/**
 * What the suggested-moves card says when it lists none. It must agree with the department line above it: an
 * exec's view leaves moves out (say so), a manager's holds only moves touching them, and a head's can be empty
 * although someone is over capacity or away (nobody has room, or every deal already has a decided move).
 */
export function noMovesText(shown: LoadShown, department: LoadAggregate | undefined, uncovered: number, locale: Locale = 'en'): string {
  const t = translator(loadMessages, locale);
  if (shown === 'aggregates') return t('noMoves.aggregates');
  if (shown === 'own') return t('noMoves.own');
  const strained = (department?.over ?? 0) + (department?.absent ?? 0);
  if (strained === 0) return t('noMoves.none');
  return t(uncovered > 0 ? 'noMoves.noRoom' : 'noMoves.decided', { count: strained });
}

/** The managers card's title: an exec sees teams, never names. */
export function loadTableTitle(shown: LoadShown, locale: Locale = 'en'): string {
  return translator(loadMessages, locale)(`title.${shown}`);
}
