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

export const copper: CrmAdapter = {
  id: 'copper',
  label: 'Copper',
  selfHosted: false,
  matchesHost: (url) => url.hostname === 'app.copper.com' || url.hostname === 'app.prosperworks.com',
  matchPatterns: ['*://app.copper.com/*', '*://app.prosperworks.com/*'],
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
