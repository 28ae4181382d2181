import type { Kysely } from 'kysely';

// Who acknowledged and who resolved an escalation (JSON {id, name}), so the requester's sidebar can name them from
// the synced copy; and the stored weekly report a report request was answered with.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('escalations').addColumn('acknowledged_by', 'text').execute();
  await db.schema.alterTable('escalations').addColumn('resolved_by', 'text').execute();
  await db.schema.alterTable('escalations').addColumn('report_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('escalations').dropColumn('report_id').execute();
  await db.schema.alterTable('escalations').dropColumn('resolved_by').execute();
  await db.schema.alterTable('escalations').dropColumn('acknowledged_by').execute();
}
