// The push bench's yardstick as a process of its own, driven by the same load generator as the real server: parse the
// same body, insert each mutation as a row in one transaction, answer. Nothing else (no auth, no idempotence, no
// change log). `tsx test/bench/bare-push-server.ts <file:/x.sqlite | postgres://…>` prints {"listening": url}.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import SqliteDatabase from 'better-sqlite3';
import { Hono } from 'hono';
import pg from 'pg';

interface Batch {
  clientId: string;
  mutations: { mutationId: number; args: { id: string } }[];
}

/** SQLite: better-sqlite3, one prepared insert per mutation in a transaction. */
function sqliteInsert(file: string): (batch: Batch) => Promise<void> {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table notes (id text primary key, client_id text, mutation_id integer, args text)');
  const insert = db.prepare('insert into notes (id, client_id, mutation_id, args) values (?, ?, ?, ?)');
  const insertBatch = db.transaction(({ clientId, mutations }: Batch) => {
    for (const m of mutations) insert.run(m.args.id, clientId, m.mutationId, JSON.stringify(m.args));
  });
  return async (batch) => insertBatch(batch);
}

/** PostgreSQL: pg, one multi-row INSERT per batch inside BEGIN … COMMIT. */
async function postgresInsert(databaseUrl: string): Promise<(batch: Batch) => Promise<void>> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', (error) => console.error('bare pg pool error:', error.message));
  await pool.query('create table notes (id text primary key, client_id text, mutation_id integer, args text)');
  return async ({ clientId, mutations }) => {
    const values = mutations.flatMap((m) => [m.args.id, clientId, m.mutationId, JSON.stringify(m.args)]);
    const rows = mutations.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`).join(', ');
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`insert into notes (id, client_id, mutation_id, args) values ${rows}`, values);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  };
}

const target = process.argv[2] ?? '';
const insert = target.startsWith('postgres') ? await postgresInsert(target) : sqliteInsert(target.replace(/^file:/, ''));
const app = new Hono().post('/api/sync/push', async (c) => {
  const batch = (await c.req.json()) as Batch;
  await insert(batch);
  return c.json({ lastMutationId: batch.mutations.at(-1)?.mutationId ?? 0 });
});
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => console.log(JSON.stringify({ listening: `http://127.0.0.1:${info.port}` })));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
