import type { Kysely } from 'kysely';

// A person who left: their tokens and codes are revoked and no new ones are issued, while their notes, deals and
// escalations keep naming them (issue 13 §6). null = active.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('disabled_at').execute();
}
