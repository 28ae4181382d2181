import {
  EscalationAction as EscalationActionSchema,
  EscalationInput,
  type BusinessCalendar,
  type Escalation,
  type EscalationAction,
  type EscalationActor,
  type EscalationAnswerer,
  type EscalationAuditEntry,
  type EscalationAuditFacts,
  type EscalationRules,
  type EscalationStatus,
  type Role,
} from '../schema';
import { isOverdue, slaDue } from './business-hours';
import { actionWords, refuse, statusWord, type TransitionRefusal } from './refusal';
import { lookUp, nextLevelUp, sameRecipient, type PeopleById } from './routing';
import { clampText } from './text';
import { canSee, mayAnswer } from './visibility';

export interface TransitionContext {
  usersById: PeopleById;
  rules: EscalationRules;
  /** Needed to restart the SLA clock when an escalation moves up a level. */
  calendar: BusinessCalendar;
}

export type TransitionResult =
  | { ok: true; escalation: Escalation; audit: EscalationAuditEntry }
  | TransitionRefusal;

const FINAL: ReadonlySet<EscalationStatus> = new Set(['resolved', 'withdrawn']);

/** The actor as the requester will read it ("acknowledged by Morgan Lee"); the name as the workspace has it now. */
function answerer(person: { id: string }, ctx: TransitionContext): EscalationAnswerer {
  const known = lookUp(ctx.usersById, person.id) as { name?: unknown } | undefined;
  return { id: person.id, name: typeof known?.name === 'string' ? known.name.slice(0, 200) : '' };
}


/** Whatever a transition changes besides status, version and updatedAt; details are facts, worded when read. */
type Change = { patch: Partial<Escalation>; status: EscalationStatus; details: EscalationAuditFacts | null };

/** A comment's, question's or reason's text as the audit trail keeps it: the thread has it whole. */
const quoted = (text: string, max = 200): EscalationAuditFacts => ({ kind: 'text', text: clampText(text, max) });

/**
 * The one place escalation state changes. Pure: the caller persists the new escalation and the audit entry together,
 * or shows the refusal's message as it is.
 */
export function applyTransition(
  escalation: Escalation,
  action: EscalationAction,
  actor: EscalationActor,
  now: string,
  ctx: TransitionContext,
): TransitionResult {
  // Actions arrive from sync mutations; one that does not fit the schema is refused, not half-applied.
  const parsed = EscalationActionSchema.safeParse(action);
  if (!parsed.success) return refuse('invalid', 'notAnAction', { problem: parsed.error.issues[0]?.message ?? 'unknown shape' });
  const decided = decide(escalation, parsed.data, actor, now, ctx);
  if ('ok' in decided) return decided;
  const version = escalation.version + 1;
  const next: Escalation = { ...escalation, ...decided.patch, status: decided.status, version, updatedAt: now };
  const audit: EscalationAuditEntry = {
    escalationId: escalation.id,
    at: now,
    actorId: 'system' in actor ? 'system' : actor.id,
    action: action.type,
    from: escalation.status,
    to: decided.status,
    version,
    details: decided.details,
  };
  return { ok: true, escalation: next, audit };
}

function decide(
  esc: Escalation,
  action: EscalationAction,
  actor: EscalationActor,
  now: string,
  ctx: TransitionContext,
): Change | TransitionRefusal {
  const person = 'system' in actor ? null : actor;
  const isRequester = person !== null && person.id === esc.fromId;
  const final = FINAL.has(esc.status);

  if (action.type === 'escalate-up') {
    // The SLA clock moves it up; the requester may do the same once the clock has run out.
    if (person !== null && !isRequester) return refuse('forbidden', 'onlyRequesterUp');
    if (final) return refuse('invalid-state', 'nothingToEscalate', { status: statusWord(esc.status) });
    if (!isOverdue(esc, now)) return refuse('not-due', 'notDue');
    const to = nextLevelUp(esc.to, ctx.rules, ctx.usersById);
    if (to === null) return refuse('at-top', 'atTop');
    return {
      patch: { to, slaDue: slaDue(now, esc.severity, ctx.calendar), acknowledgedBy: null },
      status: 'open',
      details: { kind: 'moved', from: esc.to, to },
    };
  }

  if (person === null) return refuse('forbidden', 'clockOnlyUp');

  switch (action.type) {
    case 'comment': {
      if (!canSee(esc, person, ctx.usersById, ctx.rules)) return refuse('forbidden', 'commentUnseen');
      const body = action.body.trim();
      if (body === '') return refuse('invalid', 'emptyComment');
      return {
        patch: { comments: [...esc.comments, { id: action.commentId, authorId: person.id, body, at: now }] },
        status: esc.status,
        details: quoted(body),
      };
    }
    case 'join':
      return join(esc, action, person, now, ctx);
    case 'withdraw':
    case 'edit':
      if (!isRequester) return refuse('forbidden', 'onlyRequester', { action: actionWords(action.type) });
      break;
    default:
      if (isRequester) return refuse('forbidden', 'notYourOwn', { action: actionWords(action.type) });
      if (!mayAnswer(esc, person, ctx.usersById, ctx.rules)) {
        return refuse('forbidden', 'onlyRecipients', { action: actionWords(action.type) });
      }
  }

  if (final) return refuse('invalid-state', 'onlyComments', { status: statusWord(esc.status) });

  switch (action.type) {
    case 'acknowledge':
      if (esc.status === 'acknowledged') return refuse('invalid-state', 'acknowledgedAlready');
      return { patch: { acknowledgedBy: answerer(person, ctx) }, status: 'acknowledged', details: null };
    case 'request-info': {
      const body = action.body.trim();
      if (body === '') return refuse('invalid', 'emptyQuestion');
      // Asking a question shows the recipient has read it, so an open escalation counts as acknowledged.
      return {
        patch: {
          comments: [...esc.comments, { id: action.commentId, authorId: person.id, body, at: now }],
          acknowledgedBy: esc.status === 'open' ? answerer(person, ctx) : esc.acknowledgedBy,
        },
        status: 'acknowledged',
        details: quoted(body),
      };
    }
    case 'resolve': {
      const decision = action.decision.trim();
      if (decision === '') return refuse('invalid', 'emptyDecision');
      return {
        patch: { decision, resolvedAt: now, resolvedBy: answerer(person, ctx), ...(action.reportId ? { reportId: action.reportId } : {}) },
        status: 'resolved',
        details: quoted(decision, 500),
      };
    }
    case 'handover': {
      if (sameRecipient(action.to, esc.to)) return refuse('invalid', 'addressedThere');
      if ('userId' in action.to) {
        if (action.to.userId === esc.fromId) return refuse('invalid', 'notBackToRequester');
        if (lookUp(ctx.usersById, action.to.userId) === undefined) return refuse('invalid', 'noSuchUser');
      }
      // The new recipient has not seen it yet, so it waits for their acknowledgement; the SLA clock keeps running.
      const note = action.note?.trim();
      return {
        patch: { to: action.to, acknowledgedBy: null },
        status: 'open',
        details: { kind: 'moved', from: esc.to, to: action.to, ...(note ? { note: clampText(note, 2000) } : {}) },
      };
    }
    case 'withdraw': {
      const reason = action.reason?.trim();
      return { patch: {}, status: 'withdrawn', details: reason ? quoted(reason, 2000) : null };
    }
    case 'edit': {
      if (esc.status !== 'open') return refuse('invalid-state', 'editAfterAcknowledged');
      if (action.baseVersion !== undefined && action.baseVersion !== esc.version) {
        return refuse('conflict', 'editStale');
      }
      if (action.title === undefined && action.body === undefined) return refuse('invalid', 'nothingToChange');
      const checked = EscalationInput.pick({ title: true, body: true }).safeParse({
        title: action.title ?? esc.title,
        body: action.body ?? esc.body,
      });
      if (!checked.success) return refuse('invalid', 'titleLength');
      const fields = [...(action.title !== undefined ? ['title' as const] : []), ...(action.body !== undefined ? ['body' as const] : [])];
      return { patch: checked.data, status: 'open', details: { kind: 'edited', fields } };
    }
  }
}

/**
 * A second sender with the same question about the same record joins the waiting thread instead of opening another:
 * they become a participant (who sees it and may comment) and their text becomes a comment. Matching record and
 * category are checked here again, so a join cannot be used to read an unrelated escalation.
 */
function join(
  esc: Escalation,
  action: Extract<EscalationAction, { type: 'join' }>,
  person: { id: string; role: Role },
  now: string,
  ctx: TransitionContext,
): Change | TransitionRefusal {
  if (FINAL.has(esc.status)) return refuse('invalid-state', 'raiseNew', { status: statusWord(esc.status) });
  const r = esc.record;
  if (r === null || r.crm !== action.record.crm || r.crmId !== action.record.crmId || r.recordType !== action.record.recordType || esc.category !== action.category) {
    return refuse('invalid', 'joinMismatch');
  }
  const newcomer = !canSee(esc, person, ctx.usersById, ctx.rules);
  const body = action.body.trim();
  if (!newcomer && body === '') return refuse('invalid', 'nothingToAdd');
  return {
    patch: {
      ...(newcomer ? { participantIds: [...(esc.participantIds ?? []), person.id] } : {}),
      ...(body === '' ? {} : { comments: [...esc.comments, { id: action.commentId, authorId: person.id, body, at: now }] }),
    },
    status: esc.status,
    details: newcomer ? (body ? quoted(body) : null) : { kind: 'again', text: clampText(body, 200) },
  };
}
