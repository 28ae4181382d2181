import type { RecordType } from '../schema';
import { titleOnly } from './dom';
import { tenantPerHost } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Freshsales: {domain}.myfreshworks.com/crm/sales/… (Freshworks CRM) and the legacy {domain}.freshsales.io.

const pathTypes: Record<string, RecordType> = {
  deals: 'deal',
  contacts: 'contact',
  accounts: 'account',
  sales_accounts: 'account', // legacy freshsales.io name of accounts [I]
  leads: 'lead', // legacy freshsales.io only [I]
};

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseRecord(segments: string[]): ParsedRecordUrl {
  const [kind, id] = segments;
  // /deals/view/{id} is a saved view (a list), not a deal: the id must follow the object directly.
  const recordType = kind ? pathTypes[kind] : undefined;
  return recordType && id && /^\d+$/.test(id) ? { recordType, id } : none;
}

function parseUrl(url: URL): ParsedRecordUrl | null {
  const segments = url.pathname.split('/').filter(Boolean);
  if (url.hostname.endsWith('.freshsales.io')) return parseRecord(segments);
  // myfreshworks.com also hosts Freshdesk, Freshchat…: only /crm/sales/ is Freshsales.
  if (segments[0] !== 'crm' || segments[1] !== 'sales') return null;
  return parseRecord(segments.slice(2));
}

export const freshsales: CrmAdapter = {
  id: 'freshsales',
  label: 'Freshsales',
  selfHosted: false,
  matchesHost: (url) => /^[a-z0-9-]+\.(?:myfreshworks\.com|freshsales\.io)$/.test(url.hostname) && !url.hostname.startsWith('www.'),
  // An account is its own host. {domain}.myfreshworks.com and a legacy {domain}.freshsales.io are kept apart: that
  // the migration kept the same domain for the same account is not documented [I], so an admin adds both if needed.
  ...tenantPerHost,
  parseUrl,
  // The page title is "Deal : {Name} : Freshsales" (lists: "Deals : Freshsales"); no field markup is documented.
  readRecord(document, record) {
    if (record.id === null) return {};
    const match = /^[^:]+ : (.+) : Freshsales$/.exec(document.title.trim());
    return titleOnly(match?.[1]);
  },
};

// Tested on (URL shapes from Freshsales API docs and public capture notes):
// https://globex.myfreshworks.com/crm/sales/deals/402012367593
// https://acme.myfreshworks.com/crm/sales/contacts/402001234567
// https://acme.freshsales.io/deals/42
// https://acme.myfreshworks.com/crm/sales/deals/view/402015942744?per_page=25&sort=amount
// https://acme.freshsales.io/deals/view/42?page=2
