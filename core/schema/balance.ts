import { z } from 'zod';
import { Currency, Id, IsoDate, Money, UserLocale } from './common';
import { Deal } from './deal';
import { ExchangeRates } from './plan-progress';
import { User } from './user';

/** One stage of the pipeline and the effort an open deal in it takes, in load units. */
export const StageWeight = z.object({ stage: z.string().trim().min(1).max(200), weight: z.number().min(0).max(1000) });
export type StageWeight = z.infer<typeof StageWeight>;

/**
 * Stage names of the common CRMs' default pipelines, early to late. Early stages weigh more: qualifying and
 * discovery take many calls, while a deal at contract stage mostly waits for signatures.
 */
export const DEFAULT_STAGES: StageWeight[] = [
  { stage: 'Lead In', weight: 3 },
  { stage: 'New', weight: 3 },
  { stage: 'Prospecting', weight: 3 },
  { stage: 'Appointment Scheduled', weight: 3 },
  { stage: 'Contact Made', weight: 3 },
  { stage: 'Qualification', weight: 3 },
  { stage: 'Qualified to Buy', weight: 3 },
  { stage: 'Needs Analysis', weight: 2.5 },
  { stage: 'Discovery', weight: 2.5 },
  { stage: 'Demo Scheduled', weight: 2.5 },
  { stage: 'Presentation Scheduled', weight: 2.5 },
  { stage: 'Value Proposition', weight: 2 },
  { stage: 'Id. Decision Makers', weight: 2 },
  { stage: 'Decision Maker Bought-In', weight: 2 },
  { stage: 'Perception Analysis', weight: 2 },
  { stage: 'Proposal', weight: 1.5 },
  { stage: 'Proposal Made', weight: 1.5 },
  { stage: 'Proposal/Price Quote', weight: 1.5 },
  { stage: 'Negotiation', weight: 1.5 },
  { stage: 'Negotiations Started', weight: 1.5 },
  { stage: 'Negotiation/Review', weight: 1.5 },
  { stage: 'Contract Sent', weight: 1 },
  { stage: 'Closing', weight: 1 },
];

/** Deals at or above `minAmount` (in the reporting currency) take `multiplier` times their stage's effort. */
export const AmountTier = z.object({ minAmount: Money, multiplier: z.number().min(0).max(100) });
export type AmountTier = z.infer<typeof AmountTier>;

const BalanceSettingsFields = z.object({
  /** Ordered early → late; the order is also what "early-stage" means when choosing deals to move. */
  stages: z.array(StageWeight).max(500).default(DEFAULT_STAGES),
  /** Effort of a deal whose stage is unknown or not listed. */
  defaultWeight: z.number().min(0).max(1000).default(2),
  amountTiers: z.array(AmountTier).max(50).default([]),
  /** Utilisation above this is `over`; such managers give deals away. */
  overAbove: z.number().positive().max(100).default(1),
  /** Utilisation below this is `under`. */
  underBelow: z.number().min(0).max(100).default(0.5),
  /** Donors shed down to this; receivers are never filled beyond it. */
  targetUtilisation: z.number().positive().max(100).default(0.85),
});

export const BalanceSettings = BalanceSettingsFields.refine((s) => s.underBelow <= s.targetUtilisation && s.targetUtilisation <= s.overAbove, {
  message: 'thresholds must satisfy underBelow ≤ targetUtilisation ≤ overAbove',
});
export type BalanceSettings = z.infer<typeof BalanceSettings>;
export type BalanceSettingsInput = z.input<typeof BalanceSettings>;

/**
 * PUT /api/load/settings: the fields sent replace the stored ones and the rest stay as they are (no defaults here, so
 * leaving a field out never resets it); the thresholds are checked in order on the result.
 */
export const BalanceSettingsPatch = z
  .object({
    stages: BalanceSettingsFields.shape.stages.unwrap(),
    defaultWeight: BalanceSettingsFields.shape.defaultWeight.unwrap(),
    amountTiers: BalanceSettingsFields.shape.amountTiers.unwrap(),
    overAbove: BalanceSettingsFields.shape.overAbove.unwrap(),
    underBelow: BalanceSettingsFields.shape.underBelow.unwrap(),
    targetUtilisation: BalanceSettingsFields.shape.targetUtilisation.unwrap(),
  })
  .partial();
export type BalanceSettingsPatch = z.infer<typeof BalanceSettingsPatch>;

/** Everything the load model looks at. Not parsed at run time on the hot path: the server has parsed its parts. */
export const BalanceState = z.object({
  /** The managers whose load is balanced; deals owned by anyone else are left alone. */
  managers: z.array(User),
  deals: z.array(Deal),
  today: IsoDate,
  settings: BalanceSettings.optional(),
  /** Used only to place deal amounts in the amount tiers. */
  rates: ExchangeRates.optional(),
  reportingCurrency: Currency.optional(),
  /** The language the reasons are written in: the reader's; English when not given. */
  locale: UserLocale.optional(),
});
export type BalanceState = z.infer<typeof BalanceState>;

export const LoadStatus = z.enum(['absent', 'over', 'ok', 'under']);
export type LoadStatus = z.infer<typeof LoadStatus>;

export const ManagerLoad = z.object({
  managerId: Id,
  name: z.string(),
  /** 0 while absent. */
  capacity: z.number().min(0),
  load: z.number().min(0),
  /** load ÷ capacity; null when there is load but no capacity at all. */
  utilisation: z.number().min(0).nullable(),
  status: LoadStatus,
  openDeals: z.number().int().min(0),
  /** Last day of the absence covering today, when absent. */
  absentUntil: IsoDate.nullable(),
  /** Open deals that fall due before the manager is back, which need cover (see fallsDueInAbsence); 0 when present. */
  dueInAbsence: z.number().int().min(0),
});
export type ManagerLoad = z.infer<typeof ManagerLoad>;

export const Move = z.object({
  dealId: Id,
  dealTitle: z.string(),
  /** `cover` = the owner is absent today; `rebalance` = the owner is over capacity. */
  why: z.enum(['cover', 'rebalance']),
  from: Id,
  to: Id,
  weight: z.number(),
  reason: z.string(),
  /** Utilisation of both managers just before and just after this move, with the earlier moves applied. */
  fromBefore: z.number().nullable(),
  fromAfter: z.number().nullable(),
  toBefore: z.number(),
  toAfter: z.number(),
  /**
   * The deal's currency when amount tiers are set but it has no rate to the reporting currency: the deal weighs
   * its stage only (no tier), and the reason says so. null otherwise.
   */
  noRateFor: z.string().nullable(),
});
export type Move = z.infer<typeof Move>;

export const UncoveredDeal = z.object({ dealId: Id, ownerId: Id, reason: z.string() });
export type UncoveredDeal = z.infer<typeof UncoveredDeal>;

export const Reassignment = z.object({
  moves: z.array(Move),
  /** Deals of absent managers that nobody eligible had room for. */
  uncovered: z.array(UncoveredDeal),
  before: z.array(ManagerLoad),
  after: z.array(ManagerLoad),
});
export type Reassignment = z.infer<typeof Reassignment>;

export const OwnerSuggestion = z.object({
  ownerId: Id,
  reason: z.string(),
  utilisationBefore: z.number(),
  utilisationAfter: z.number(),
  /** False when even the best eligible manager goes beyond the target utilisation with this deal. */
  withinTarget: z.boolean(),
});
export type OwnerSuggestion = z.infer<typeof OwnerSuggestion>;
