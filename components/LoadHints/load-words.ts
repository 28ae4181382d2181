import type { LoadAggregate, LoadShown } from '../../core/schema';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What the suggested-moves card says when it lists none. It must agree with the department line above it: an
 * exec's view leaves moves out (say so), a manager's holds only moves touching them, and a head's can be empty
 * although someone is over capacity or away (nobody has room, or every deal already has a decided move).
 */
export function noMovesText(shown: LoadShown, department: LoadAggregate | undefined, uncovered: number): string {
  if (shown === 'aggregates') return 'Suggested moves are for the head of sales to decide; your view shows each team’s load.';
  if (shown === 'own') return 'No moves involve you today.';
  const strained = (department?.over ?? 0) + (department?.absent ?? 0);
  if (strained === 0) return 'No moves suggested: nobody is over capacity or away with open deals.';
  const who = plural(strained, 'manager over capacity or away', 'managers over capacity or away');
  return uncovered > 0
    ? `No moves suggested for the ${who}: nobody has room to take their deals (listed below).`
    : `No new moves for the ${who}: their deals already have a decided move, or fall due after the absence.`;
}

/** The managers card's title: an exec sees teams, never names. */
export function loadTableTitle(shown: LoadShown): string {
  return shown === 'aggregates' ? 'Teams' : shown === 'own' ? 'You' : 'Managers';
}
