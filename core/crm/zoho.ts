import type { RecordType } from '../schema';
import { readText, titleOnly } from './dom';
import { hostPattern } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Zoho CRM: crm.zoho.{dc} and crmsandbox.zoho.{dc}; a Lyte single-page app.

// .com .eu .in .com.au .jp .com.cn seen (better-hotkeys-for-zoho-crm manifest); .ca and .sa [I].
const host = /^(?:crm|crmsandbox)\.zoho\.(?:com|eu|in|com\.au|jp|com\.cn|ca|sa)$/;

// UI module names; "Potentials" is the UI name of the API module "Deals".
const moduleTypes: Record<string, RecordType> = {
  Potentials: 'deal',
  Deals: 'deal',
  Accounts: 'account',
  Contacts: 'contact',
  Leads: 'lead',
};

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl | null {
  // /crm/org{orgId}/tab/{Module}/{id}; the org segment is optional. Anything else on the host is not Zoho CRM's app.
  const match = /^\/crm(?:\/org\d+)?\/tab\/([A-Za-z_]+)(?:\/([^/]+))?(?:\/|$)/.exec(url.pathname);
  if (!match) return url.pathname.startsWith('/crm') ? none : null;
  const recordType = moduleTypes[match[1]!];
  const id = match[2];
  // Record ids are long integers (19 digits today); "custom-view", "create"… are not records.
  return recordType && id && /^\d{6,20}$/.test(id) ? { recordType, id } : none;
}

// One host per data centre serves every org (crmsandbox.* serves sandboxes, other tenants); /crm/org{orgId}/ names
// the org. Zoho leaves that segment out for a user of a single org [I]: such a URL names no tenant, and it counts
// as the workspace's only Zoho org on that host (detectRecord), since that user's session can show no other.
function instanceOf(url: URL): string | null {
  const org = /^\/crm\/org(\d+)(?:\/|$)/.exec(url.pathname)?.[1];
  return org ? `${url.origin}/crm/org${org}` : null;
}

export const zoho: CrmAdapter = {
  id: 'zoho',
  label: 'Zoho CRM',
  selfHosted: false,
  matchesHost: (url) => host.test(url.hostname),
  instanceOf,
  instanceHosts: (instance) => [hostPattern(instance)],
  parseUrl,
  // Zoho's detail view markup is not documented in public code beyond data-zcqa action hooks, so only the record
  // name is read, from the detail header's data-zcqa hook [I]; money, stage and owner stay unknown rather than guessed.
  readRecord(document, record) {
    if (record.id === null) return {};
    return titleOnly(readText(document, ['[data-zcqa="detailView_recordName"]', '[data-zcqa="dv_recordName"]']));
  },
};

// Tested on (URL shapes from b310-digital/better-hotkeys-for-zoho-crm UrlService.ts and Zoho help pages):
// https://crm.zoho.com/crm/org926864613/tab/Potentials/5725767000000549001
// https://crm.zoho.eu/crm/org20071234567/tab/Leads/4876876000000412003
// https://crm.zoho.com/crm/tab/Potentials/5725767000000549001
// https://crm.zoho.com/crm/org926864613/tab/Potentials
// https://crm.zoho.com/crm/org926864613/tab/Potentials/custom-view/5725767000000087501/list
