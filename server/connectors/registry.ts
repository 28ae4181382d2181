import type { CrmId } from '../../core/schema';
import { amocrm } from './amocrm';
import { bitrix24 } from './bitrix24';
import { dynamics365 } from './dynamics365';
import { salesforce } from './salesforce';
import { espocrm } from './espocrm';
import { odoo } from './odoo';
import { hubspot } from './hubspot';
import { pipedrive } from './pipedrive';
import { suitecrm } from './suitecrm';
import type { ConnectorFactory } from './types';
import { zoho } from './zoho';

/**
 * Every CRM Headway has a connector for. A new connector is one file or folder beside suitecrm/, added here; the
 * contract suite (test/server/connectors/contract.ts) then runs against its fake. A CRM without an entry can still be
 * used through page capture, CSV import and the ingest API.
 */
export const connectorFactories: Partial<Record<CrmId, ConnectorFactory>> = {
  suitecrm,
  bitrix24,
  amocrm,
  salesforce,
  dynamics365,
  espocrm,
  odoo,
  hubspot,
  pipedrive,
  zoho,
};

export function connectorFactory(crm: CrmId): ConnectorFactory | null {
  return connectorFactories[crm] ?? null;
}

/**
 * What `crm connect` takes for each CRM with a connector, one line per CRM, from each factory's APIs and needs
 * (the first API is the default): "suitecrm [--api v8] --client-id <id> | --api legacy --username <name>".
 */
export function connectForms(): string[] {
  return Object.values(connectorFactories).map((factory) => {
    const forms = factory.apis.map((api, index) => {
      const needs = factory.needs(api);
      return [
        factory.apis.length > 1 ? (index === 0 ? `[--api ${api}]` : `--api ${api}`) : null,
        needs.clientId ? `--client-id <${factory.flagValues?.clientId ?? 'id'}>` : null,
        needs.username ? `--username <${factory.flagValues?.username ?? 'name'}>` : null,
      ].filter((flag) => flag !== null).join(' ');
    });
    return [factory.crm, forms.filter(Boolean).join(' | ')].filter(Boolean).join(' ');
  });
}
