import type { CrmId } from '../../core/schema';
import { amocrm } from './amocrm';
import { bitrix24 } from './bitrix24';
import { hubspot } from './hubspot';
import { pipedrive } from './pipedrive';
import { suitecrm } from './suitecrm';
import type { ConnectorFactory } from './types';

/**
 * Every CRM Headway has a connector for. A new connector is one file or folder beside suitecrm/, added here; the
 * contract suite (test/server/connectors/contract.ts) then runs against its fake. A CRM without an entry can still be
 * used through page capture, CSV import and the ingest API.
 */
export const connectorFactories: Partial<Record<CrmId, ConnectorFactory>> = {
  suitecrm,
  bitrix24,
  amocrm,
  hubspot,
  pipedrive,
};

export function connectorFactory(crm: CrmId): ConnectorFactory | null {
  return connectorFactories[crm] ?? null;
}
