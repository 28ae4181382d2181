import type { CrmAdapter } from './types';
import { amocrm } from './amocrm';
import { bitrix24 } from './bitrix24';
import { close } from './close';
import { copper } from './copper';
import { dynamics365 } from './dynamics365';
import { espocrm } from './espocrm';
import { freshsales } from './freshsales';
import { hubspot } from './hubspot';
import { monday } from './monday';
import { odoo } from './odoo';
import { pipedrive } from './pipedrive';
import { salesforce } from './salesforce';
import { suitecrm } from './suitecrm';
import { twenty } from './twenty';
import { zoho } from './zoho';

/** Every adapter, registered once. The meta-test checks each file in core/crm/ is listed here. */
export const adapters: readonly CrmAdapter[] = [
  salesforce,
  hubspot,
  pipedrive,
  zoho,
  dynamics365,
  odoo,
  suitecrm,
  espocrm,
  twenty,
  freshsales,
  close,
  copper,
  monday,
  bitrix24,
  amocrm,
];
