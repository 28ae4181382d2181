import type { Kysely } from 'kysely';

// Issue 14: a CRM's outbound events (Bitrix24's ONCRMDEAL* handlers) carry a token the CRM chose, not one Headway
// printed; its SHA-256 is kept here (like hook_secret_hash: verifying needs no key, and a database copy reveals nothing).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('crm_connections').addColumn('event_token_hash', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('crm_connections').dropColumn('event_token_hash').execute();
}
