import { randomUUID } from 'node:crypto';
import { periodContaining, targetMismatch } from '../../core/plan';
import type { DealKind, PeriodUnit, Plan, PlanCreate, PlansQuery, Settings, TargetMismatch, User } from '../../core/schema';
import { planFromRow } from '../store/plans';
import type { PlansTable } from '../store/tables';
import type { Tx } from '../store/transaction';
import { said, type Said } from '../../core/i18n';
import { refusalMessages } from '../refusal/i18n';
import { refusal, type Refused } from '../refusal/refused';


/** Who may see which plans: managers the department's and their own; everyone else all of them. */
export function visiblePlans(plans: readonly Plan[], viewer: User): Plan[] {
  return viewer.role === 'manager' ? plans.filter((p) => p.ownerId === null || p.ownerId === viewer.id) : [...plans];
}

export async function listPlans(db: Tx, query: PlansQuery = {}): Promise<Plan[]> {
  let select = db.selectFrom('plans').selectAll();
  if (query.kind) select = select.where('kind', '=', query.kind);
  if (query.period) select = select.where('period', '=', query.period);
  if (query.start) select = select.where('start', '=', query.start);
  const rows = await select.orderBy('start').orderBy('kind').orderBy('period').orderBy('id').execute();
  return rows.map(planFromRow);
}

/**
 * The plans of one kind and period for the progress view, mapped without a zod parse per row: they were parsed
 * on the way in, and /api/progress answers within its budget only if it does no per-row work it need not do.
 */
export async function plansForPeriod(db: Tx, kind: DealKind, period: PeriodUnit, start: string): Promise<Plan[]> {
  const rows = await db.selectFrom('plans').selectAll().where('kind', '=', kind).where('period', '=', period).where('start', '=', start).execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as DealKind,
    period: row.period as PeriodUnit,
    start: row.start,
    ownerId: row.owner_id,
    target: Number(row.target),
    currency: row.currency,
    countTarget: row.count_target === null ? null : Number(row.count_target),
    updatedAt: row.updated_at,
    version: Number(row.version),
  }));
}

export async function findPlan(db: Tx, id: string): Promise<Plan | undefined> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  return row && planFromRow(row);
}

function scopeName(input: Pick<PlanCreate, 'ownerId'>, users: ReadonlyMap<string, User>): string | Said {
  return input.ownerId === null ? said(refusalMessages, 'theDepartment') : (users.get(input.ownerId)?.email ?? input.ownerId);
}

/** "sales", "закупок": a plan's kind as its refusals name it. */
export const planKindWord = (kind: DealKind): Said => said(refusalMessages, `planKind.${kind}`);

/**
 * Everything about a plan that zod cannot see: the start is the first day of a fiscal period (so that a plan is
 * found by the period a date falls in), the owner is a manager or the head, and no other plan has the same scope,
 * kind, period and start.
 */
export function planProblem(
  input: PlanCreate,
  settings: Pick<Settings, 'fiscalYearStartMonth'>,
  users: ReadonlyMap<string, User>,
  others: readonly Pick<Plan, 'id' | 'kind' | 'period' | 'start' | 'ownerId'>[],
): Refused | null {
  const period = periodContaining(input.start, input.period, settings.fiscalYearStartMonth);
  if (period.start !== input.start) {
    return refusal('invalid_plan', `planStart.${input.period}`, { start: input.start, periodStart: period.start });
  }
  if (input.ownerId !== null) {
    const owner = users.get(input.ownerId);
    if (!owner) return refusal('invalid_plan', 'planOwnerUnknown', { id: input.ownerId });
    if (owner.role !== 'manager' && owner.role !== 'head') {
      return refusal('invalid_plan', 'planOwnerRole', { email: owner.email, role: said(refusalMessages, `planOwnerRole.${owner.role}`) });
    }
  }
  const clash = others.find((p) => p.kind === input.kind && p.period === input.period && p.start === input.start && p.ownerId === input.ownerId);
  if (clash) {
    return refusal('duplicate_plan', `planClash.${input.period}`, { scope: scopeName(input, users), kind: planKindWord(input.kind), start: input.start, id: clash.id });
  }
  return null;
}

export function planRow(input: PlanCreate, id: string, version: number, now: string): PlansTable {
  return {
    id,
    kind: input.kind,
    period: input.period,
    start: input.start,
    owner_id: input.ownerId,
    target: input.target,
    currency: input.currency,
    count_target: input.countTarget,
    updated_at: now,
    version,
  };
}

export function newPlanId(): string {
  return randomUUID();
}

/** Mismatch flags of the groups (kind, period, start) these plans belong to. */
export function mismatchesOf(plans: readonly Plan[], settings: Pick<Settings, 'rates' | 'reportingCurrency'>): TargetMismatch[] {
  return targetMismatch(plans, settings.rates, settings.reportingCurrency);
}

/** PostgreSQL and SQLite name a unique-index violation differently; both mean "someone else got there first". */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code) : '';
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
