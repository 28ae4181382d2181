import { type Kysely, sql } from 'kysely';

// The escalation workflow: who joined a thread, when it was resolved or first went overdue, its audit trail,
// the outbox of webhook and e-mail deliveries, and stored weekly reports.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('escalations').addColumn('participant_ids', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('escalations').addColumn('resolved_at', 'text').execute();
  // Set by the SLA sweeper when it finds the escalation overdue; compared with sla_due so each level is handled once.
  await db.schema.alterTable('escalations').addColumn('overdue_at', 'text').execute();
  // The sweeper and the duplicate check read waiting escalations by status and by record.
  await db.schema.createIndex('escalations_status_sla').on('escalations').columns(['status', 'sla_due']).execute();
  await db.schema.createIndex('escalations_record').on('escalations').columns(['crm', 'crm_id', 'record_type', 'category']).execute();
  await db.schema.createIndex('escalations_from').on('escalations').columns(['from_id', 'created_at']).execute();

  await db.schema
    .createTable('escalation_audit')
    .addColumn('escalation_id', 'text', (c) => c.notNull().references('escalations.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    // One entry per version: a second writer of the same version fails instead of forking the trail.
    .addPrimaryKeyConstraint('escalation_audit_pk', ['escalation_id', 'version'])
    .execute();
  await db.schema.createIndex('escalation_audit_at').on('escalation_audit').column('at').execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('escalation_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('week_start', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('scheduled', 'integer', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('csv', 'text', (c) => c.notNull())
    .execute();
  // The weekly schedule stores one report per week even with two server processes sweeping.
  await sql`create unique index reports_one_scheduled_per_week on reports (week_start) where scheduled = 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reports').execute();
  await db.schema.dropTable('deliveries').execute();
  await db.schema.dropTable('escalation_audit').execute();
  await db.schema.dropIndex('escalations_from').execute();
  await db.schema.dropIndex('escalations_record').execute();
  await db.schema.dropIndex('escalations_status_sla').execute();
  await db.schema.alterTable('escalations').dropColumn('overdue_at').execute();
  await db.schema.alterTable('escalations').dropColumn('resolved_at').execute();
  await db.schema.alterTable('escalations').dropColumn('participant_ids').execute();
}
