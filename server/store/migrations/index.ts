import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001_initial';
import * as planProgress from './003_plan_progress';
import * as loadMoves from './004_load_moves';
import * as adapterHealth from './005_adapter_health';
import * as escalations from './006_escalations';
import * as escalationAnswerers from './007_escalation_answerers';
import * as recordTenants from './008_record_tenants';
import * as dealHistory from './009_deal_history';
import * as crmConnectors from './010_crm_connectors';
import * as userDisabled from './012_user_disabled';
import * as calendars from './013_calendars';
import * as crmEventToken from './014_crm_event_token';
import * as dealImportStaging from './015_deal_import_staging';
import * as crmEventSecret from './016_crm_event_secret';
import * as userLocale from './020_user_locale';
import * as accessEpoch from './023_access_epoch';

// Migrations live in code (not read from disk) so the same set runs from tsx, a bundle or the tests.
const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '003_plan_progress': planProgress,
  '004_load_moves': loadMoves,
  '005_adapter_health': adapterHealth,
  '006_escalations': escalations,
  '007_escalation_answerers': escalationAnswerers,
  '008_record_tenants': recordTenants,
  '009_deal_history': dealHistory,
  '010_crm_connectors': crmConnectors,
  '012_user_disabled': userDisabled,
  '013_calendars': calendars,
  '014_crm_event_token': crmEventToken,
  '015_deal_import_staging': dealImportStaging,
  '016_crm_event_secret': crmEventSecret,
  '020_user_locale': userLocale,
  '023_access_epoch': accessEpoch,
};

export const codeMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
