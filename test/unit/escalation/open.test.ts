import { describe, expect, it } from 'vitest';
import { Escalation, EscalationAuditEntry, WebhookEventType, type EscalationInput } from '../../../core/schema';
import { openEscalation, webhookEventType } from '../../../core/escalation';
import { calendar, maya, record } from './fixtures';

const input: EscalationInput = {
  id: 'esc-9',
  category: 'decision',
  severity: 'high',
  title: '  Decision needed: Acme renewal is past its close date  ',
  body: '',
  record,
  context: { title: 'Acme renewal' },
  to: { role: 'head' },
};

describe('openEscalation', () => {
  it('stores an open escalation at version 1 with its SLA clock started', () => {
    const result = openEscalation(input, maya.id, '2026-11-27T10:00:00.000Z', calendar);
    if (!result.ok) throw new Error(result.message);
    expect(Escalation.parse(result.escalation)).toEqual(result.escalation);
    expect(result.escalation).toMatchObject({
      title: 'Decision needed: Acme renewal is past its close date',
      fromId: maya.id,
      status: 'open',
      version: 1,
      // High = 9 business hours: 8 left on Friday, 1 on Monday.
      slaDue: '2026-11-30T10:00:00.000Z',
      comments: [],
      decision: null,
    });
    expect(EscalationAuditEntry.parse(result.audit)).toMatchObject({ action: 'open', actorId: maya.id, version: 1 });
    expect(webhookEventType(result.audit.action)).toBe('escalation.created');
  });

  it('refuses invalid input and an escalation addressed to its own sender', () => {
    expect(openEscalation({ ...input, title: '  ' }, maya.id, '2026-11-27T10:00:00.000Z', calendar)).toMatchObject({ ok: false, code: 'invalid' });
    expect(openEscalation({ ...input, to: { userId: maya.id } }, maya.id, '2026-11-27T10:00:00.000Z', calendar)).toMatchObject({
      ok: false,
      code: 'invalid',
      message: 'An escalation cannot be addressed to yourself.',
    });
  });

  it('maps every audit action to a distinct webhook event', () => {
    const actions = EscalationAuditEntry.shape.action.options;
    const events = actions.map(webhookEventType);
    expect(new Set(events).size).toBe(actions.length);
    for (const event of events) expect(WebhookEventType.options).toContain(event);
  });
});
