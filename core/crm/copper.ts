import type { RecordType } from '../schema';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Copper (formerly ProsperWorks): app.copper.com/companies/{accountId}/app#/{type}/{id}, hash routing.

const routeTypes: Record<string, RecordType> = {
  deal: 'deal',
  organization: 'account',
  contact: 'contact',
  people: 'contact', // [I]
  person: 'contact', // [I]
  lead: 'lead', // [I]
};

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl | null {
  if (!/^\/companies\/\d+\/app\/?$/.test(url.pathname)) return none;
  const match = /^#\/([a-z]+)\/(\d+)(?:[/?]|$)/.exec(url.hash);
  const recordType = match ? routeTypes[match[1]!] : undefined;
  return recordType ? { recordType, id: match![2]! } : none;
}

// One host serves every account; the path names it (/companies/{accountId}/). ProsperWorks is Copper's former name:
// the same accounts, so both hosts show one tenant, written with app.copper.com.
const hosts = ['app.copper.com', 'app.prosperworks.com'];

function instanceOf(url: URL): string | null {
  const account = /^\/companies\/(\d+)(?:\/|$)/.exec(url.pathname)?.[1];
  return account ? `https://app.copper.com/companies/${account}` : null;
}

export const copper: CrmAdapter = {
  id: 'copper',
  label: 'Copper',
  selfHosted: false,
  matchesHost: (url) => hosts.includes(url.hostname),
  instanceOf,
  instanceHosts: () => hosts.map((host) => `https://${host}/*`),
  parseUrl,
  // Neither Copper's record markup nor its page titles are documented in public code: nothing is read from the
  // page, and the sidebar works from the URL (the id) alone rather than from guessed selectors.
  readRecord: () => ({}),
};

// Tested on (URL shapes from Copper's help centre and public links to Copper records):
// https://app.copper.com/companies/157251/app#/deal/24873456
// https://app.copper.com/companies/157251/app#/organization/61234567
// https://app.prosperworks.com/companies/50272/app#/deal/1234567
// https://app.copper.com/companies/562111/app#/browse/board/opportunities/default?pipeline=1084986
// https://app.copper.com/companies/190749/app#/feed
