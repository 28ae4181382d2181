import type { Deal, DealKind, DepartmentProgress, ExchangeRates, Plan, PeriodUnit, ScopeProgress, TargetMismatch } from '../schema';
import { rateOf, toCents } from './currency';
import { type PlanProgressInput, planProgress } from './progress';
import { type WorkCalendar, workCalendar } from './working-days';

export interface DepartmentProgressInput extends Omit<PlanProgressInput, 'plan' | 'holidays'> {
  plans: readonly Plan[];
  kind: DealKind;
  unit: PeriodUnit;
  /** First day of the period, as on the plans. */
  start: string;
  /** Managers to show even without a plan of their own (they get target 0 and `planned: false`). */
  managerIds?: readonly string[];
  holidays?: readonly string[] | WorkCalendar;
  /** A manager's own calendar when it is not the department's (a team or person in another country). */
  calendarOf?: (ownerId: string) => WorkCalendar;
}

/**
 * The head of sales' view of one kind and period: the department and every manager, computed over one calendar,
 * plus whether the managers' targets add up to the department's.
 */
export function departmentProgress(input: DepartmentProgressInput): DepartmentProgress {
  const { plans, kind, unit, start } = input;
  const calendar = Array.isArray(input.holidays) || input.holidays === undefined
    ? workCalendar(input.holidays as readonly string[] | undefined)
    : (input.holidays as WorkCalendar);
  const matching = plans.filter((p) => p.kind === kind && p.period === unit && p.start === start).sort(byId);
  const departmentPlan = matching.find((p) => p.ownerId === null);
  const currency = departmentPlan?.currency ?? input.reportingCurrency;
  // Each manager's progress reads only their own deals: one pass to group them instead of one scan per manager.
  const dealsOf = new Map<string, Deal[]>();
  for (const deal of input.deals) {
    if (deal.ownerId === null) continue;
    const own = dealsOf.get(deal.ownerId);
    if (own) own.push(deal);
    else dealsOf.set(deal.ownerId, [deal]);
  }
  const scope = (plan: Plan | null, ownerId: string | null): ScopeProgress => ({
    ...planProgress({
      ...input,
      deals: ownerId === null ? input.deals : (dealsOf.get(ownerId) ?? []),
      holidays: ownerId !== null && input.calendarOf ? input.calendarOf(ownerId) : calendar,
      plan: plan ?? { kind, period: unit, start, ownerId, target: 0, currency, countTarget: null },
    }),
    planned: plan !== null,
  });

  const managerPlans = new Map<string, Plan>();
  for (const plan of matching) if (plan.ownerId !== null && !managerPlans.has(plan.ownerId)) managerPlans.set(plan.ownerId, plan);
  const managerIds = [...new Set([...managerPlans.keys(), ...(input.managerIds ?? [])])].sort();

  return {
    department: scope(departmentPlan ?? null, null),
    managers: managerIds.map((id) => scope(managerPlans.get(id) ?? null, id)),
    mismatch: targetMismatch(matching, input.rates, input.reportingCurrency)[0] ?? null,
  };
}

/**
 * Plans whose managers' targets do not add up to the department's target for the same kind, period and start.
 * Manager targets in another currency are converted; those without a rate are named rather than guessed.
 * Only groups that have both a department plan and at least one manager plan are checked.
 */
export function targetMismatch(
  plans: readonly Plan[],
  rates: ExchangeRates = {},
  reportingCurrency?: string,
): TargetMismatch[] {
  const groups = new Map<string, Plan[]>();
  for (const plan of [...plans].sort(byId)) {
    const key = `${plan.start}|${plan.kind}|${plan.period}`;
    const group = groups.get(key);
    if (group) group.push(plan);
    else groups.set(key, [plan]);
  }
  const mismatches: TargetMismatch[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    const department = group.find((p) => p.ownerId === null);
    const managers = group.filter((p) => p.ownerId !== null);
    if (!department || managers.length === 0) continue;
    let cents = 0;
    let converted = 0;
    const unconvertible: string[] = [];
    for (const plan of managers) {
      if (plan.currency === department.currency) {
        cents += toCents(plan.target);
        continue;
      }
      const from = rateOf(plan.currency, rates, reportingCurrency);
      const to = rateOf(department.currency, rates, reportingCurrency);
      if (from === null || to === null) unconvertible.push(plan.id);
      else {
        cents += toCents((plan.target * from) / to);
        converted += 1;
      }
    }
    const difference = cents - toCents(department.target);
    // Each converted target is rounded to the cent, so that many cents of difference are rounding, not a mismatch.
    if (Math.abs(difference) <= converted && unconvertible.length === 0) continue;
    mismatches.push({
      kind: department.kind,
      unit: department.period,
      start: department.start,
      currency: department.currency,
      departmentTarget: department.target,
      managersTotal: cents / 100,
      difference: difference / 100,
      managerPlanIds: managers.map((p) => p.id),
      unconvertiblePlanIds: unconvertible,
    });
  }
  return mismatches;
}

function byId(a: Plan, b: Plan): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
