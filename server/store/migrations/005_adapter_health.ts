import type { Kysely } from 'kysely';

// One row per (day, crm, origin, record type): however many extensions report, the table grows by days, not by hits.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('adapter_misses')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('crm', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('misses', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('adapter_misses_pk', ['day', 'crm', 'origin', 'record_type'])
    .execute();
  // Distinct reporters are counted, not listed, beyond this table: it holds only who reported, per day and key.
  await db.schema
    .createTable('adapter_miss_reporters')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('crm', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('adapter_miss_reporters_pk', ['day', 'crm', 'origin', 'record_type', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('adapter_miss_reporters').execute();
  await db.schema.dropTable('adapter_misses').execute();
}
