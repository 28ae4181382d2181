import { z } from 'zod';
import { Id, IsoDateTime, RecordRef, Role, StoredRecordRef } from './common';

export const EscalationCategory = z.enum([
  'shortcoming',
  'irregularity',
  'approval',
  'decision',
  'explanation',
  'report-request',
  'proposal',
]);
export type EscalationCategory = z.infer<typeof EscalationCategory>;

export const Severity = z.enum(['low', 'normal', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

export const EscalationStatus = z.enum(['open', 'acknowledged', 'resolved', 'withdrawn']);
export type EscalationStatus = z.infer<typeof EscalationStatus>;

/** Addressed to a role (everyone holding it) or to one person. */
export const Recipient = z.union([z.object({ role: Role }), z.object({ userId: Id })]);
export type Recipient = z.infer<typeof Recipient>;

export const EscalationInput = z.object({
  id: Id,
  category: EscalationCategory,
  severity: Severity,
  title: z.string().trim().min(1).max(300),
  body: z.string().max(20_000).default(''),
  record: RecordRef.nullable(),
  /** The record as the sender saw it: title, amount, stage, owner, link, latest notes. */
  context: z.record(z.string(), z.unknown()).default({}),
  to: Recipient,
});
export type EscalationInput = z.infer<typeof EscalationInput>;

export const EscalationComment = z.object({
  id: Id,
  authorId: Id,
  body: z.string().min(1).max(20_000),
  at: IsoDateTime,
});
export type EscalationComment = z.infer<typeof EscalationComment>;

/** Who answered, with the name they had then: the requester's sidebar names them, and managers cannot list users. */
export const EscalationAnswerer = z.object({ id: Id, name: z.string().max(200) });
export type EscalationAnswerer = z.infer<typeof EscalationAnswerer>;

export const Escalation = EscalationInput.extend({
  record: StoredRecordRef.nullable(),
  fromId: Id,
  status: EscalationStatus,
  slaDue: IsoDateTime.nullable(),
  decision: z.string().max(20_000).nullable(),
  comments: z.array(EscalationComment),
  /** People who joined with a duplicate of this escalation (same record and category); they see it and may comment. */
  participantIds: z.array(Id).max(200).optional(),
  /** When it was resolved; reports count resolutions by it (updatedAt moves with later comments). */
  resolvedAt: IsoDateTime.optional(),
  /** Who acknowledged it (or asked for information, which acknowledges); cleared when it moves to new recipients. */
  acknowledgedBy: EscalationAnswerer.nullable().optional(),
  resolvedBy: EscalationAnswerer.nullable().optional(),
  /** The stored weekly report a report request was answered with (GET /api/reports/:id). */
  reportId: Id.nullable().optional(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: z.number().int().min(1),
});
export type Escalation = z.infer<typeof Escalation>;
