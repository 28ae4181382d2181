import type { Kysely } from 'kysely';

// Issue 17 §2: which country's working calendar a team or a single user counts on, when it is not the
// workspace's (kept in the plan calendar settings). One row per team or user; none = follow the workspace.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendar_assignments')
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('scope_id', 'text', (col) => col.notNull())
    .addColumn('country', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('calendar_assignments_pk', ['scope', 'scope_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('calendar_assignments').execute();
}
