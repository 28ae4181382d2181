import { z } from 'zod';
import { Currency, DealKind, Id, IsoDate } from './common';
import { PeriodUnit } from './plan';

/**
 * Exchange rates relative to the workspace's reporting currency: `rates.USD = 0.92` means one US dollar is worth
 * 0.92 units of the reporting currency. The reporting currency itself is always 1 and need not be listed.
 */
export const ExchangeRates = z.record(Currency, z.number().finite().positive());
export type ExchangeRates = z.infer<typeof ExchangeRates>;

/** A stretch of the calendar, both ends inclusive. */
export const Period = z.object({ start: IsoDate, end: IsoDate });
export type Period = z.infer<typeof Period>;

/** Days that are never working days; 0 = Sunday … 6 = Saturday (Date.getUTCDay numbering). */
export const WeekendDays = z.array(z.number().int().min(0).max(6)).max(6).default([0, 6]);
export type WeekendDays = z.infer<typeof WeekendDays>;

/**
 * Why a deal's amount is left out of a sum. A deal is never summed unconverted and never dropped silently:
 * it lands in one of these groups instead.
 */
export const ExclusionReason = z.enum(['no-rate', 'no-amount', 'no-currency', 'no-probability']);
export type ExclusionReason = z.infer<typeof ExclusionReason>;

export const ExcludedGroup = z.object({
  reason: ExclusionReason,
  /** Won deals inside the period, or open deals expected to close in the rest of it. */
  status: z.enum(['won', 'open']),
  currency: Currency.nullable(),
  count: z.number().int().min(0),
  /** Sum in the deals' own currency (null amounts count as 0). */
  amount: z.number(),
  /**
   * Ids of the excluded open deals. Won deals come from per-day aggregates that keep no ids, so the server lists
   * those with a query on owner, kind, currency and period when someone asks.
   */
  dealIds: z.array(Id),
});
export type ExcludedGroup = z.infer<typeof ExcludedGroup>;

export const PlanProgress = z.object({
  planId: Id.nullable(),
  kind: DealKind,
  /** null = the whole department. */
  ownerId: Id.nullable(),
  unit: PeriodUnit,
  period: Period,
  today: IsoDate,
  /** Every amount below is in this currency: the plan's. */
  currency: Currency,
  target: z.number(),
  actual: z.number(),
  /** Won deals of the kind in scope and period, including those whose amount could not be converted. */
  count: z.number().int(),
  countTarget: z.number().int().nullable(),
  /** actual / target × 100; null when the target is 0. */
  attainmentPct: z.number().nullable(),
  countAttainmentPct: z.number().nullable(),
  workingDays: z.object({ total: z.number().int(), elapsed: z.number().int(), remaining: z.number().int() }),
  expectedByNow: z.number(),
  aheadBy: z.number(),
  runRateProjection: z.number(),
  weightedPipeline: z.number(),
  openPipeline: z.number(),
  pipelineProjection: z.number(),
  /** null when the target is already met and nothing more is needed. */
  neededPerWorkingDay: z.number().nullable(),
  /** Open pipeline ÷ what is still missing; null when nothing is missing. */
  pipelineCoverage: z.number().nullable(),
  excluded: z.array(ExcludedGroup),
});
export type PlanProgress = z.infer<typeof PlanProgress>;

export const IfWon = z.object({
  dealId: Id,
  /** False when winning it today would not count towards this plan (other kind, scope, or outside the period). */
  counts: z.boolean(),
  excludedBecause: ExclusionReason.nullable(),
  amount: z.number(),
  actual: z.number(),
  attainmentPct: z.number().nullable(),
  attainmentDeltaPct: z.number().nullable(),
  aheadBy: z.number(),
  neededPerWorkingDay: z.number().nullable(),
});
export type IfWon = z.infer<typeof IfWon>;

export const TargetMismatch = z.object({
  kind: DealKind,
  unit: PeriodUnit,
  start: IsoDate,
  currency: Currency,
  departmentTarget: z.number(),
  managersTotal: z.number(),
  /** managersTotal − departmentTarget: negative = the managers' plans leave part of the department's uncovered. */
  difference: z.number(),
  managerPlanIds: z.array(Id),
  /** Manager plans in a currency without a rate; they are left out of managersTotal. */
  unconvertiblePlanIds: z.array(Id),
});
export type TargetMismatch = z.infer<typeof TargetMismatch>;

/** Progress of one scope in a department view; `planned` is false when that scope has no plan (target 0). */
export const ScopeProgress = PlanProgress.extend({ planned: z.boolean() });
export type ScopeProgress = z.infer<typeof ScopeProgress>;

export const DepartmentProgress = z.object({
  department: ScopeProgress,
  /** Every manager with a plan for this kind and period or named by the caller, sorted by id. */
  managers: z.array(ScopeProgress),
  mismatch: TargetMismatch.nullable(),
});
export type DepartmentProgress = z.infer<typeof DepartmentProgress>;
