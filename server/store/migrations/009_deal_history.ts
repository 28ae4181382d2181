import type { Kysely } from 'kysely';

// Provenance of every change to a deal: which write (page capture, CSV import, ingest API), whose, when, and each
// field before → after. The head of sales reads a deal's history (GET /api/deals/history?id=).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deal_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('deal_id', 'text', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deal_history_deal').on('deal_history').columns(['deal_id', 'version']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deal_history').execute();
}
