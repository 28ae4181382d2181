import type { RecordType } from '../schema';
import { first, readDealFields, type DealSelectors, type Selectors } from './dom';
import { tenantPerHost } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// EspoCRM: hash router (client/src/router.js), /#Opportunity/view/{id}. Self-hosted only.

const scopeTypes: Record<string, RecordType> = {
  Opportunity: 'deal',
  Account: 'account',
  Contact: 'contact',
  Lead: 'lead',
};

// 17 hex characters by default (Util.php generateId); the UUID option gives 36.
const recordId = /^[A-Za-z0-9-]{1,36}$/;

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl | null {
  // #Opportunity, #Opportunity/create, #Admin/…: EspoCRM pages that are not records.
  const match = /^#([A-Za-z]+)\/view\/([^/?&]+)\/?$/.exec(url.hash);
  if (!match) return none;
  const recordType = scopeTypes[match[1]!];
  return recordType && recordId.test(match[2]!) ? { recordType, id: match[2]! } : none;
}

// The main view lives in #main; a quick-view modal of another record is outside it.
const mainView: Selectors = ['#main', 'body'];

// Detail layouts render each field as .field[data-name=…] (client/res/layout-types/record.tpl).
const field = (name: string): Selectors => [`.record .field[data-name="${name}"]`, `.field[data-name="${name}"]`];

const selectors = {
  title: [
    // Espo 7–9 header: breadcrumbs ending in the record name
    '.header-title .breadcrumb-item:last-child .title',
    '.header-title .breadcrumb-item:last-child',
  ],
  amount: field('amount'),
  stage: field('stage'),
  probability: field('probability'),
  owner: field('assignedUser'),
  expectedClose: field('closeDate'),
} satisfies DealSelectors;

export const espocrm: CrmAdapter = {
  id: 'espocrm',
  label: 'EspoCRM',
  selfHosted: true,
  matchesHost: () => false,
  // Self-hosted only: the configured origin is the tenant.
  ...tenantPerHost,
  parseUrl,
  readRecord(document, record) {
    if (record.id === null) return {};
    const root = first(document, mainView);
    return root ? readDealFields(root, record, selectors) : {};
  },
};

// Tested on (EspoCRM client/src/router.js routes and the public demo):
// https://espo.example.com/#Opportunity/view/64f1a2b3c4d5e6f70
// https://espo.example.com/#Account/view/64f1a2b3c4d5e6f71
// https://espo.example.com/#Lead/view/64f1a2b3c4d5e6f73
// https://espo.example.com/#Opportunity
// https://espo.example.com/#Opportunity/create
