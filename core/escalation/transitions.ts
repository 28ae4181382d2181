import {
  EscalationAction as EscalationActionSchema,
  EscalationInput,
  type BusinessCalendar,
  type Escalation,
  type EscalationAction,
  type EscalationActor,
  type EscalationAnswerer,
  type EscalationAuditEntry,
  type EscalationRules,
  type EscalationStatus,
  type Role,
  type TransitionRefusal,
  type TransitionRefusalCode,
} from '../schema';
import { isOverdue, slaDue } from './business-hours';
import { describeRecipient, lookUp, nextLevelUp, sameRecipient, type PeopleById } from './routing';
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
const DETAILS_MAX = 2000;

/** The actor as the requester will read it ("acknowledged by Morgan Lee"); the name as the workspace has it now. */
function answerer(person: { id: string }, ctx: TransitionContext): EscalationAnswerer {
  const known = lookUp(ctx.usersById, person.id) as { name?: unknown } | undefined;
  return { id: person.id, name: typeof known?.name === 'string' ? known.name.slice(0, 200) : '' };
}

function refuse(code: TransitionRefusalCode, message: string): TransitionRefusal {
  return { ok: false, code, message };
}

/** Whatever a transition changes besides status, version and updatedAt. */
type Change = { patch: Partial<Escalation>; status: EscalationStatus; details: string };

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
  if (!parsed.success) return refuse('invalid', `Not a valid escalation action: ${parsed.error.issues[0]?.message ?? 'unknown shape'}.`);
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
    details: clampText(decided.details, DETAILS_MAX),
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
    if (person !== null && !isRequester) return refuse('forbidden', 'Only the requester or the SLA clock can escalate this further up.');
    if (final) return refuse('invalid-state', `This escalation is ${esc.status}; there is nothing left to escalate.`);
    if (!isOverdue(esc, now)) return refuse('not-due', 'The recipients still have time to answer; it can go further up once the SLA has passed.');
    const to = nextLevelUp(esc.to, ctx.rules, ctx.usersById);
    if (to === null) return refuse('at-top', 'This escalation is already with the top of the ladder; there is no one further up.');
    return {
      patch: { to, slaDue: slaDue(now, esc.severity, ctx.calendar), acknowledgedBy: null },
      status: 'open',
      details: `SLA passed; moved from ${describeRecipient(esc.to, ctx.usersById)} to ${describeRecipient(to, ctx.usersById)}`,
    };
  }

  if (person === null) return refuse('forbidden', 'The SLA clock can only escalate further up.');

  switch (action.type) {
    case 'comment': {
      if (!canSee(esc, person, ctx.usersById, ctx.rules)) return refuse('forbidden', 'You cannot comment on an escalation you cannot see.');
      const body = action.body.trim();
      if (body === '') return refuse('invalid', 'A comment needs some text.');
      return {
        patch: { comments: [...esc.comments, { id: action.commentId, authorId: person.id, body, at: now }] },
        status: esc.status,
        details: clampText(`comment: ${body}`, 200),
      };
    }
    case 'join':
      return join(esc, action, person, now, ctx);
    case 'withdraw':
    case 'edit':
      if (!isRequester) return refuse('forbidden', `Only the person who raised this escalation can ${action.type} it.`);
      break;
    default:
      if (isRequester) return refuse('forbidden', `You raised this escalation, so you cannot ${action.type} it yourself.`);
      if (!mayAnswer(esc, person, ctx.usersById, ctx.rules)) {
        return refuse('forbidden', `Only the recipients of this escalation, or those above them, can ${action.type} it.`);
      }
  }

  if (final) return refuse('invalid-state', `This escalation is ${esc.status}; only comments can be added now.`);

  switch (action.type) {
    case 'acknowledge':
      if (esc.status === 'acknowledged') return refuse('invalid-state', 'This escalation has already been acknowledged.');
      return { patch: { acknowledgedBy: answerer(person, ctx) }, status: 'acknowledged', details: 'acknowledged' };
    case 'request-info': {
      const body = action.body.trim();
      if (body === '') return refuse('invalid', 'Say what information you need.');
      // Asking a question shows the recipient has read it, so an open escalation counts as acknowledged.
      return {
        patch: {
          comments: [...esc.comments, { id: action.commentId, authorId: person.id, body, at: now }],
          acknowledgedBy: esc.status === 'open' ? answerer(person, ctx) : esc.acknowledgedBy,
        },
        status: 'acknowledged',
        details: clampText(`asked for information: ${body}`, 200),
      };
    }
    case 'resolve': {
      const decision = action.decision.trim();
      if (decision === '') return refuse('invalid', 'A resolution needs the decision or answer in words.');
      return {
        patch: { decision, resolvedAt: now, resolvedBy: answerer(person, ctx), ...(action.reportId ? { reportId: action.reportId } : {}) },
        status: 'resolved',
        details: clampText(`decision: ${decision}`, 500),
      };
    }
    case 'handover': {
      if (sameRecipient(action.to, esc.to)) return refuse('invalid', 'It is already addressed there.');
      if ('userId' in action.to) {
        if (action.to.userId === esc.fromId) return refuse('invalid', 'It cannot be handed back to the person who raised it.');
        if (lookUp(ctx.usersById, action.to.userId) === undefined) return refuse('invalid', 'There is no such user to hand it over to.');
      }
      // The new recipient has not seen it yet, so it waits for their acknowledgement; the SLA clock keeps running.
      const note = action.note?.trim();
      return {
        patch: { to: action.to, acknowledgedBy: null },
        status: 'open',
        details: `handed over from ${describeRecipient(esc.to, ctx.usersById)} to ${describeRecipient(action.to, ctx.usersById)}${note ? `: ${note}` : ''}`,
      };
    }
    case 'withdraw': {
      const reason = action.reason?.trim();
      return { patch: {}, status: 'withdrawn', details: reason ? `withdrawn: ${reason}` : 'withdrawn' };
    }
    case 'edit': {
      if (esc.status !== 'open') return refuse('invalid-state', 'It has been acknowledged already; add a comment instead of changing the text.');
      if (action.baseVersion !== undefined && action.baseVersion !== esc.version) {
        return refuse('conflict', 'The escalation changed since you opened it; reload and edit again.');
      }
      if (action.title === undefined && action.body === undefined) return refuse('invalid', 'Nothing to change.');
      const checked = EscalationInput.pick({ title: true, body: true }).safeParse({
        title: action.title ?? esc.title,
        body: action.body ?? esc.body,
      });
      if (!checked.success) return refuse('invalid', 'A title needs 1 to 300 characters.');
      const changed = [action.title !== undefined ? 'title' : null, action.body !== undefined ? 'body' : null].filter(Boolean);
      return { patch: checked.data, status: 'open', details: `edited ${changed.join(' and ')}` };
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
  if (FINAL.has(esc.status)) return refuse('invalid-state', `This escalation is ${esc.status}; raise a new one instead.`);
  const r = esc.record;
  if (r === null || r.crm !== action.record.crm || r.crmId !== action.record.crmId || r.recordType !== action.record.recordType || esc.category !== action.category) {
    return refuse('invalid', 'Only an escalation with the same record and category can be joined.');
  }
  const newcomer = !canSee(esc, person, ctx.usersById, ctx.rules);
  const body = action.body.trim();
  if (!newcomer && body === '') return refuse('invalid', 'You are already part of this escalation; there is nothing to add.');
  return {
    patch: {
      ...(newcomer ? { participantIds: [...(esc.participantIds ?? []), person.id] } : {}),
      ...(body === '' ? {} : { comments: [...esc.comments, { id: action.commentId, authorId: person.id, body, at: now }] }),
    },
    status: esc.status,
    details: clampText(newcomer ? `joined${body ? `: ${body}` : ''}` : `comment (duplicate): ${body}`, 200),
  };
}
