import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Issue 18 §2: pulls and token checks answered from a process's memory (server/store/data-version.ts) stay valid only
// while nothing they depend on besides the change log has moved: who a token belongs to and whether it is revoked,
// people (roles, teams: who sees what), the workspace's settings (escalation routing) and tenants. Triggers count
// every such write, whoever makes it (a route, the CLI, psql), so no writer can forget to.
const watched: { table: string; update?: string[] }[] = [
  { table: 'users' },
  // last_used_at is touched once a minute per device and changes nothing a cached answer holds.
  { table: 'device_tokens', update: ['revoked_at', 'user_id', 'token_hash'] },
  { table: 'settings' },
  { table: 'disabled_adapters' },
  { table: 'crm_instances' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('access_epoch').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('epoch', 'bigint', (c) => c.notNull()).execute();
  await sql`insert into access_epoch (id, epoch) values (1, 0)`.execute(db);
  const bump = 'update access_epoch set epoch = epoch + 1 where id = 1';
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const { table, update } of watched) {
      for (const event of ['insert', update ? `update of ${update.join(', ')}` : 'update', 'delete']) {
        if (event === 'insert' && update) continue;
        const name = `access_epoch_${table}_${event.split(' ')[0]}`;
        await sql.raw(`create trigger ${name} after ${event} on ${table} begin ${bump}; end`).execute(db);
      }
    }
    return;
  }
  await sql.raw(`create function access_epoch_bump() returns trigger language plpgsql as $$ begin ${bump}; return null; end $$`).execute(db);
  // Row triggers, as SQLite's are: a statement trigger would fire for a statement that changed no row (an update
  // matching nothing, an insert that met its conflict), and every cached answer would be dropped for nothing.
  for (const { table, update } of watched) {
    const columns = update ?? null;
    const changed = columns ? `(${columns.map((c) => `old.${c}`).join(', ')}) is distinct from (${columns.map((c) => `new.${c}`).join(', ')})` : 'old.* is distinct from new.*';
    await sql.raw(`create trigger access_epoch_${table}_update after update${columns ? ` of ${columns.join(', ')}` : ''} on ${table} for each row when (${changed}) execute function access_epoch_bump()`).execute(db);
    await sql.raw(`create trigger access_epoch_${table}_insert after ${update ? 'delete' : 'insert or delete'} on ${table} for each row execute function access_epoch_bump()`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const { table } of watched) for (const event of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists access_epoch_${table}_${event}`).execute(db);
  } else {
    for (const { table } of watched) for (const event of ['update', 'insert']) await sql.raw(`drop trigger if exists access_epoch_${table}_${event} on ${table}`).execute(db);
    await sql`drop function if exists access_epoch_bump()`.execute(db);
  }
  await db.schema.dropTable('access_epoch').execute();
}
