import { z } from 'zod';
import { EscalationActionRequest, EscalationCategory, EscalationStatus, Id, RecordRef, Severity } from '../../core/schema';
import { ApiResult } from '../page-api';

/**
 * The escalation requests (issue 8). `escalate` and `escalation-status` come from the sidebar's content script
 * (built there without zod); the rest only from Headway's own pages (the escalate window, the inbox, the popup).
 */
export const EscalationRequest = z.discriminatedUnion('type', [
  /** One click: record = what the page shows (null = a proposal for the department), fields = what the adapter read. */
  z.object({ type: z.literal('escalate'), record: RecordRef.nullable(), fields: z.record(z.string(), z.unknown()).default({}), url: z.string().max(2000).nullable().default(null) }),
  /** The sidebar's one line about this record's latest escalation; `revision` makes it ask again after a sync. */
  z.object({ type: z.literal('escalation-status'), record: RecordRef, revision: z.number().int().min(0).default(0) }),
  z.object({ type: z.literal('escalation-sent'), id: Id }),
  z.object({ type: z.literal('escalation-undo'), id: Id }),
  z.object({
    type: z.literal('escalation-refine'),
    id: Id,
    category: EscalationCategory,
    severity: Severity,
    title: z.string().trim().min(1, 'Give it a title.').max(300),
    body: z.string().max(20_000),
  }),
  z.object({ type: z.literal('escalations-list'), box: z.enum(['inbox', 'sent']), status: EscalationStatus.optional() }),
  z.object({ type: z.literal('escalation-detail'), id: Id }),
  z.object({ type: z.literal('escalation-act'), id: Id, action: EscalationActionRequest }),
  z.object({ type: z.literal('escalation-inbox-count') }),
]);
export type EscalationRequest = z.infer<typeof EscalationRequest>;
export const ESCALATION_REQUEST_TYPES = new Set<string>(EscalationRequest.options.map((option) => option.shape.type.value));
/** What a content script may ask; everything else is for extension pages only. */
export const CONTENT_ESCALATION_TYPES = new Set<string>(['escalate', 'escalation-status']);

const Outcome = z.object({ ok: z.boolean(), message: z.string() });

export const EscalateResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), id: Id, message: z.string() }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type EscalateResult = z.infer<typeof EscalateResult>;

/** What the escalate window shows of the escalation it was opened for. */
export const SentEscalation = z.object({
  id: Id,
  category: EscalationCategory,
  severity: Severity,
  title: z.string(),
  body: z.string(),
  /** "Head of sales", "Dana Fischer". */
  toLabel: z.string(),
  recordTitle: z.string().nullable(),
  sentAt: z.string(),
  /** waiting = still in the outbox; sent = on the server; undone = withdrawn or about to be. */
  phase: z.enum(['waiting', 'sent', 'undone']),
  presetReason: z.string().nullable(),
});
export type SentEscalation = z.infer<typeof SentEscalation>;

export const StatusLine = z.object({ text: z.string().nullable(), tone: z.enum(['open', 'ok', 'muted']) });
export type StatusLine = z.infer<typeof StatusLine>;

export const EscalationResponseFor = {
  escalate: EscalateResult,
  'escalation-status': StatusLine,
  'escalation-sent': z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), escalation: SentEscalation }), z.object({ ok: z.literal(false), message: z.string() })]),
  'escalation-undo': Outcome,
  'escalation-refine': Outcome,
  'escalations-list': ApiResult,
  'escalation-detail': ApiResult,
  'escalation-act': ApiResult,
  'escalation-inbox-count': z.object({ count: z.number().int().min(0).nullable() }),
} as const satisfies Record<EscalationRequest['type'], z.ZodType>;
