import { titleOnly } from './dom';
import { hostPattern } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Close: app.close.com, a single-page app. A Close "Lead" is a company; its contacts (cont_…) and opportunities
// (oppo_…) are nested in it and have no URL of their own, so a lead page is where a deal is worked.

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl {
  const match = /^\/lead\/(lead_[A-Za-z0-9]{10,64})(?:\/|$)/.exec(url.pathname);
  return match ? { recordType: 'lead', id: match[1]! } : none;
}

export const close: CrmAdapter = {
  id: 'close',
  label: 'Close',
  selfHosted: false,
  matchesHost: (url) => url.hostname === 'app.close.com',
  // One host serves every Close organization and no URL names one: the host is all that can be checked, so the
  // tenant is app.close.com itself, and a user signed in to another organization there cannot be told apart.
  instanceOf: (url) => url.origin,
  instanceHosts: (instance) => [hostPattern(instance)],
  parseUrl,
  // Close's markup is not documented in public code; the lead name is read from the page title, which Close sets
  // to "{Lead name} | Close" [I]. Nothing else is read.
  readRecord(document, record) {
    if (record.id === null) return {};
    const match = /^(.+) \| Close$/.exec(document.title.trim());
    return titleOnly(match?.[1]);
  },
};

// Tested on (URL shapes from help.close.com and public links to Close leads):
// https://app.close.com/lead/lead_HcmG4cyICfAIu1J0sRziNKe63cbNaifOxZZ0PppgksW/
// https://app.close.com/lead/lead_ZjSBiGlAJLoSiNLT6y4QizimovIGbUvcfPlpHYfgqh3/
// https://app.close.com/leads/
// https://app.close.com/settings/profile/
