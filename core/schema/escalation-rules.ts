import { z } from 'zod';
import { Currency, Id, IsoDate, IsoDateTime, Money, RecordRef, Role, StoredRecordRef } from './common';
import { EscalationCategory, EscalationStatus, Recipient, Severity } from './escalation';

/**
 * Who an escalation goes to, configured by an admin. `routes` answers "a sender holding this role escalates to…";
 * `above` is the ladder of roles used both for SLA escalation and for "those above the recipients may act and see".
 */
export const EscalationRules = z
  .object({
    routes: z
      .object({ manager: Recipient, head: Recipient, exec: Recipient, admin: Recipient })
      .default({ manager: { role: 'head' }, head: { role: 'exec' }, exec: { role: 'exec' }, admin: { role: 'exec' } }),
    /** The role directly above a recipient holding this role; null = the top, nowhere further to go. */
    above: z
      .object({ manager: Role.nullable(), head: Role.nullable(), exec: Role.nullable(), admin: Role.nullable() })
      .default({ manager: 'head', head: 'exec', exec: null, admin: 'exec' }),
    /** Who writes the reports management asks for: a report request goes here, not up the ladder. */
    reportRequests: Recipient.default({ role: 'head' }),
  })
  .refine((rules) => {
    // A cycle would make SLA escalation bounce forever and make "above" contain the recipient itself.
    for (const start of Role.options) {
      const seen = new Set<Role>([start]);
      for (let role = rules.above[start]; role !== null; role = rules.above[role]) {
        if (seen.has(role)) return false;
        seen.add(role);
      }
    }
    return true;
  }, 'the ladder of roles above each other must end at a top role, without going round in a circle');
export type EscalationRules = z.infer<typeof EscalationRules>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day such as 09:00');

/**
 * Business hours for SLA clocks. A fixed UTC offset rather than an IANA zone keeps core/ free of time-zone tables;
 * an admin in a daylight-saving zone updates it twice a year (the SLA error is at most an hour meanwhile).
 */
export const BusinessCalendar = z
  .object({
    /** Local time = UTC + this many minutes (e.g. 60 for CET, -300 for EST). */
    utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
    /** 0 = Sunday … 6 = Saturday. */
    workdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).default([1, 2, 3, 4, 5]),
    start: ClockTime.default('09:00'),
    end: ClockTime.default('18:00'),
    holidays: z.array(IsoDate).max(1000).default([]),
    /** Days worked although not in `workdays` (a transferred working Saturday); the server adds its country's. */
    workingDays: z.array(IsoDate).max(1000).default([]),
    /** Business hours the recipients have to answer in, per severity. */
    hoursBySeverity: z
      .object({
        low: z.number().positive().max(10_000),
        normal: z.number().positive().max(10_000),
        high: z.number().positive().max(10_000),
        critical: z.number().positive().max(10_000),
      })
      .default({ low: 45, normal: 18, high: 9, critical: 2 }),
  })
  .refine((c) => c.start < c.end, { message: 'the working day ends after it starts', path: ['end'] });
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;

/** The workspace's escalation settings as one object, so the server stores and validates them together. */
export const EscalationSettings = z.object({
  /** A note offering a discount above this percentage makes the escalation button preset an approval request. */
  discountApprovalPct: z.number().min(0).max(100).default(15),
  rules: EscalationRules.default(EscalationRules.parse({})),
  calendar: BusinessCalendar.default(BusinessCalendar.parse({})),
});
export type EscalationSettings = z.infer<typeof EscalationSettings>;

/** Who performs a transition: a person, or the server's SLA clock. */
export const EscalationActor = z.union([
  z.object({ id: Id, role: Role }),
  z.object({ system: z.literal(true) }),
]);
export type EscalationActor = z.infer<typeof EscalationActor>;

const Text = z.string().max(20_000);

/** The actions a caller may send (see EscalationActionRequest), each its own schema so the request can reuse them. */
export const EscalationActions = {
  acknowledge: z.object({ type: z.literal('acknowledge') }),
  comment: z.object({ type: z.literal('comment'), commentId: Id, body: Text }),
  requestInfo: z.object({ type: z.literal('request-info'), commentId: Id, body: Text }),
  /** reportId: the stored weekly report that answers a report request; the server checks it exists. */
  resolve: z.object({ type: z.literal('resolve'), decision: Text, reportId: Id.optional() }),
  handover: z.object({ type: z.literal('handover'), to: Recipient, note: z.string().max(2000).optional() }),
  withdraw: z.object({ type: z.literal('withdraw'), reason: z.string().max(2000).optional() }),
  edit: z.object({
    type: z.literal('edit'),
    /** The version the requester edited; a stale one is a conflict, not a silent overwrite. */
    baseVersion: z.number().int().min(1).optional(),
    title: z.string().max(300).optional(),
    body: Text.optional(),
  }),
  escalateUp: z.object({ type: z.literal('escalate-up') }),
};

export const EscalationAction = z.discriminatedUnion('type', [
  EscalationActions.acknowledge,
  EscalationActions.comment,
  EscalationActions.requestInfo,
  EscalationActions.resolve,
  EscalationActions.handover,
  EscalationActions.withdraw,
  EscalationActions.edit,
  EscalationActions.escalateUp,
  /** A second sender's duplicate joins the waiting escalation; record and category prove it is the same question. */
  z.object({ type: z.literal('join'), record: RecordRef, category: EscalationCategory, commentId: Id, body: Text }),
]);
export type EscalationAction = z.infer<typeof EscalationAction>;
export type EscalationActionType = EscalationAction['type'];

const AuditText = z.string().max(2000);

/**
 * What a transition did, as facts rather than words, so that each reader reads it in their own language: the
 * category and severity an escalation opened with, the text of a comment, question, decision or reason, where it
 * moved from and to, which parts were edited. The action beside it says which of these it is.
 */
export const EscalationAuditFacts = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opened'), category: EscalationCategory, severity: Severity }),
  z.object({ kind: z.literal('text'), text: AuditText }),
  /** A second sender's text on a question they were already part of, rather than a newcomer's. */
  z.object({ kind: z.literal('again'), text: AuditText }),
  z.object({ kind: z.literal('moved'), from: Recipient, to: Recipient, note: AuditText.optional() }),
  z.object({ kind: z.literal('edited'), fields: z.array(z.enum(['title', 'body'])).min(1) }),
]);
export type EscalationAuditFacts = z.infer<typeof EscalationAuditFacts>;

/** One accepted transition, as the audit trail and its CSV export keep it. */
export const EscalationAuditEntry = z.object({
  escalationId: Id,
  at: IsoDateTime,
  /** A user id, or "system" for the SLA clock. */
  actorId: Id,
  action: z.enum(['open', 'acknowledge', 'comment', 'request-info', 'resolve', 'handover', 'withdraw', 'edit', 'escalate-up', 'join']),
  from: EscalationStatus,
  to: EscalationStatus,
  /** The escalation's version after this transition. */
  version: z.number().int().min(1),
  /** The facts; a plain English text in entries written before they were kept as facts, shown as written. */
  details: z.union([EscalationAuditFacts, AuditText]).nullable(),
});
export type EscalationAuditEntry = z.infer<typeof EscalationAuditEntry>;

export const TransitionRefusalCode = z.enum(['forbidden', 'invalid-state', 'invalid', 'conflict', 'not-due', 'at-top']);
export type TransitionRefusalCode = z.infer<typeof TransitionRefusalCode>;

/** The deal as the sender saw it, attached to the escalation; every text is capped so a snapshot stays small. */
export const EscalationContextSnapshot = z.object({
  title: z.string().max(300),
  amount: Money.nullable(),
  currency: Currency.nullable(),
  stage: z.string().max(200).nullable(),
  owner: z.string().max(200).nullable(),
  expectedClose: IsoDate.nullable(),
  record: StoredRecordRef.nullable(),
  link: z.string().max(2000).nullable(),
  notes: z
    .array(
      z.object({
        at: IsoDateTime,
        side: z.enum(['buyer', 'seller']),
        summary: z.string().max(400),
        discountPct: z.number().min(0).max(100).nullable(),
        nextStep: z.string().max(200).nullable(),
      }),
    )
    .max(3),
});
export type EscalationContextSnapshot = z.infer<typeof EscalationContextSnapshot>;

export const EscalationPreset = z.object({
  category: EscalationCategory,
  severity: Severity,
  title: z.string().min(1).max(300),
  to: Recipient,
  /** Why the form chose this category, shown under it so the sender can disagree knowingly. */
  reason: z.enum(['past-close-date', 'discount-above-threshold', 'objection', 'last-choice', 'default']),
});
export type EscalationPreset = z.infer<typeof EscalationPreset>;

export const WebhookEventType = z.enum([
  'escalation.created',
  'escalation.acknowledged',
  'escalation.commented',
  'escalation.info-requested',
  'escalation.resolved',
  'escalation.handed-over',
  'escalation.withdrawn',
  'escalation.edited',
  'escalation.escalated-up',
  'escalation.overdue',
  'escalation.joined',
]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** What a webhook receiver gets: enough to route and show a line, never the body or the notes. */
export const WebhookPayload = z.object({
  type: WebhookEventType,
  at: IsoDateTime,
  /** One line for chat tools (Slack, Teams) that show a `text` field as is. */
  text: z.string(),
  escalation: z.object({
    id: Id,
    category: EscalationCategory,
    severity: Severity,
    title: z.string(),
    status: EscalationStatus,
    fromId: Id,
    to: Recipient,
    slaDue: IsoDateTime.nullable(),
    record: StoredRecordRef.nullable(),
    version: z.number().int(),
  }),
  link: z.string(),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

export const WebhookRetryPolicy = z.object({
  baseDelayMs: z.number().int().min(1).default(30_000),
  maxDelayMs: z.number().int().min(1).default(6 * 60 * 60 * 1000),
  /** Attempts in all, the first delivery included. */
  maxAttempts: z.number().int().min(1).max(50).default(10),
});
export type WebhookRetryPolicy = z.infer<typeof WebhookRetryPolicy>;
