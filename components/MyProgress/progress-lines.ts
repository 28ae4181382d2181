import { formatMoney } from '../../core/format/money';
import { ifWon } from '../../core/plan/progress';
import type { Deal, ExchangeRates, ProgressResponse, ScopeProgress, User } from '../../core/schema';
import type { SidebarInsight } from '../../extension/messages';

/** Runs in the background: the sidebar's plan bars and its "winning this deal" line, from GET /api/progress. */

export type PeriodProgress = Pick<ProgressResponse, 'unit' | 'department' | 'managers' | 'reportingCurrency'>;

const periodWords = { month: 'this month', quarter: 'this quarter', year: 'this year' } as const;

/** The signed-in manager's own row; the department for everyone else (and for a manager the server left out). */
export function scopeOf(user: Pick<User, 'id' | 'role'>, progress: PeriodProgress): ScopeProgress | null {
  if (user.role !== 'manager') return progress.department;
  return progress.managers.find((row) => row.ownerId === user.id) ?? null;
}

const money = (amount: number, currency: string) => formatMoney(amount, currency);

/** One compact bar per period that has a plan: attainment, and the pace marker at expected-by-now. */
export function progressInsight(user: Pick<User, 'id' | 'role'>, periods: PeriodProgress[]): SidebarInsight['progress'] {
  const bars: NonNullable<SidebarInsight['progress']>['bars'] = [];
  for (const period of periods) {
    const scope = scopeOf(user, period);
    if (!scope || !scope.planned || scope.target <= 0) continue;
    const words = periodWords[period.unit];
    const gap = scope.actual - scope.expectedByNow;
    bars.push({
      label: words[0]!.toUpperCase() + words.slice(1),
      pct: Math.round(scope.attainmentPct ?? 0),
      pacePct: Math.round((scope.expectedByNow / scope.target) * 100),
      ahead: gap >= 0,
      detail:
        `${money(scope.actual, scope.currency)} of ${money(scope.target, scope.currency)} won; ` +
        `${money(scope.expectedByNow, scope.currency)} expected by now, ${gap >= 0 ? 'ahead' : 'behind'} by ${money(Math.abs(gap), scope.currency)}`,
    });
  }
  if (bars.length === 0) return null;
  // Which plan the bars are against comes from the figures themselves, so a purchase page never says "sales".
  return { scope: user.role === 'manager' ? 'My plan' : 'Department plan', kind: periods[0]!.department.kind, bars };
}

/**
 * "Winning this deal: 62 % → 81 % this month", worked out by core/plan's ifWon for the month's scope; null when
 * winning it would not count there (another manager's deal, a purchase against the sales plan, no amount).
 */
export function ifWonLine(
  user: Pick<User, 'id' | 'role'>,
  month: PeriodProgress,
  deal: Pick<Deal, 'id' | 'kind' | 'status' | 'ownerId' | 'amount' | 'currency'>,
  rates: ExchangeRates,
): string | null {
  const scope = scopeOf(user, month);
  if (!scope || !scope.planned || scope.attainmentPct === null) return null;
  const outcome = ifWon(scope, deal as Deal, rates, month.reportingCurrency);
  if (!outcome.counts || outcome.excludedBecause || outcome.amount <= 0 || outcome.attainmentPct === null) return null;
  const whose = user.role === 'manager' ? 'your' : 'the department’s';
  const plan = deal.kind === 'purchase' ? 'purchase plan' : 'sales plan';
  return `Winning this deal: ${whose} ${plan} ${Math.round(scope.attainmentPct)} % → ${Math.round(outcome.attainmentPct)} % ${periodWords[month.unit]}`;
}
