import { randomUUID } from 'node:crypto';
import type { NoteCrmCopy, RecordType } from '../../../core/schema';
import type { CrmWritebacksTable } from '../../store/tables';
import type { Tx } from '../../store/transaction';
import { connectionFromRow, type Connection } from '../connections';

// The write-back outbox: what Headway owes the CRM of record (a note saved, a move approved), collected from the
// change log (collect.ts), so it is never lost; sent by the connection's sync (send.ts), exactly once.

export type WriteBackKind = 'note' | 'task' | 'owner';

export interface WriteBackInput {
  connectionId: string;
  kind: WriteBackKind;
  subjectId: string;
  recordType: RecordType;
  recordCrmId: string;
  /** The subject's version; a later version of a written note is written again (as an update of the same record). */
  subjectVersion: number;
}

/** Adds a write-back, or makes an existing one due again for a newer version of its subject; a repeat does nothing. */
export async function enqueueWriteBack(tx: Tx, input: WriteBackInput, now: string): Promise<boolean> {
  const inserted = await tx
    .insertInto('crm_writebacks')
    .values({
      id: randomUUID(), connection_id: input.connectionId, kind: input.kind, subject_id: input.subjectId, record_type: input.recordType,
      record_crm_id: input.recordCrmId, subject_version: input.subjectVersion, crm_id: null, state: 'pending', attempts: 0,
      next_attempt_at: now, claimed_until: null, last_error: null, created_at: now, updated_at: now,
    })
    .onConflict((conflict) => conflict.columns(['kind', 'subject_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return true;
  const requeued = await tx
    .updateTable('crm_writebacks')
    .set({ subject_version: input.subjectVersion, state: 'pending', attempts: 0, next_attempt_at: now, last_error: null, updated_at: now })
    .where('kind', '=', input.kind)
    .where('subject_id', '=', input.subjectId)
    .where('subject_version', '<', input.subjectVersion)
    .executeTakeFirst();
  return Number(requeued.numUpdatedRows) > 0;
}

/** The workspace's connections, read once per batch of mutations (there are a handful at most). */
export async function connectionsOf(tx: Tx): Promise<Connection[]> {
  return (await tx.selectFrom('crm_connections').selectAll().execute()).map(connectionFromRow);
}

/** The connection that serves a record, among `connections` (see connectionForRecord). */
export function servingConnection(connections: readonly Connection[], record: { crm: string; instance?: string | null }): Connection | null {
  return connections.find((c) => c.crm === record.crm && (!record.instance || c.instance === record.instance)) ?? null;
}

export function crmCopyOf(row: Pick<CrmWritebacksTable, 'state' | 'crm_id' | 'last_error' | 'updated_at'>): NoteCrmCopy {
  return { state: row.state as NoteCrmCopy['state'], crmNoteId: row.crm_id, message: row.last_error, at: row.updated_at };
}

/** Where each of these notes stands in the CRM (notes without a write-back are absent). */
export async function crmCopiesOf(db: Tx, noteIds: readonly string[]): Promise<Map<string, NoteCrmCopy>> {
  const copies = new Map<string, NoteCrmCopy>();
  for (let start = 0; start < noteIds.length; start += 500) {
    const rows = await db
      .selectFrom('crm_writebacks')
      .select(['subject_id', 'state', 'crm_id', 'last_error', 'updated_at'])
      .where('kind', '=', 'note')
      .where('subject_id', 'in', noteIds.slice(start, start + 500))
      .execute();
    for (const row of rows) copies.set(row.subject_id, crmCopyOf(row));
  }
  return copies;
}
