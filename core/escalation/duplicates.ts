import type { Escalation, EscalationInput } from '../schema';

export interface DuplicateMatch {
  escalation: Escalation;
  /** Shown to the sender instead of creating a second thread on the same question. */
  notice: string;
}

const WAITING = new Set<Escalation['status']>(['open', 'acknowledged']);

/**
 * One question about one deal should have one thread: a new escalation with the same record and category as one
 * still waiting for an answer joins that one (the oldest, if several). Escalations without a record never join.
 */
export function findOpenDuplicate(
  candidate: Pick<EscalationInput, 'record' | 'category'>,
  existing: readonly Escalation[],
): DuplicateMatch | null {
  const { record } = candidate;
  if (record === null) return null;
  const matches = existing.filter(
    (e) =>
      WAITING.has(e.status) &&
      e.category === candidate.category &&
      e.record !== null &&
      e.record.crm === record.crm &&
      e.record.crmId === record.crmId &&
      e.record.recordType === record.recordType,
  );
  if (matches.length === 0) return null;
  const oldest = matches.reduce((a, b) => (b.createdAt < a.createdAt ? b : a));
  const since = oldest.createdAt.slice(0, 10);
  return {
    escalation: oldest,
    notice: `This record already has a ${oldest.category} escalation waiting for an answer (${oldest.status}, since ${since}): “${oldest.title}”. Your message joins that thread instead of opening a second one.`,
  };
}
