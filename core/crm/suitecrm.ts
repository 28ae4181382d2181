import type { RecordType } from '../schema';
import { readDealFields, readText, titleOnly, type DealSelectors, type Selectors } from './dom';
import { tenantPerHost } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// SuiteCRM 7 (full page loads; the optional AJAX UI keeps the real URL in the hash) and SuiteCRM 8 (Angular with
// useHash: /#/opportunities/record/{id}). Self-hosted only: recognised on origins configured as instances.

const moduleTypes: Record<string, RecordType> = {
  Opportunities: 'deal',
  Accounts: 'account',
  Contacts: 'contact',
  Leads: 'lead',
};
// SuiteCRM 8 routes use the lower-case module name.
const routeTypes: Record<string, RecordType> = {
  opportunities: 'deal',
  accounts: 'account',
  contacts: 'contact',
  leads: 'lead',
};

// Ids are UUIDs in practice; demo data and imports keep others ("seed_sally_id"), up to the id column's 36 characters.
const recordId = /^[A-Za-z0-9_-]{1,36}$/;

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseSuite7(params: URLSearchParams): ParsedRecordUrl {
  const recordType = moduleTypes[params.get('module') ?? ''];
  const id = params.get('record');
  // EditView of the same record is a transient form; only the detail view is the record page.
  if (!recordType || !id || !recordId.test(id) || params.get('action') !== 'DetailView') return none;
  return { recordType, id: id.toLowerCase() };
}

function parseUrl(url: URL): ParsedRecordUrl | null {
  // SuiteCRM 8: /#/{module}/record/{id} (and /detail/{id}), under / or /public/ depending on the web root.
  const route = /^#\/([a-z-]+)(?:\/(record|detail)\/([^/?]+))?\/?(?:\?|$)/.exec(url.hash);
  if (route) {
    const recordType = routeTypes[route[1]!];
    const id = route[3];
    return recordType && id && recordId.test(id) ? { recordType, id: id.toLowerCase() } : none;
  }
  if (!/\/index\.php$/.test(url.pathname)) return none;
  // SuiteCRM 7 AJAX UI: index.php?action=ajaxui#ajaxUILoc=index.php%3Fmodule%3D…%26record%3D…
  if (url.searchParams.get('action') === 'ajaxui') {
    const location = new URLSearchParams(url.hash.replace(/^#/, '')).get('ajaxUILoc');
    if (!location) return none;
    return parseSuite7(new URLSearchParams(location.slice(location.indexOf('?') + 1)));
  }
  return parseSuite7(url.searchParams);
}

// SuiteCRM 7 detail views (SuiteP theme, and the public demo): each field is a div.detail-view-field[field=…];
// older themes print span.sugar_field#{field}.
const field = (name: string): Selectors => [`div.detail-view-field[field="${name}"]`, `span.sugar_field#${name}`];

const selectors = {
  title: [
    // SuiteP detail view header
    'h2.module-title-text',
    // Older SuiteCRM 7 themes
    '.moduleTitle h2',
  ],
  amount: field('amount'),
  currency: field('currency_id'),
  stage: field('sales_stage'),
  probability: field('probability'),
  owner: field('assigned_user_name'),
  // YYYY-MM-DD on the demo; user-formatted elsewhere, then parsed only when unambiguous
  expectedClose: field('date_closed'),
} satisfies DealSelectors;

// SuiteCRM 8 record view header: scrm-dynamic-label rendering the record's summary template (its name).
const suite8Title: Selectors = ['scrm-record-header .record-view-name-label', '.record-view-header .record-view-name-label'];

export const suitecrm: CrmAdapter = {
  id: 'suitecrm',
  label: 'SuiteCRM',
  selfHosted: true,
  matchesHost: () => false,
  // Self-hosted only: the configured origin is the tenant.
  ...tenantPerHost,
  parseUrl,
  readRecord(document, record) {
    if (record.id === null) return {};
    // A SuiteCRM 7 title settles the version: asking for SuiteCRM 8's header first would scan the whole page for
    // nothing on every SuiteCRM 7 record, and its detail views are the big pages.
    const title = readText(document, selectors.title);
    if (title === undefined) {
      // SuiteCRM 8 binds each field to scrm-field by an Angular property, so no attribute names the field and labels
      // are translated: only the header's record name (record-header.component.html) is read there.
      const suite8Name = readText(document, suite8Title);
      if (suite8Name !== undefined) return titleOnly(suite8Name);
    }
    return readDealFields(document, record, selectors, { title });
  },
};

// Tested on (the SuiteCRM 7 public demo and SuiteCRM 8 core/app/shell routing):
// https://crm.example.com/index.php?module=Opportunities&action=DetailView&record=8f1c5a3e-2b7d-4c1a-9e4f-5a6b7c8d9e0f
// https://crm.example.com/index.php?action=ajaxui#ajaxUILoc=index.php%3Fmodule%3DAccounts%26offset%3D8%26return_module%3DAccounts%26action%3DDetailView%26record%3D1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b
// https://crm.example.com/#/opportunities/record/8f1c5a3e-2b7d-4c1a-9e4f-5a6b7c8d9e0f
// https://crm.example.com/#/opportunities
// https://crm.example.com/index.php?module=Opportunities&action=index
