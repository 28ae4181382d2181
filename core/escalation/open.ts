import { EscalationInput, type BusinessCalendar, type Escalation, type EscalationAuditEntry } from '../schema';
import { refuse, type TransitionRefusal } from './refusal';
import { slaDue } from './business-hours';

export type OpenResult = { ok: true; escalation: Escalation; audit: EscalationAuditEntry } | TransitionRefusal;

/**
 * Turns what the sender submitted into a stored escalation: open, version 1, its SLA clock started. The input is
 * parsed again here because it may come straight from a sync mutation.
 */
export function openEscalation(input: EscalationInput, fromId: string, now: string, calendar: BusinessCalendar): OpenResult {
  const parsed = EscalationInput.safeParse(input);
  if (!parsed.success) return refuse('invalid', 'invalidInput', { details: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  const data = parsed.data;
  // Nobody answers their own escalation, so one addressed to its sender alone could never be resolved.
  if ('userId' in data.to && data.to.userId === fromId) return refuse('invalid', 'toYourself');
  const escalation: Escalation = {
    ...data,
    fromId,
    status: 'open',
    slaDue: slaDue(now, data.severity, calendar),
    decision: null,
    comments: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const audit: EscalationAuditEntry = {
    escalationId: data.id,
    at: now,
    actorId: fromId,
    action: 'open',
    from: 'open',
    to: 'open',
    version: 1,
    details: { kind: 'opened', category: data.category, severity: data.severity },
  };
  return { ok: true, escalation, audit };
}
