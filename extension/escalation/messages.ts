import { z } from 'zod';
import { EscalationActionRequest, EscalationCategory, EscalationStatus, Id, IsoDate, RecordRef, Severity } from '../../core/schema';
import { ApiResult } from '../page-api';
import { messageTable, requestUnion, type RequestOf } from '../message-table';

/** Sent by the background to its own pages when escalations arrived or changed; the inbox reloads on it. */
export const ESCALATIONS_CHANGED = 'headway.escalations-changed';

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
  /** waiting = still in the outbox; sent = on the server; undone = withdrawn or about to be; joined = the server added it to an open one. */
  phase: z.enum(['waiting', 'sent', 'undone', 'joined']),
  /** The title of the open escalation it joined (phase joined). */
  joinedTitle: z.string().nullable().default(null),
  presetReason: z.string().nullable(),
});
export type SentEscalation = z.infer<typeof SentEscalation>;

export const StatusLine = z.object({ text: z.string().nullable(), tone: z.enum(['open', 'ok', 'muted']) });
export type StatusLine = z.infer<typeof StatusLine>;

/**
 * The escalation requests (issue 8) in the extension's message table (extension/messages.ts). `escalate` and
 * `escalation-status` may come from any sender (the side panel's button, built there without zod); the rest only
 * from Headway's own pages (the escalate window, the inbox, the popup, the report page).
 */
export const ESCALATION_MESSAGES = messageTable({
  /** One click: record = what the page shows (null = a proposal for the department), fields = what the adapter read. */
  escalate: {
    request: z.object({ type: z.literal('escalate'), record: RecordRef.nullable(), fields: z.record(z.string(), z.unknown()).default({}), url: z.string().max(2000).nullable().default(null) }),
    response: EscalateResult,
    from: 'any',
  },
  /** The sidebar's one line about this record's latest escalation; `revision` makes it ask again after a sync. */
  'escalation-status': {
    request: z.object({ type: z.literal('escalation-status'), record: RecordRef, revision: z.number().int().min(0).default(0) }),
    response: StatusLine,
    from: 'any',
  },
  'escalation-sent': {
    request: z.object({ type: z.literal('escalation-sent'), id: Id }),
    response: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), escalation: SentEscalation }), z.object({ ok: z.literal(false), message: z.string() })]),
    from: 'pages',
  },
  'escalation-undo': { request: z.object({ type: z.literal('escalation-undo'), id: Id }), response: Outcome, from: 'pages' },
  'escalation-refine': {
    request: z.object({
      type: z.literal('escalation-refine'),
      id: Id,
      category: EscalationCategory,
      severity: Severity,
      title: z.string().trim().min(1, 'Give it a title.').max(300),
      body: z.string().max(20_000),
    }),
    response: Outcome,
    from: 'pages',
  },
  'escalations-list': {
    request: z.object({ type: z.literal('escalations-list'), box: z.enum(['inbox', 'sent']), status: EscalationStatus.optional() }),
    response: ApiResult,
    from: 'pages',
  },
  'escalation-detail': { request: z.object({ type: z.literal('escalation-detail'), id: Id }), response: ApiResult, from: 'pages' },
  'escalation-act': { request: z.object({ type: z.literal('escalation-act'), id: Id, action: EscalationActionRequest }), response: ApiResult, from: 'pages' },
  /** count = waiting in my inbox; needsMe = open ones addressed to me not yet acknowledged; pending = outbox. */
  'escalation-inbox-count': {
    request: z.object({ type: z.literal('escalation-inbox-count') }),
    response: z.object({ count: z.number().int().min(0).nullable(), needsMe: z.number().int().min(0).nullable().default(null), pending: z.number().int().min(0).default(0) }),
    from: 'pages',
  },
  /** An exec asks the report writer (routing rules) for the weekly report of the week `week` falls in. */
  'escalation-request-report': {
    request: z.object({ type: z.literal('escalation-request-report'), week: IsoDate, body: z.string().max(2000, 'Keep the note under 2000 characters.').default('') }),
    response: ApiResult,
    from: 'pages',
  },
  /** The head answers a report request: store that week's report, resolve the request with it. */
  'escalation-attach-report': { request: z.object({ type: z.literal('escalation-attach-report'), id: Id, week: IsoDate }), response: ApiResult, from: 'pages' },
  /** A stored report's printable HTML, fetched with the device token (a plain link would carry none). */
  'report-html': {
    request: z.object({ type: z.literal('report-html'), id: Id }),
    response: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), html: z.string() }), z.object({ ok: z.literal(false), message: z.string() })]),
    from: 'pages',
  },
});
export const EscalationRequest = requestUnion(ESCALATION_MESSAGES);
export type EscalationRequest = RequestOf<typeof ESCALATION_MESSAGES>;
