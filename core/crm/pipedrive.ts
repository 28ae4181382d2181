import { readDealFields, type DealSelectors, type Selectors } from './dom';
import { hostPattern } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Pipedrive: {company}.pipedrive.com and app.pipedrive.com, a single-page app.

// Subdomains that are Pipedrive's own sites, not a company's CRM.
const notCrm = new Set(['www', 'developers', 'support', 'status', 'marketplace', 'community', 'oauth', 'api']);

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl {
  const [kind, first, second] = url.pathname.split('/').filter(Boolean);
  const numeric = first !== undefined && /^[1-9]\d*$/.test(first);
  if (kind === 'deal' && numeric) return { recordType: 'deal', id: first };
  if (kind === 'person' && numeric) return { recordType: 'contact', id: first };
  if (kind === 'organization' && numeric) return { recordType: 'account', id: first };
  // /leads/inbox is the list; /leads/inbox/{uuid} opens one lead in it.
  if (kind === 'leads' && first === 'inbox' && second && uuid.test(second)) {
    return { recordType: 'lead', id: second.toLowerCase() };
  }
  return none;
}

// No record-page hook of Pipedrive's current UI is documented in public code: every selector below is [I],
// taken from its data-test attribute convention ([data-test="person.name"] is seen in list views).
const selectors = {
  title: [
    // Deal detail header [I]
    '[data-test="deal-title"]',
    // Person detail header, same attribute as the list cells [I]
    '[data-test="person.name"]',
  ],
  // Deal header: value with currency [I]
  amount: ['[data-test="deal-value"]'],
  stage: [
    // Pipeline stage bar of the deal header, current step marked for screen readers [I]
    '[data-test="deal-stage"] [aria-current="step"]',
    // Older stage bar variant [I]
    '[data-test="deal-stage-active"]',
  ],
  // Deal header owner chip [I]
  owner: ['[data-test="deal-owner-name"]'],
} satisfies DealSelectors;

// Details sidebar; the time element's datetime attribute is read, not its localized label [I]
const closeDate: Selectors = ['[data-test="deal-expected-close-date"] time[datetime]'];

// A company is its own host, {company}.pipedrive.com. app.pipedrive.com shows whichever company the user signed in
// to and does not say which, so it names no tenant (and is none of the workspace's hosts).
function instanceOf(url: URL): string | null {
  return url.hostname === 'app.pipedrive.com' ? null : url.origin;
}

export const pipedrive: CrmAdapter = {
  id: 'pipedrive',
  label: 'Pipedrive',
  selfHosted: false,
  matchesHost: (url) => /^[a-z0-9-]+\.pipedrive\.com$/.test(url.hostname) && !notCrm.has(url.hostname.split('.')[0]!),
  instanceOf,
  instanceHosts: (instance) => [hostPattern(instance)],
  parseUrl,
  readRecord(document, record) {
    if (record.id === null) return {};
    if (record.recordType !== 'deal') return readDealFields(document, record, selectors);
    // A machine-readable datetime attribute beats the localized label when the page has one.
    const expectedClose = document.querySelector(closeDate[0]!)?.getAttribute('datetime') ?? undefined;
    return readDealFields(document, record, selectors, { expectedClose });
  },
};

// Tested on (URL shapes from bailoo/pipedrive-chromext Utils.js and public links to Pipedrive records):
// https://acme.pipedrive.com/deal/42
// https://app.pipedrive.com/deal/42
// https://acme.pipedrive.com/organization/9
// https://acme.pipedrive.com/leads/inbox/5a4f1e20-3b2c-11ee-9d1b-6f2a8c4e7b10
// https://acme.pipedrive.com/pipeline/1/user/everyone
