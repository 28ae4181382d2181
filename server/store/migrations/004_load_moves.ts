import { type Kysely, sql } from 'kysely';

// Moves of deals between managers that the head of sales proposed, approved, dismissed, or saw done in the CRM.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('moves')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('deal_id', 'text', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('from_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('to_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('why', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('done_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // At most one undecided-or-pending move per deal, even when two heads click at once on two servers.
  await sql`create unique index moves_one_active_per_deal on moves (deal_id) where status in ('proposed', 'approved')`.execute(db);
  await db.schema.createIndex('moves_status').on('moves').column('status').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('moves').execute();
}
