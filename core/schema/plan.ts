import { z } from 'zod';
import { Currency, DealKind, Id, IsoDate, Money } from './common';

export const PeriodUnit = z.enum(['month', 'quarter', 'year']);
export type PeriodUnit = z.infer<typeof PeriodUnit>;

export const PlanInput = z.object({
  kind: DealKind,
  period: PeriodUnit,
  /** First day of the period, on the workspace's fiscal calendar. */
  start: IsoDate,
  /** null = the whole department; otherwise the manager the plan belongs to. */
  ownerId: Id.nullable(),
  target: Money,
  currency: Currency,
  countTarget: z.number().int().min(0).max(1_000_000).nullable().default(null),
});
export type PlanInput = z.infer<typeof PlanInput>;

export const Plan = PlanInput.extend({ id: Id, updatedAt: z.string(), version: z.number().int().min(1) });
export type Plan = z.infer<typeof Plan>;
