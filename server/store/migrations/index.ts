import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001_initial';
import * as planProgress from './003_plan_progress';
import * as loadMoves from './004_load_moves';
import * as adapterHealth from './005_adapter_health';
import * as escalations from './006_escalations';
import * as escalationAnswerers from './007_escalation_answerers';
import * as crmConnectors from './010_crm_connectors';

// Migrations live in code (not read from disk) so the same set runs from tsx, a bundle or the tests.
const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '003_plan_progress': planProgress,
  '004_load_moves': loadMoves,
  '005_adapter_health': adapterHealth,
  '006_escalations': escalations,
  '007_escalation_answerers': escalationAnswerers,
  '010_crm_connectors': crmConnectors,
};

export const codeMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
