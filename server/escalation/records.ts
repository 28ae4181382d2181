import { EscalationAuditEntry, EscalationAuditFacts, type Escalation } from '../../core/schema';
import { escalationFromRow } from '../store/escalations';
import { writeJson } from '../store/json-column';
import { recordColumns } from '../store/record-columns';
import type { EscalationAuditTable, EscalationsTable } from '../store/tables';
import type { Tx } from '../store/transaction';

/** The stored row of an escalation; `overdueAt` is the sweeper's flag, kept beside the domain object. */
export function escalationRow(e: Escalation, overdueAt: string | null): EscalationsTable {
  return {
    id: e.id,
    from_id: e.fromId,
    to_role: 'role' in e.to ? e.to.role : null,
    to_user_id: 'userId' in e.to ? e.to.userId : null,
    category: e.category,
    severity: e.severity,
    title: e.title,
    body: e.body,
    ...recordColumns(e.record),
    context: writeJson(e.context),
    status: e.status,
    sla_due: e.slaDue,
    decision: e.decision,
    comments: writeJson(e.comments),
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    version: e.version,
    participant_ids: writeJson(e.participantIds ?? []),
    resolved_at: e.resolvedAt ?? null,
    overdue_at: overdueAt,
    acknowledged_by: e.acknowledgedBy ? writeJson(e.acknowledgedBy) : null,
    resolved_by: e.resolvedBy ? writeJson(e.resolvedBy) : null,
    report_id: e.reportId ?? null,
  };
}

export interface StoredEscalation {
  escalation: Escalation;
  overdueAt: string | null;
}

export function storedFromRow(row: EscalationsTable): StoredEscalation {
  return { escalation: escalationFromRow(row), overdueAt: row.overdue_at };
}

export async function loadEscalation(db: Tx, id: string): Promise<StoredEscalation | undefined> {
  const row = await db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && storedFromRow(row);
}

export async function insertEscalation(tx: Tx, escalation: Escalation): Promise<void> {
  await tx.insertInto('escalations').values(escalationRow(escalation, null)).execute();
}

/**
 * Writes the next version only if nobody else wrote one meanwhile (another request, another server process, the
 * SLA sweeper): the row is claimed by its version. Answers false when it lost that race.
 */
export async function updateEscalation(tx: Tx, next: Escalation, baseVersion: number, overdueAt: string | null): Promise<boolean> {
  const { id: _id, created_at: _created, from_id: _from, ...changes } = escalationRow(next, overdueAt);
  const result = await tx.updateTable('escalations').set(changes).where('id', '=', next.id).where('version', '=', baseVersion).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function auditRow(entry: EscalationAuditEntry): EscalationAuditTable {
  return {
    escalation_id: entry.escalationId,
    version: entry.version,
    at: entry.at,
    actor_id: entry.actorId,
    action: entry.action,
    from_status: entry.from,
    to_status: entry.to,
    details: entry.details === null ? '' : typeof entry.details === 'string' ? entry.details : JSON.stringify(entry.details),
  };
}

/**
 * The details column holds the facts as JSON; rows written before that hold English text, which never starts with
 * a brace ("acknowledged", "comment: …"), and are shown as written. No migration: the old rows stay readable.
 */
function detailsFromColumn(stored: string): EscalationAuditEntry['details'] {
  if (stored === '') return null;
  if (!stored.startsWith('{')) return stored;
  try {
    const facts = EscalationAuditFacts.safeParse(JSON.parse(stored));
    return facts.success ? facts.data : stored;
  } catch {
    return stored;
  }
}

export function auditFromRow(row: EscalationAuditTable): EscalationAuditEntry {
  return EscalationAuditEntry.parse({
    escalationId: row.escalation_id,
    at: row.at,
    actorId: row.actor_id,
    action: row.action,
    from: row.from_status,
    to: row.to_status,
    version: row.version,
    details: detailsFromColumn(row.details),
  });
}

export async function auditOf(db: Tx, escalationId: string): Promise<EscalationAuditEntry[]> {
  const rows = await db.selectFrom('escalation_audit').selectAll().where('escalation_id', '=', escalationId).orderBy('version').execute();
  return rows.map(auditFromRow);
}
