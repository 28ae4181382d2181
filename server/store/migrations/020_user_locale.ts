import type { Kysely } from 'kysely';

// Issue 17 §1: the language a person set for Headway, which the server also writes their reports and e-mails in.
// null = follow the browser (extension) and the workspace's HEADWAY_LOCALE (server texts).
// A stored weekly report keeps its figures too, so each reader gets it in their own language (null: stored before).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('locale', 'text').execute();
  await db.schema.alterTable('reports').addColumn('figures', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('figures').execute();
  await db.schema.alterTable('users').dropColumn('locale').execute();
}
