import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type CompiledQuery, type DatabaseConnection, Kysely, Migrator, PostgresDialect, SqliteDialect, SqliteDriver, type QueryResult } from 'kysely';
import pg from 'pg';
import { codeMigrations } from './migrations';
import { versionMayHaveMoved } from './data-version';
import { PreparingClient } from './precompiled';
import { isBusy, waitForWriteLock } from './sqlite-wait';
import type { Database } from './tables';

export type StoreKind = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  kind: StoreKind;
  /** Where the data lives, without credentials (for start-up messages). */
  description: string;
  /** SQLite's database file, for work another thread does on a connection of its own (server/worker-thread.ts). */
  file?: string;
  /** SQLite: how long a statement sleeps, on this thread, for a lock another connection holds (busy_timeout). */
  setBusyTimeout?(ms: number): void;
  close(): Promise<void>;
  /** PostgreSQL only: a connection of its own, outside the pool (LISTEN holds one for as long as it listens). */
  dedicatedClient?(): pg.Client;
}

export const defaultSqlitePath = './data/headway.sqlite';

/** How long a SQLite write waits for another process's write lock before failing (SQLITE_BUSY). */
export const sqliteBusyTimeoutMs = 5000;

/** Opens the store DATABASE_URL names: unset -> ./data/headway.sqlite, `file:/x.sqlite`, or `postgres://…`. */
export function openStore(databaseUrl: string | undefined): Store {
  if (databaseUrl && storeKindOf(databaseUrl) === 'postgres') return openPostgres(databaseUrl);
  const path = databaseUrl ? sqlitePathFrom(databaseUrl) : defaultSqlitePath;
  return openSqlite(path);
}

/** Which store DATABASE_URL names, without opening it. */
export function storeKindOf(databaseUrl: string | undefined): StoreKind {
  return databaseUrl && /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'postgres' : 'sqlite';
}

function sqlitePathFrom(databaseUrl: string): string {
  if (databaseUrl.startsWith('file://')) return new URL(databaseUrl).pathname;
  if (databaseUrl.startsWith('file:')) return databaseUrl.slice('file:'.length);
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl.slice('sqlite:'.length);
  throw new Error(`DATABASE_URL must be postgres://…, file:/path.sqlite or unset, not "${databaseUrl.split(':')[0]}:…"`);
}

function openSqlite(path: string): Store {
  const absolute = resolve(path);
  mkdirSync(dirname(absolute), { recursive: true });
  const database = new SqliteDatabase(absolute);
  // WAL lets the CLI read while the server writes; busy_timeout makes a second process wait instead of failing.
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${sqliteBusyTimeoutMs}`);
  database.pragma('synchronous = NORMAL');
  const busy = { timeoutMs: sqliteBusyTimeoutMs };
  const setBusyTimeout = (ms: number) => {
    busy.timeoutMs = ms;
    database.pragma(`busy_timeout = ${ms}`);
  };
  const db = new Kysely<Database>({ dialect: new PatientSqliteDialect(database, busy, setBusyTimeout) });
  return { db, kind: 'sqlite', description: absolute, file: absolute, setBusyTimeout, close: () => db.destroy() };
}

/**
 * SQLite with writes outside a transaction (a connection's status, a lease, a clean-up) waiting for a write lock
 * another connection holds the way writeTransaction does: between turns of the event loop, the connection released
 * meanwhile so reads go on (sqlite-wait.ts). Inside a transaction, or where the caller has set busy_timeout 0
 * itself (writeUnlessBusy, BEGIN IMMEDIATE), statements run as they are.
 */
class PatientSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: SqliteDatabase.Database,
    private readonly busy: { timeoutMs: number },
    private readonly setBusyTimeout: (ms: number) => void,
  ) {
    super({ database });
  }

  override createDriver() {
    const { database, busy, setBusyTimeout } = this;
    const prepared = statementCache(database);
    return new (class extends SqliteDriver {
      override async acquireConnection(): Promise<DatabaseConnection> {
        const connection = await super.acquireConnection();
        const lock = { acquire: () => super.acquireConnection(), release: () => super.releaseConnection() };
        return {
          executeQuery: <R>(query: CompiledQuery) => {
            const statement = prepared(query.sql);
            return database.inTransaction || busy.timeoutMs === 0 || query.query.kind === 'SelectQueryNode' || statement.readonly
              ? runStatement<R>(statement, query.parameters)
              : writePatiently<R>(() => runStatement<R>(statement, query.parameters), lock, setBusyTimeout, busy.timeoutMs);
          },
          streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
        };
      }
    })({ database });
  }
}

/** Runs a write with busy_timeout 0; while the lock is held elsewhere, lets go of the connection between tries. */
async function writePatiently<R>(
  write: () => Promise<QueryResult<R>>,
  lock: { acquire(): Promise<unknown>; release(): Promise<void> },
  setBusyTimeout: (ms: number) => void,
  restoreMs: number,
): Promise<QueryResult<R>> {
  let holding = true;
  try {
    return await waitForWriteLock(async () => {
      if (!holding) {
        await lock.acquire();
        holding = true;
      }
      setBusyTimeout(0);
      let written: QueryResult<R> | null = null;
      try {
        written = await write();
      } catch (error) {
        if (!isBusy(error)) throw error;
      } finally {
        // Before the connection is let go: whoever takes it next sets busy_timeout for itself.
        setBusyTimeout(restoreMs);
      }
      if (written === null) {
        holding = false;
        await lock.release();
      }
      return written;
    });
  } finally {
    // Kysely releases the connection after this query: hold it again, as it expects.
    if (!holding) await lock.acquire();
  }
}

const preparedStatementLimit = 1000;

/**
 * Kysely's SQLite connection prepares every query afresh; on a push of many small statements preparing costs as much
 * as running. The dialect's connection keeps them instead, by SQL text, in a bounded cache (IN-lists of varying
 * length simply stop being cached). Streamed queries still go through Kysely's own connection: a statement being
 * iterated cannot run again meanwhile.
 */
function statementCache(database: SqliteDatabase.Database): (source: string) => SqliteDatabase.Statement {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return (source) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = database.prepare(source);
      if (cache.size < preparedStatementLimit) cache.set(source, statement);
    }
    return statement;
  };
}

/** What Kysely's SQLite connection answers for a statement: rows for a reader, the count and rowid for a write. */
async function runStatement<R>(statement: SqliteDatabase.Statement, parameters: readonly unknown[]): Promise<QueryResult<R>> {
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

// int8 (bigint) comes back from pg as a string by default; our sequence numbers fit easily in a double.
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function openPostgres(databaseUrl: string): Store {
  // PreparingClient: push's hot statements are parsed and planned once per connection (precompiled.ts).
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, types: pgTypes, Client: writeWatchingClient(() => versionMayHaveMoved(store)) });
  // An idle client losing its connection must not take the process down.
  pool.on('error', (error) => console.error('PostgreSQL pool error:', error.message));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const url = new URL(databaseUrl);
  const store: Store = {
    db,
    kind: 'postgres',
    description: `postgres://${url.host}${url.pathname}`,
    close: () => db.destroy(),
    dedicatedClient: () => new pg.Client({ connectionString: databaseUrl, types: pgTypes }),
  };
  return store;
}

/**
 * The pool's client, telling `written` when a statement that may have changed data has finished (a COMMIT, or a
 * write outside a transaction): a version this process read before it must not vouch for its next request
 * (data-version.ts). Reads, the statements of nearly every request, pass as they are.
 */
function writeWatchingClient(written: () => void): typeof PreparingClient {
  return class extends PreparingClient {
    override query(...args: unknown[]): never {
      const [config] = args;
      const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
      const answer = (super.query as (...a: unknown[]) => unknown)(...args);
      if (text !== undefined && !/^\s*select\b/i.test(text) && answer instanceof Promise) answer.then(written, written);
      return answer as never;
    }
  };
}

/** Applies every pending migration; safe to call on every start and from several processes. */
export async function migrateToLatest(store: Store): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: codeMigrations });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

export async function openMigratedStore(databaseUrl: string | undefined): Promise<Store> {
  const store = openStore(databaseUrl);
  try {
    await migrateToLatest(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
