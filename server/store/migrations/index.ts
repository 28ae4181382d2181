import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001_initial';

// Migrations live in code (not read from disk) so the same set runs from tsx, a bundle or the tests.
const migrations: Record<string, Migration> = {
  '001_initial': initial,
};

export const codeMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
