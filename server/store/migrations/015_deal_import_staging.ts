import type { Kysely } from 'kysely';

/**
 * Issue 13 §7: a deals import is staged here, a chunk per short transaction, each row as upsertDeal planned it
 * (the deal as it will be, its history entry, what the change log will say), then applied in one short set-based
 * transaction, so a million-row file never holds the write lock while it is read and checked. `deal_imports` says
 * which imports are running: one left behind by a crashed process is swept by the next import.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deal_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('touched_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('deal_import_rows')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    // created | updated | unchanged
    .addColumn('outcome', 'text', (c) => c.notNull())
    // The version of the deal the plan was made against (null: a new deal); the apply checks it still is.
    .addColumn('previous_version', 'integer')
    .addColumn('owner_changed', 'integer', (c) => c.notNull())
    .addColumn('change_previous_owner_id', 'text')
    // The deal as it will be: the columns of deals.
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('crm', 'text', (c) => c.notNull())
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('crm_id', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision')
    .addColumn('currency', 'text')
    .addColumn('stage', 'text')
    .addColumn('probability', 'double precision')
    .addColumn('owner_id', 'text')
    .addColumn('owner_label', 'text')
    .addColumn('segment', 'text')
    .addColumn('expected_close', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('account_crm_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // Its deal_history row (null when unchanged).
    .addColumn('history_id', 'text')
    .addColumn('history_at', 'text')
    .addColumn('history_source', 'text')
    .addColumn('history_actor_id', 'text')
    .addColumn('history_actor_label', 'text')
    .addColumn('history_changes', 'text')
    // One row per record per import: a file naming a record twice is refused (which row should win is a guess).
    .addPrimaryKeyConstraint('deal_import_rows_key', ['import_id', 'crm', 'instance', 'record_type', 'crm_id'])
    .execute();
  await db.schema.createIndex('deal_import_rows_line').on('deal_import_rows').columns(['import_id', 'line']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deal_import_rows').execute();
  await db.schema.dropTable('deal_imports').execute();
}
