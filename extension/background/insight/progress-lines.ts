import { formatsOf, translator, type Locale } from '../../../core/i18n';
import { ifWon } from '../../../core/plan/progress';
import type { Deal, ExchangeRates, ProgressResponse, ScopeProgress, User } from '../../../core/schema';
import type { SidebarInsight } from '../../messages';
import { progressMessages } from '../../plan/i18n';

/** Runs in the background: the sidebar's plan bars and its "winning this deal" line, from GET /api/progress. */

export type PeriodProgress = Pick<ProgressResponse, 'unit' | 'department' | 'managers' | 'reportingCurrency'>;

const periodLabels = { month: 'month', quarter: 'quarter', year: 'year' } as const;
const inPeriod = { month: 'inMonth', quarter: 'inQuarter', year: 'inYear' } as const;

/** The signed-in manager's own row; the department for everyone else (and for a manager the server left out). */
export function scopeOf(user: Pick<User, 'id' | 'role'>, progress: PeriodProgress): ScopeProgress | null {
  if (user.role !== 'manager') return progress.department;
  return progress.managers.find((row) => row.ownerId === user.id) ?? null;
}

/** One compact bar per period that has a plan: attainment, and the pace marker at expected-by-now. */
export function progressInsight(user: Pick<User, 'id' | 'role'>, periods: PeriodProgress[], locale: Locale = 'en'): SidebarInsight['progress'] {
  const t = translator(progressMessages, locale);
  const { money } = formatsOf(locale);
  const bars: NonNullable<SidebarInsight['progress']>['bars'] = [];
  for (const period of periods) {
    const scope = scopeOf(user, period);
    if (!scope || !scope.planned || scope.target <= 0) continue;
    const gap = scope.actual - scope.expectedByNow;
    bars.push({
      label: t(periodLabels[period.unit]),
      pct: Math.round(scope.attainmentPct ?? 0),
      pacePct: Math.round((scope.expectedByNow / scope.target) * 100),
      ahead: gap >= 0,
      detail: t(gap >= 0 ? 'detailAhead' : 'detailBehind', {
        actual: money(scope.actual, scope.currency),
        target: money(scope.target, scope.currency),
        expected: money(scope.expectedByNow, scope.currency),
        gap: money(Math.abs(gap), scope.currency),
      }),
    });
  }
  if (bars.length === 0) return null;
  // Which plan the bars are against comes from the figures themselves, so a purchase page never says "sales".
  return { scope: t(user.role === 'manager' ? 'myPlan' : 'departmentPlan'), kind: periods[0]!.department.kind, bars };
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
  locale: Locale = 'en',
): string | null {
  const scope = scopeOf(user, month);
  if (!scope || !scope.planned || scope.attainmentPct === null) return null;
  const outcome = ifWon(scope, deal as Deal, rates, month.reportingCurrency);
  if (!outcome.counts || outcome.excludedBecause || outcome.amount <= 0 || outcome.attainmentPct === null) return null;
  const t = translator(progressMessages, locale);
  const { percent } = formatsOf(locale);
  const key = `ifWon${user.role === 'manager' ? 'Mine' : 'Department'}${deal.kind === 'purchase' ? 'Purchase' : 'Sale'}` as const;
  return t(key, { from: percent(scope.attainmentPct), to: percent(outcome.attainmentPct), period: t(inPeriod[month.unit]) });
}
