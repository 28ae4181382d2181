import { describe, expect, it } from 'vitest';
import { findOpenDuplicate } from '../../../core/escalation';
import { escalation, record } from './fixtures';

describe('findOpenDuplicate', () => {
  const candidate = { record, category: 'approval' } as const;

  it('joins the oldest waiting escalation with the same record and category', () => {
    const existing = [
      escalation({ id: 'newer', status: 'acknowledged', createdAt: '2026-11-26T09:00:00.000Z' }),
      escalation({ id: 'older', createdAt: '2026-11-20T09:00:00.000Z', title: 'Approval: 20 % for Acme' }),
    ];
    const match = findOpenDuplicate(candidate, existing);
    expect(match?.escalation.id).toBe('older');
    expect(match?.notice).toBe(
      'This record already has a approval escalation waiting for an answer (open, since 2026-11-20): “Approval: 20 % for Acme”. Your message joins that thread instead of opening a second one.',
    );
  });

  it.each([
    ['another category', escalation({ category: 'decision' })],
    ['another record', escalation({ record: { ...record, crmId: '90211' } })],
    ['another CRM', escalation({ record: { ...record, crm: 'pipedrive' } })],
    ['another record type', escalation({ record: { ...record, recordType: 'account' } })],
    ['a resolved one', escalation({ status: 'resolved' })],
    ['a withdrawn one', escalation({ status: 'withdrawn' })],
    ['one without a record', escalation({ record: null })],
  ])('does not join %s', (_label, other) => {
    expect(findOpenDuplicate(candidate, [other])).toBeNull();
  });

  it('never joins an escalation raised without a record', () => {
    expect(findOpenDuplicate({ record: null, category: 'approval' }, [escalation({ record: null })])).toBeNull();
  });
});
