import { z } from 'zod';
import { DealKind, Id, Instance, IsoDate, IsoDateTime, RecordRef, StoredRecordRef } from './common';
import { LoadStatus, Move, OwnerSuggestion, UncoveredDeal } from './balance';
import { Absence, CrmIdentity, Segments } from './user';

/*
 * The HTTP contract of load balancing: GET /api/load, GET /api/load/deal/…, /api/moves, PUT /api/users/:id.
 * Settings are core's BalanceSettings as is (GET/PUT /api/load/settings).
 */

export const LoadQuery = z.object({ date: IsoDate.optional() });
export type LoadQuery = z.infer<typeof LoadQuery>;

/** One manager's row on the dashboard's load bars. */
export const ManagerLoadRow = z.object({
  id: Id,
  name: z.string(),
  team: z.string().nullable(),
  load: z.number().min(0),
  /** 0 while absent. */
  capacity: z.number().min(0),
  /** load ÷ capacity; null when there is load but no capacity (absent). */
  utilisation: z.number().min(0).nullable(),
  status: LoadStatus,
  absentUntil: IsoDate.nullable(),
  openDeals: z.number().int().min(0),
  /** Open deals that need someone else while the owner is away (all of an absent manager's open deals). */
  dealsNeedingCover: z.number().int().min(0),
});
export type ManagerLoadRow = z.infer<typeof ManagerLoadRow>;

/** Names no one: what a manager may see of colleagues and all an exec sees. */
export const LoadAggregate = z.object({
  scope: z.enum(['department', 'team']),
  /** null for the department, and for managers without a team. */
  team: z.string().nullable(),
  managers: z.number().int().min(0),
  load: z.number().min(0),
  capacity: z.number().min(0),
  utilisation: z.number().min(0).nullable(),
  over: z.number().int().min(0),
  absent: z.number().int().min(0),
  under: z.number().int().min(0),
});
export type LoadAggregate = z.infer<typeof LoadAggregate>;

/** A deal's CRM address, so the dashboard can link to the record where the owner is changed. */
export const MoveDealRef = StoredRecordRef.extend({ url: z.string().nullable() });
export type MoveDealRef = z.infer<typeof MoveDealRef>;

export const MoveStatus = z.enum(['proposed', 'approved', 'dismissed', 'done']);
export type MoveStatus = z.infer<typeof MoveStatus>;

/** A move as the head decided on it; `manual` = proposed by hand rather than taken from the suggestions. */
export const MoveRecord = z.object({
  id: Id,
  dealId: Id,
  dealTitle: z.string(),
  deal: MoveDealRef,
  from: Id,
  fromName: z.string(),
  to: Id,
  toName: z.string(),
  why: z.enum(['cover', 'rebalance', 'manual']),
  reason: z.string(),
  status: MoveStatus,
  createdBy: Id,
  createdAt: IsoDateTime,
  decidedBy: Id.nullable(),
  decidedAt: IsoDateTime.nullable(),
  doneAt: IsoDateTime.nullable(),
  updatedAt: IsoDateTime,
  version: z.number().int().min(1),
});
export type MoveRecord = z.infer<typeof MoveRecord>;

/** A move core/balance suggests, with names and the CRM address, and the open proposal for it if there is one. */
export const SuggestedMove = Move.extend({
  fromName: z.string(),
  toName: z.string(),
  deal: MoveDealRef,
  /** The proposed (not yet decided) move for this deal and target, if the head already proposed it. */
  proposalId: Id.nullable(),
});
export type SuggestedMove = z.infer<typeof SuggestedMove>;

/**
 * GET /api/load. head/admin: every manager, every suggestion, every active proposal. manager: their own row, the
 * aggregates, and only moves and uncovered deals that touch them. exec: the aggregates only.
 */
/** How much of the floor a caller's load view holds, so a screen can say what it leaves out rather than "nothing". */
export const LoadShown = z.enum(['everyone', 'own', 'aggregates']);
export type LoadShown = z.infer<typeof LoadShown>;

export const LoadResponse = z.object({
  date: IsoDate,
  shown: LoadShown,
  managers: z.array(ManagerLoadRow),
  /** The department first, then one per team. */
  aggregates: z.array(LoadAggregate),
  moves: z.array(SuggestedMove),
  uncovered: z.array(UncoveredDeal),
  /** Moves proposed or approved and not yet done. */
  proposals: z.array(MoveRecord),
});
export type LoadResponse = z.infer<typeof LoadResponse>;

/** The record's key in the path; its tenant (`instance`, a URL) travels in the query. */
export const DealLoadParams = RecordRef.omit({ instance: true });
export type DealLoadParams = z.infer<typeof DealLoadParams>;

export const DealLoadQuery = LoadQuery.extend({ instance: Instance });
export type DealLoadQuery = z.infer<typeof DealLoadQuery>;

/** GET /api/load/deal/:crm/:recordType/:crmId?instance= — what the sidebar shows on a deal page. */
export const DealLoadResponse = z.object({
  date: IsoDate,
  deal: z.object({ id: Id, title: z.string(), kind: DealKind, ownerId: Id.nullable(), status: z.enum(['open', 'won', 'lost']) }),
  /** The owner's load; null when the owner is not a manager or the caller may not see it. */
  owner: ManagerLoadRow.nullable(),
  /** Who should take the deal over, when its owner is over capacity or absent (or it has no owner). */
  suggestion: OwnerSuggestion.extend({ name: z.string(), why: z.enum(['cover', 'rebalance', 'assign']) }).nullable(),
  /** The proposed or approved move of this deal: "moving to B — change the owner in the CRM". */
  move: MoveRecord.nullable(),
});
export type DealLoadResponse = z.infer<typeof DealLoadResponse>;

/** POST /api/moves. `decide` proposes and decides in one step (the dashboard's approve/dismiss on a suggestion). */
export const MoveProposal = z
  .object({
    dealId: Id,
    to: Id,
    reason: z.string().trim().min(1).max(500).optional(),
    decide: z.enum(['approve', 'dismiss']).optional(),
  })
  .strict();
export type MoveProposal = z.infer<typeof MoveProposal>;

/** Body of POST /api/moves/:id/approve and /dismiss; optional, `version` guards against deciding on a stale view. */
export const MoveDecision = z.object({ version: z.number().int().min(1).optional() }).strict();
export type MoveDecision = z.infer<typeof MoveDecision>;

export const MoveParams = z.object({ id: Id });

/** Approving several suggested moves at once: each deal to its target, all or none. */
export const MovesApproval = z
  .object({
    moves: z
      .array(z.object({ dealId: Id, to: Id }).strict())
      .min(1, 'choose at least one move')
      .max(500, 'approve at most 500 moves at once')
      .refine((moves) => new Set(moves.map((m) => m.dealId)).size === moves.length, 'each deal may appear once'),
  })
  .strict();
export type MovesApproval = z.infer<typeof MovesApproval>;
export const MovesQuery = z.object({ status: MoveStatus.optional() });
export type MovesQuery = z.infer<typeof MovesQuery>;

export const MovesResponse = z.object({ moves: z.array(MoveRecord) });
export type MovesResponse = z.infer<typeof MovesResponse>;

/**
 * PUT /api/users/:id — what the head edits on the roster. Fields left out are kept (no defaults here, unlike
 * UserInput, so a partial edit never resets capacity); `segments` and lists replace what was there.
 */
export const RosterUpdate = z
  .object({
    team: z.string().max(100).nullable(),
    capacity: z.number().int().min(0).max(100_000),
    segments: Segments,
    absences: z.array(Absence).max(100),
    crmIdentities: z.array(CrmIdentity).max(50),
  })
  .partial()
  .strict()
  .refine((update) => Object.keys(update).length > 0, 'nothing to change: send at least one of team, capacity, segments, absences, crmIdentities');
export type RosterUpdate = z.infer<typeof RosterUpdate>;
