import type { Kysely } from 'kysely';

// The CRM plugin half (server/connectors): connections with their sealed credential, cursor and lease; the CRM's
// users for owner mapping; the write-back outbox; single-record re-reads asked for by page captures; marks of a
// reconciliation of ids; and a log of sync runs (status, and proof that one process synced a connection at a time).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('crm_connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('instance', 'text', (c) => c.notNull().unique())
    .addColumn('crm', 'text', (c) => c.notNull())
    .addColumn('api', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text')
    .addColumn('username', 'text')
    /** secret-box.ts: AES-256-GCM under a key that is not in the database. */
    .addColumn('secret', 'text', (c) => c.notNull())
    /** SHA-256 of the secret the CRM's logic hook sends to ask for a sync (routes/crm). */
    .addColumn('hook_secret_hash', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('pipelines', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text')
    /** The sync under way (JSON), committed with each page: a crashed sync resumes from here. */
    .addColumn('run', 'text')
    .addColumn('reconciled_at', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('due_at', 'text')
    .addColumn('last_success_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('crm_users')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('crm_connections.id').onDelete('cascade'))
    .addColumn('crm_user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_users_pk', ['connection_id', 'crm_user_id'])
    .execute();

  await db.schema
    .createTable('crm_writebacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('crm_connections.id').onDelete('cascade'))
    /** 'note' | 'task' | 'owner' */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The note (note, task) or move (owner) it carries. */
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_crm_id', 'text', (c) => c.notNull())
    /** The note version queued (an edit queues the note again). */
    .addColumn('subject_version', 'integer', (c) => c.notNull())
    /** The CRM's id of what was written, once written. */
    .addColumn('crm_id', 'text')
    /** 'pending' | 'written' | 'failed' (failed ones are retried). */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('crm_writebacks_subject', ['kind', 'subject_id'])
    .execute();
  await db.schema.createIndex('crm_writebacks_due').on('crm_writebacks').columns(['state', 'next_attempt_at']).execute();

  // How far the write-back collector has read the change log (writeback/collect.ts); one row.
  await db.schema
    .createTable('crm_writeback_cursor')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('crm_refresh')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('crm_connections.id').onDelete('cascade'))
    .addColumn('crm_id', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_refresh_pk', ['connection_id', 'crm_id'])
    .execute();

  await db.schema
    .createTable('crm_seen')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('crm_connections.id').onDelete('cascade'))
    .addColumn('crm_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_seen_pk', ['connection_id', 'crm_id'])
    .execute();

  await db.schema
    .createTable('crm_sync_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('crm_connections.id').onDelete('cascade'))
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('full', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('fetched', 'integer', (c) => c.notNull())
    .addColumn('upserted', 'integer', (c) => c.notNull())
    .addColumn('removed', 'integer', (c) => c.notNull())
    .addColumn('written_back', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('crm_sync_runs_connection').on('crm_sync_runs').columns(['connection_id', 'started_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['crm_sync_runs', 'crm_seen', 'crm_refresh', 'crm_writeback_cursor', 'crm_writebacks', 'crm_users', 'crm_connections']) {
    await db.schema.dropTable(table).execute();
  }
}
