import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001_initial';
import * as loadMoves from './004_load_moves';

// Migrations live in code (not read from disk) so the same set runs from tsx, a bundle or the tests.
const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '004_load_moves': loadMoves,
};

export const codeMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
