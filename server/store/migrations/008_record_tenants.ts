import { type Kysely, SqliteAdapter, sql } from 'kysely';
import { canonicalInstance } from '../../../core/crm';
import { CrmId } from '../../../core/schema';
import type { Database } from '../tables';
import { listUnassigned, settleUnassigned } from '../tenants';

// Records belong to a CRM tenant: a deal's natural key becomes (crm, instance, crm_id, record_type), notes and
// escalations name the tenant of their record, and crm_instances lists tenants (canonical, SaaS ones included)
// rather than origins. Existing records get the tenant the workspace makes certain (one tenant of their CRM, or the
// one their stored URL shows); the others are kept with none, counted here and listed by `crm unassigned`.
export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as Kysely<Database>;
  // PostgreSQL runs a migration in a transaction already; SQLite's run outside one, so this one opens its own.
  if (db.getExecutor().adapter instanceof SqliteAdapter) await withoutForeignKeysOnSqlite(db, () => steps(db, 'sqlite'));
  else await steps(db, 'postgres');
  const left = await listUnassigned(db);
  if (left.length > 0) {
    const counts = left.map((crm) => `${crm.crm}: ${crm.deals} deal(s), ${crm.notes} note(s), ${crm.escalations} escalation(s)`).join('; ');
    console.warn(`Headway: records kept without a CRM tenant (${counts}). They still count; see them with \`npm run server -- crm unassigned\` and give them their tenant with \`crm add\` or \`crm adopt\`.`);
  }
}

async function steps(db: Kysely<Database>, kind: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('crm_instances').renameColumn('origin', 'instance').execute();
  await canonicaliseTenants(db);

  await db.schema.alterTable('notes').addColumn('instance', 'text').execute();
  await db.schema.alterTable('escalations').addColumn('instance', 'text').execute();
  await db.schema.dropIndex('escalations_record').execute();
  await db.schema.createIndex('escalations_record').on('escalations').columns(['crm', 'instance', 'crm_id', 'record_type', 'category']).execute();
  // Notes are read per record (the escalation context, the preset).
  await db.schema.createIndex('notes_record').on('notes').columns(['crm', 'instance', 'crm_id', 'record_type']).execute();

  await db.schema.alterTable('deals').addColumn('instance', 'text').execute();
  if (kind === 'sqlite') await rekeyDealsOnSqlite(db);
  else {
    await sql`alter table deals drop constraint deals_natural_key`.execute(db);
    await sql`alter table deals add constraint deals_natural_key unique (crm, instance, crm_id, record_type)`.execute(db);
  }
  await settleUnassigned(db);
}

/** An origin an admin configured for a SaaS CRM (https://acme.lightning.force.com) becomes the tenant it shows. */
async function canonicaliseTenants(db: Kysely<Database>): Promise<void> {
  const rows = await db.selectFrom('crm_instances').select(['instance', 'crm']).orderBy('created_at').execute();
  const taken = new Set(rows.map((row) => row.instance));
  for (const row of rows) {
    const crm = CrmId.safeParse(row.crm);
    const canonical = crm.success ? canonicalInstance(crm.data, row.instance) : null;
    if (!canonical || !('instance' in canonical) || canonical.instance === row.instance) continue;
    // Two origins of one tenant (the Lightning and the My Domain host of one org) become one row.
    if (taken.has(canonical.instance)) await db.deleteFrom('crm_instances').where('instance', '=', row.instance).execute();
    else await db.updateTable('crm_instances').set({ instance: canonical.instance }).where('instance', '=', row.instance).execute();
    taken.add(canonical.instance);
  }
}

/**
 * SQLite cannot drop a table constraint: the deals table is rebuilt with the new key, as SQLite's documented
 * procedure does it (https://www.sqlite.org/lang_altertable.html#otheralter), indexes included.
 */
async function rekeyDealsOnSqlite(db: Kysely<Database>): Promise<void> {
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'deals'`.execute(db);
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'deals' and sql is not null`.execute(db);
  const oldKey = /constraint "deals_natural_key" unique \("crm", "crm_id", "record_type"\)/;
  const created = table.rows[0]?.sql ?? '';
  if (!oldKey.test(created)) throw new Error(`migration 008: the deals table is not as expected: ${created}`);
  const rebuilt = created
    .replace(/^CREATE TABLE "deals"/, 'CREATE TABLE "deals_rekeyed"')
    .replace(oldKey, 'constraint "deals_natural_key" unique ("crm", "instance", "crm_id", "record_type")');
  await sql.raw(rebuilt).execute(db);
  await sql`insert into deals_rekeyed select * from deals`.execute(db);
  await sql`drop table deals`.execute(db);
  await sql`alter table deals_rekeyed rename to deals`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}

/**
 * The whole migration in one SQLite transaction with foreign keys off (the pragma is a no-op inside a transaction,
 * so it is set around it): dropping the old deals table would otherwise cascade to the moves that reference it.
 * The references are checked before the commit.
 */
async function withoutForeignKeysOnSqlite(db: Kysely<Database>, run: () => Promise<void>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await run();
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`migration 008: foreign keys broken: ${JSON.stringify(broken.rows.slice(0, 5))}`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('migration 008 (record tenants) cannot be undone: two tenants may now hold the same record id');
}
