import type { EscalationAuditEntry, User } from '../schema';
import { csvRows } from './csv';
import { lookUp, type PeopleById } from './routing';

export const AUDIT_CSV_HEADER = ['escalation_id', 'at', 'actor_id', 'actor_name', 'action', 'from_status', 'to_status', 'version', 'details'] as const;

/** The audit trail as a spreadsheet-safe CSV, oldest first; times in ISO 8601 UTC. */
export function auditCsv(entries: readonly EscalationAuditEntry[], usersById: PeopleById): string {
  const sorted = entries
    .map((entry, index) => ({ entry, index, ms: Date.parse(entry.at) }))
    // Stable on equal times, so entries written in one instant keep their order.
    .sort((a, b) => a.ms - b.ms || a.index - b.index)
    .map(({ entry }) => entry);
  return csvRows(
    AUDIT_CSV_HEADER,
    sorted.map((e) => {
      const person = lookUp(usersById, e.actorId) as Partial<Pick<User, 'name'>> | undefined;
      const name = e.actorId === 'system' ? 'SLA clock' : (person?.name ?? '');
      return [e.escalationId, new Date(e.at).toISOString(), e.actorId, name, e.action, e.from, e.to, e.version, e.details];
    }),
  );
}
