import { Escalation } from '../../core/schema';
import { readJson } from './json-column';
import { recordOfRow } from './record-columns';
import type { EscalationsTable } from './tables';

export function escalationFromRow(row: EscalationsTable): Escalation {
  return Escalation.parse({
    id: row.id,
    category: row.category,
    severity: row.severity,
    title: row.title,
    body: row.body,
    record: recordOfRow(row),
    context: readJson(row.context),
    to: row.to_user_id ? { userId: row.to_user_id } : { role: row.to_role },
    fromId: row.from_id,
    status: row.status,
    slaDue: row.sla_due,
    decision: row.decision,
    comments: readJson(row.comments),
    participantIds: readJson(row.participant_ids ?? '[]'),
    ...(row.resolved_at ? { resolvedAt: row.resolved_at } : {}),
    acknowledgedBy: row.acknowledged_by ? readJson(row.acknowledged_by) : null,
    resolvedBy: row.resolved_by ? readJson(row.resolved_by) : null,
    reportId: row.report_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  });
}
