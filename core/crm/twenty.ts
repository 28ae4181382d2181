import type { RecordType } from '../schema';
import { titleOnly } from './dom';
import { hostPattern } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Twenty: {workspace}.twenty.com, app.twenty.com, or a self-hosted origin configured as an instance. React SPA.

const notCrm = new Set(['www', 'docs', 'api', 'status']);

// /object/{nameSingular}/{id} (packages/twenty-front/src/modules/types/AppPath.ts). No lead object by default.
const objectTypes: Record<string, RecordType> = {
  opportunity: 'deal',
  company: 'account',
  person: 'contact',
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl {
  const [kind, object, id] = url.pathname.split('/').filter(Boolean);
  if (kind !== 'object' || !object || !id) return none;
  const recordType = objectTypes[object];
  return recordType && uuid.test(id) ? { recordType, id: id.toLowerCase() } : none;
}

/** RecordShowPageTitle.tsx sets "{Name} - {Object label}"; a name may itself contain " - ", so split at the last. */
function nameFromTitle(title: string): string | undefined {
  const cut = title.lastIndexOf(' - ');
  return cut > 0 ? title.slice(0, cut) : undefined;
}

// A workspace is its own host, {workspace}.twenty.com or self-hosted. app.twenty.com shows whichever workspace the
// user signed in to and does not say which, so it names no tenant.
function instanceOf(url: URL): string | null {
  return url.hostname === 'app.twenty.com' ? null : url.origin;
}

export const twenty: CrmAdapter = {
  id: 'twenty',
  label: 'Twenty',
  selfHosted: true,
  matchesHost: (url) => /^[a-z0-9-]+\.twenty\.com$/.test(url.hostname) && !notCrm.has(url.hostname.split('.')[0]!),
  instanceOf,
  instanceHosts: (instance) => [hostPattern(instance)],
  parseUrl,
  // Record fields render in generic, unlabelled components; only the page title names the record reliably.
  readRecord(document, record) {
    if (record.id === null) return {};
    return titleOnly(nameFromTitle(document.title));
  },
};

// Tested on (Twenty AppPath.ts routes and public workspace links):
// https://globex.twenty.com/object/opportunity/7874c080-30c2-46c0-934c-905926d918e0
// https://app.twenty.com/object/company/20202020-3ec3-4c95-81e4-14c9e9f1a4f2
// https://twenty.example.com/object/person/20202020-6f2a-4c1e-8a3b-0c9d8e7f6a5b
// https://globex.twenty.com/objects/opportunities
// https://app.twenty.com/settings/objects
