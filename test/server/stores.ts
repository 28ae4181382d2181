import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openMigratedStore, openStore, type Store, type StoreKind } from '../../server/store/store';

export interface StoreTarget {
  kind: StoreKind;
  /** A DATABASE_URL for a fresh, empty database of this kind. */
  freshDatabaseUrl(): Promise<string>;
  cleanup(): Promise<void>;
}

function sqliteTarget(): StoreTarget {
  const dirs: string[] = [];
  return {
    kind: 'sqlite',
    async freshDatabaseUrl() {
      const dir = mkdtempSync(join(tmpdir(), 'headway-sqlite-'));
      dirs.push(dir);
      return `file:${join(dir, 'headway.sqlite')}`;
    },
    async cleanup() {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresTarget(): StoreTarget {
  const adminUrl = inject('pgUrl');
  const databases: string[] = [];
  const withAdmin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    kind: 'postgres',
    async freshDatabaseUrl() {
      const name = `headway_${randomBytes(6).toString('hex')}`;
      await withAdmin(`create database ${name}`);
      databases.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async cleanup() {
      for (const name of databases) await withAdmin(`drop database if exists ${name} with (force)`);
    },
  };
}

export interface StoreContext {
  kind: StoreKind;
  /** The migrated store of this suite. */
  store(): Store;
  /** Its DATABASE_URL, for spawning the CLI against the same data. */
  databaseUrl(): string;
  /** Another migrated, empty store (for tests that need a clean slate). */
  freshStore(): Promise<{ store: Store; databaseUrl: string }>;
  /** Another store, empty and not migrated at all (for tests of a migration); closed with the suite. */
  unmigratedStore(): Promise<Store>;
}

/** Runs the same suite on a temp SQLite file and on a fresh PostgreSQL database. */
export function describeEachStore(name: string, suite: (context: StoreContext) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    describe(`${name} [${kind}]`, () => {
      let target: StoreTarget;
      let store: Store | undefined;
      let url = '';
      const extra: Store[] = [];
      beforeAll(async () => {
        target = kind === 'sqlite' ? sqliteTarget() : postgresTarget();
        url = await target.freshDatabaseUrl();
        store = await openMigratedStore(url);
      });
      afterAll(async () => {
        await store?.close();
        for (const other of extra) await other.close();
        await target?.cleanup();
      });
      suite({
        kind,
        store: () => {
          if (!store) throw new Error('store not open yet (use it inside a test or hook)');
          return store;
        },
        databaseUrl: () => url,
        async freshStore() {
          const databaseUrl = await target.freshDatabaseUrl();
          const fresh = await openMigratedStore(databaseUrl);
          extra.push(fresh);
          return { store: fresh, databaseUrl };
        },
        async unmigratedStore() {
          const empty = openStore(await target.freshDatabaseUrl());
          extra.push(empty);
          return empty;
        },
      });
    });
  }
}
