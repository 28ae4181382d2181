import { z } from 'zod';
import { CrmId, Currency, DealKind, Id, IsoDate, Instance, Money, RecordType } from './common';
import { Deal, DealFields, DealStatus } from './deal';
import { ApiError, WorkspaceSettings } from './api';
import { Plan, PlanInput, PeriodUnit } from './plan';
import { ExchangeRates, Period, ScopeProgress, TargetMismatch, WeekendDays } from './plan-progress';
import { CalendarCountry, WorkingCalendarInfo } from './calendar';

// Request and response shapes of the plan-progress API: /api/settings, /api/plans, /api/deals, /api/progress.

/** The calendar and currency side of the workspace settings, stored beside WorkspaceSettings. */
export const PlanCalendarSettings = z.object({
  /** Non-working days besides the weekend, as ISO dates. */
  holidays: z.array(IsoDate).max(2000).default([]),
  /** Value of one unit of each currency in the reporting currency (see ExchangeRates). */
  rates: ExchangeRates.default({}),
  weekendDays: WeekendDays,
  /** The country whose public holidays and transferred days pace counts (see core/calendar); null = none. */
  calendarCountry: CalendarCountry.nullable().default(null),
});
export type PlanCalendarSettings = z.infer<typeof PlanCalendarSettings>;

/** GET /api/settings answers this; PUT /api/settings takes any subset of it and answers the merged whole. */
export const Settings = WorkspaceSettings.extend(PlanCalendarSettings.shape);
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z
  .object({
    name: WorkspaceSettings.shape.name,
    reportingCurrency: WorkspaceSettings.shape.reportingCurrency,
    fiscalYearStartMonth: WorkspaceSettings.shape.fiscalYearStartMonth,
    locale: WorkspaceSettings.shape.locale.unwrap(),
    holidays: PlanCalendarSettings.shape.holidays.unwrap(),
    rates: ExchangeRates,
    weekendDays: WeekendDays.unwrap(),
    calendarCountry: CalendarCountry.nullable(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

// ---------- plans

export const PlansQuery = z.object({
  period: PeriodUnit.optional(),
  kind: DealKind.optional(),
  start: IsoDate.optional(),
});
export type PlansQuery = z.infer<typeof PlansQuery>;

/** POST /api/plans: a plan, with messages a head of sales understands for the usual mistakes. */
export const PlanCreate = PlanInput.extend({
  target: z.number().finite().min(0, 'a target cannot be negative').max(1e13, 'a target is at most 10 trillion'),
  countTarget: z.number().int('a deal-count target is a whole number').min(0, 'a deal-count target cannot be negative').max(1_000_000).nullable().default(null),
});
export type PlanCreate = z.infer<typeof PlanCreate>;

/**
 * PUT /api/plans/:id: the whole plan again, every field named (a count target left out must not become "none"),
 * optionally with the version it was based on (stale -> 409).
 */
export const PlanUpdate = PlanCreate.extend({ countTarget: PlanCreate.shape.countTarget.unwrap(), baseVersion: z.number().int().min(1).optional() });
export type PlanUpdate = z.infer<typeof PlanUpdate>;

export const PlansResponse = z.object({
  plans: z.array(Plan),
  /** Groups whose managers' targets do not add up to the department's; empty for managers. */
  mismatches: z.array(TargetMismatch),
});
export type PlansResponse = z.infer<typeof PlansResponse>;

export const PlanResponse = z.object({ plan: Plan, mismatches: z.array(TargetMismatch) });
export type PlanResponse = z.infer<typeof PlanResponse>;

// ---------- CSV imports (plans and deals)

const QueryFlag = z.enum(['1', '0', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true');

export const ImportQuery = z.object({ dryRun: QueryFlag });

/**
 * POST /api/plans/import. `replace`: a row for a scope and period that already has a plan overwrites that plan's
 * target, currency and count target (same plan, next version) instead of being refused as a duplicate.
 */
export const PlanImportQuery = ImportQuery.extend({ replace: QueryFlag });
export type PlanImportQuery = z.infer<typeof PlanImportQuery>;

/** One bad CSV row: `line` is the physical line the record starts on (the header is line 1). */
export const ImportRowError = z.object({ line: z.number().int().min(1), reason: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;

/** A stored plan a plans import (with `replace`) overwrites, or would overwrite in a dry run. */
export const ReplacedPlan = z.object({
  line: z.number().int().min(1),
  /** The plan as it is stored now. */
  previous: Plan,
  target: Money,
  currency: Currency,
  countTarget: z.number().int().min(0).nullable(),
});
export type ReplacedPlan = z.infer<typeof ReplacedPlan>;

export const ImportResult = z.object({
  dryRun: z.boolean(),
  /** False when any row was bad: then nothing was written. */
  ok: z.boolean(),
  rows: z.number().int().min(0),
  created: z.number().int().min(0),
  updated: z.number().int().min(0),
  unchanged: z.number().int().min(0),
  errors: z.array(ImportRowError),
  /** Owner labels no Headway user matched (the deals are kept, without owner). */
  unmatchedOwners: z.array(z.string()).default([]),
  /** Plans import with `replace`: the stored plans the file overwrites (counted in `updated`, or `unchanged`). */
  replaced: z.array(ReplacedPlan).optional(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/**
 * A real (not dry-run) import with bad rows answers 400 with this: an ApiError whose `issues` are every bad row with
 * its line, so a client that knows only ApiError still shows the message, and an import screen lists the rows.
 */
export const ImportRejected = ApiError.extend({
  error: z.literal('import_rejected'),
  issues: z.array(ImportRowError).min(1),
  /** Records in the file (the header not counted). */
  rows: z.number().int().min(0),
});
export type ImportRejected = z.infer<typeof ImportRejected>;

/** Columns of a plans CSV (header names, any order; owner = a manager's e-mail, empty for the department). */
export const planCsvColumns = ['kind', 'period', 'start', 'owner', 'target', 'currency', 'countTarget'] as const;

// ---------- deals

/** Body of PUT /api/deals/:crm/:crmId — what a CRM workflow or webhook sends. */
export const DealIngest = DealFields.extend({
  /** The record's tenant, one of the workspace's (GET /api/config lists them). */
  instance: Instance,
  recordType: RecordType.default('deal'),
  /** Maps the owner when the CRM's owner label is not enough (wins over ownerLabel). */
  ownerEmail: z.email().max(320).optional(),
  url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
});
export type DealIngest = z.infer<typeof DealIngest>;

export const DealKeyParams = z.object({ crm: CrmId, crmId: z.string().min(1).max(200) });

/** GET /api/deals/history?id= — one deal's history (a query, so the dashboard reads it like its other views). */
export const DealHistoryQuery = z.object({ id: Id });

export const DealIngestResponse = z.object({
  deal: Deal,
  outcome: z.enum(['created', 'updated', 'unchanged']),
});
export type DealIngestResponse = z.infer<typeof DealIngestResponse>;

// ---------- progress

export const ProgressQuery = z.object({
  period: PeriodUnit,
  /** Any day of the wanted period; default today. Figures are always as of the server's today. */
  date: IsoDate.optional(),
  kind: DealKind.default('sale'),
});
export type ProgressQuery = z.infer<typeof ProgressQuery>;

/** The country and unknown years a pace was counted on (see WorkingCalendarInfo). */
export const PaceCalendar = WorkingCalendarInfo.pick({ country: true, unknownYears: true });
export type PaceCalendar = z.infer<typeof PaceCalendar>;

export const ManagerProgress = ScopeProgress.extend({ name: z.string(), calendar: PaceCalendar });
export type ManagerProgress = z.infer<typeof ManagerProgress>;

export const ProgressResponse = z.object({
  kind: DealKind,
  unit: PeriodUnit,
  period: Period,
  today: IsoDate,
  reportingCurrency: Currency,
  department: ScopeProgress,
  /** head/exec/admin: every manager; a manager: only their own row. */
  managers: z.array(ManagerProgress),
  /** null for managers, and when the targets add up. */
  mismatch: TargetMismatch.nullable(),
  /**
   * The calendar of the department's pace over the period (each manager's row carries their own, which differs
   * when their team or they are in another country). unknownYears: years whose national calendar is not known
   * yet, counted as plain weekdays and said so in the UI.
   */
  calendar: PaceCalendar,
});
export type ProgressResponse = z.infer<typeof ProgressResponse>;

export const ProgressDealsQuery = z.object({
  period: PeriodUnit,
  date: IsoDate.optional(),
  kind: DealKind.default('sale'),
  /** Omitted: the department (head/exec/admin) or the caller (manager). "none" = deals without an owner. */
  ownerId: Id.optional(),
  status: DealStatus.default('won'),
  /** Restrict to one currency ("none" = deals without one), e.g. to list the excluded ones. */
  currency: z.union([Currency, z.literal('none')]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ProgressDealsQuery = z.infer<typeof ProgressDealsQuery>;

export const ProgressDealsResponse = z.object({
  period: Period,
  /** Won/lost: closed in the period; open: expected to close in it. */
  total: z.number().int().min(0),
  deals: z.array(Deal),
});
export type ProgressDealsResponse = z.infer<typeof ProgressDealsResponse>;

// ---------- service tokens

export const ServiceToken = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ServiceToken = z.infer<typeof ServiceToken>;
