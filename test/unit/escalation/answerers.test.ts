import { describe, expect, it } from 'vitest';
import { applyTransition, lastWeekOf, mondayOf, requestedWeek, routeByCategory, routeReportRequest } from '../../../core/escalation';
import { EscalationRules, type Escalation } from '../../../core/schema';
import { ctx, erin, escalation, hanna, henrik, maya, rules } from './fixtures';

const NOW = '2026-11-27T10:00:00.000Z';

function step(esc: Escalation, action: Parameters<typeof applyTransition>[1], actor: Parameters<typeof applyTransition>[2]): Escalation {
  const result = applyTransition(esc, action, actor, NOW, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.escalation;
}

describe('who answered an escalation, for the requester to read', () => {
  it('names the acknowledger and the resolver, and keeps the report a resolution attached', () => {
    const acknowledged = step(escalation(), { type: 'acknowledge' }, hanna);
    expect(acknowledged.acknowledgedBy).toEqual({ id: hanna.id, name: 'Hanna Berg' });
    const resolved = step(acknowledged, { type: 'resolve', decision: 'Here it is.', reportId: 'r-1' }, henrik);
    expect(resolved).toMatchObject({ resolvedBy: { id: henrik.id, name: 'Henrik Lund' }, reportId: 'r-1', acknowledgedBy: { id: hanna.id } });
  });

  it('counts asking for information as the acknowledgement, but only the first answer names them', () => {
    const asked = step(escalation(), { type: 'request-info', commentId: 'c-1', body: 'Which customer?' }, hanna);
    expect(asked).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: hanna.id } });
    const again = step(asked, { type: 'request-info', commentId: 'c-2', body: 'And which quarter?' }, henrik);
    expect(again.acknowledgedBy).toEqual({ id: hanna.id, name: 'Hanna Berg' });
  });

  it('forgets the acknowledgement when it moves to someone new', () => {
    const acknowledged = step(escalation(), { type: 'acknowledge' }, hanna);
    const handed = step(acknowledged, { type: 'handover', to: { userId: henrik.id } }, hanna);
    expect(handed).toMatchObject({ status: 'open', acknowledgedBy: null });
    const overdue = escalation({ status: 'acknowledged', acknowledgedBy: { id: hanna.id, name: 'Hanna Berg' }, slaDue: '2026-11-26T10:00:00.000Z' });
    const moved = applyTransition(overdue, { type: 'escalate-up' }, { system: true }, NOW, ctx);
    expect(moved.ok && moved.escalation.acknowledgedBy).toBeNull();
  });
});

describe('report requests', () => {
  it('go to the report writer (the head by default), not up the ladder', () => {
    expect(routeReportRequest(erin, rules)).toEqual({ role: 'head' });
    expect(routeByCategory(erin, 'report-request', rules)).toEqual({ role: 'head' });
    expect(routeByCategory(erin, 'decision', rules)).toEqual({ role: 'exec' });
    expect(routeByCategory(maya, 'report-request', rules)).toEqual({ role: 'head' });
  });

  it('from the writer themselves follow the usual route', () => {
    expect(routeReportRequest(hanna, rules)).toEqual({ role: 'exec' });
    const toPerson = EscalationRules.parse({ reportRequests: { userId: henrik.id } });
    expect(routeReportRequest(erin, toPerson)).toEqual({ userId: henrik.id });
    expect(routeReportRequest(henrik, toPerson)).toEqual({ role: 'exec' });
    expect(routeReportRequest(hanna, toPerson)).toEqual({ userId: henrik.id });
  });

  it('read the requested week from the context, as its Monday; anything else names none', () => {
    expect(requestedWeek(escalation({ category: 'report-request', context: { reportWeek: '2026-11-26' } }))).toBe('2026-11-23');
    expect(requestedWeek(escalation({ category: 'report-request', context: { reportWeek: 'last week' } }))).toBeNull();
    expect(requestedWeek(escalation({ category: 'report-request', context: {} }))).toBeNull();
    expect(requestedWeek(escalation({ category: 'decision', context: { reportWeek: '2026-11-26' } }))).toBeNull();
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(lastWeekOf('2026-11-23')).toBe('2026-11-16');
    expect(lastWeekOf('2026-11-29')).toBe('2026-11-16');
  });
});
