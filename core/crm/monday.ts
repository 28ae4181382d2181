import { titleOnly } from './dom';
import { tenantPerHost } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// monday sales CRM: {slug}.monday.com/boards/{boardId}/pulses/{itemId}. The URL cannot tell a deal from a contact
// (that is the board's name, Deals/Contacts/Accounts/Leads), so records have an id and recordType null.

const notCrm = new Set(['www', 'auth', 'support', 'developer', 'status', 'community', 'api']);

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl {
  // /boards/{b}/pulses/{item} and, from a board view, /boards/{b}/views/{v}/pulses/{item}
  const match = /^\/boards\/\d+(?:\/views\/\d+)?\/pulses\/(\d+)\/?$/.exec(url.pathname);
  return match ? { recordType: null, id: match[1]! } : none;
}

export const monday: CrmAdapter = {
  id: 'monday',
  label: 'monday sales CRM',
  selfHosted: false,
  matchesHost: (url) => /^[a-z0-9-]+\.monday\.com$/.test(url.hostname) && !notCrm.has(url.hostname.split('.')[0]!),
  // An account is its own host ({slug}.monday.com).
  ...tenantPerHost,
  parseUrl,
  // The title is "{Board} - {Item}" (range-sync); when either part contains " - " the split is ambiguous: unknown.
  readRecord(document, record) {
    if (record.id === null) return {};
    const parts = document.title.trim().split(' - ');
    return titleOnly(parts.length === 2 ? parts[1] : undefined);
  },
};

// Tested on (URL shapes from range-labs/range-sync ext/background/filter/monday.js and monday's help centre):
// https://acme.monday.com/boards/1234567890/pulses/9876543210
// https://acme.monday.com/boards/1234567890/views/55512345/pulses/9876543210
// https://acme.monday.com/boards/1234567890
// https://acme.monday.com/workspaces/123456
