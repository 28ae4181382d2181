import { describe, expect, it } from 'vitest';
import { auditCsv, auditDetails, openEscalation } from '../../../core/escalation';
import type { EscalationAuditEntry } from '../../../core/schema';
import { calendar, hanna, maya, usersById } from './fixtures';

const nameOf = (id: string) => (id === hanna.id ? hanna.name : undefined);
const entry = (action: EscalationAuditEntry['action'], details: EscalationAuditEntry['details']) => ({ action, details });

describe('audit details are facts, worded in the reader’s language', () => {
  it.each([
    [entry('open', { kind: 'opened', category: 'approval', severity: 'high' }), 'opened: approval, high', 'открыта: согласование, важность высокая'],
    [entry('comment', { kind: 'text', text: 'Looking at it.' }), 'Looking at it.', 'Looking at it.'],
    [entry('join', { kind: 'again', text: 'Same ask.' }), 'comment on the same question: Same ask.', 'комментарий к тому же вопросу: Same ask.'],
    [entry('handover', { kind: 'moved', from: { role: 'head' }, to: { userId: hanna.id }, note: 'She knows Acme.' }), `from the head of sales to ${hanna.name}: She knows Acme.`, `руководитель отдела продаж → ${hanna.name}: She knows Acme.`],
    [entry('escalate-up', { kind: 'moved', from: { role: 'manager' }, to: { role: 'exec' } }), 'SLA passed; moved from the managers to management', 'срок по SLA истёк; передана выше: менеджеры по продажам → руководство'],
    [entry('edit', { kind: 'edited', fields: ['title'] }), 'title changed', 'изменён заголовок'],
    [entry('edit', { kind: 'edited', fields: ['title', 'body'] }), 'title and text changed', 'изменены заголовок и текст'],
    [entry('acknowledge', null), '', ''],
  ] as const)('%j', (given, en, ru) => {
    expect(auditDetails(given, 'en', nameOf)).toBe(en);
    expect(auditDetails(given, 'ru', nameOf)).toBe(ru);
  });

  it('shows an entry written before facts were kept as it was written, in any language', () => {
    const legacy = entry('handover', 'handed over from role head to Hanna Berg (u-hanna)');
    expect(auditDetails(legacy, 'ru', nameOf)).toBe('handed over from role head to Hanna Berg (u-hanna)');
  });

  it('opening keeps the category and severity, and the CSV export words them for its downloader', () => {
    const opened = openEscalation(
      { id: 'esc-9', category: 'decision', severity: 'critical', title: 'Price floor', body: '', record: null, context: {}, to: { role: 'head' } },
      maya.id,
      '2026-11-27T10:00:00.000Z',
      calendar,
    );
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.audit.details).toEqual({ kind: 'opened', category: 'decision', severity: 'critical' });
    const system: EscalationAuditEntry = { ...opened.audit, actorId: 'system', version: 2, action: 'escalate-up', details: { kind: 'moved', from: { role: 'head' }, to: { role: 'exec' } } };
    const ru = auditCsv([opened.audit, system], usersById, 'ru');
    expect(ru).toContain('открыта: нужно решение, важность критическая');
    expect(ru).toContain('контроль срока ответа');
    const en = auditCsv([opened.audit, system], usersById);
    expect(en).toContain('opened: decision, critical');
    expect(en).toContain('SLA clock');
  });
});
