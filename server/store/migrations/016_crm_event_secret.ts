import type { Kysely } from 'kysely';

// Issue 14: HubSpot signs its webhooks with an HMAC of the private app's client secret (X-HubSpot-Signature-v3), so
// verifying one needs the secret itself, not a hash of it: it is kept sealed with the server's key (secret-box.ts),
// like the connection's credential, so a copy of the database alone does not reveal it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('crm_connections').addColumn('event_secret_sealed', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('crm_connections').dropColumn('event_secret_sealed').execute();
}
