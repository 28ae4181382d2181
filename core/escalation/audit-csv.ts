import type { Locale } from '../i18n';
import type { EscalationAuditEntry, User } from '../schema';
import { auditActor, auditDetails } from './audit-words';
import { csvRows } from './csv';
import { lookUp, type PeopleById } from './routing';

export const AUDIT_CSV_HEADER = ['escalation_id', 'at', 'actor_id', 'actor_name', 'action', 'from_status', 'to_status', 'version', 'details'] as const;

/**
 * The audit trail as a spreadsheet-safe CSV, oldest first; times in ISO 8601 UTC. Codes stay codes (action,
 * statuses) for scripts; the SLA clock's name and the details are worded in the downloader's language.
 */
export function auditCsv(entries: readonly EscalationAuditEntry[], usersById: PeopleById, locale: Locale = 'en'): string {
  const sorted = entries
    .map((entry, index) => ({ entry, index, ms: Date.parse(entry.at) }))
    // Stable on equal times, so entries written in one instant keep their order.
    .sort((a, b) => a.ms - b.ms || a.index - b.index)
    .map(({ entry }) => entry);
  const nameOf = (id: string) => (lookUp(usersById, id) as Partial<Pick<User, 'name'>> | undefined)?.name;
  return csvRows(
    AUDIT_CSV_HEADER,
    sorted.map((e) => [e.escalationId, new Date(e.at).toISOString(), e.actorId, auditActor(e.actorId, locale, nameOf), e.action, e.from, e.to, e.version, auditDetails(e, locale, nameOf)]),
  );
}
