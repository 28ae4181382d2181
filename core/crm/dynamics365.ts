import type { RecordType } from '../schema';
import { readAttribute, readDealFields, type DealSelectors } from './dom';
import { tenantPerHost } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Dynamics 365 / Power Apps model-driven apps: main.aspx with the record in the query string; a single-page app.

// {org}.crm.dynamics.com and the regional crm2…crm21 hosts (PowerCds Resolve-CdsRegionFromUrl.ps1); the US
// government and China clouds follow the same scheme [I].
const host = /^[a-z0-9-]+\.crm\d{0,2}\.(?:dynamics\.com|microsoftdynamics\.us|dynamics\.cn|appsplatform\.us)$/;

// Logical names (etn=) and, in legacy URLs, object type codes (etc=) of the four record types Headway tracks.
const entityTypes: Record<string, RecordType> = {
  opportunity: 'deal',
  account: 'account',
  contact: 'contact',
  lead: 'lead',
};
const typeCodes: Record<string, RecordType> = { '1': 'account', '2': 'contact', '3': 'deal', '4': 'lead' };

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl | null {
  // On-premises deployments serve /{org}/main.aspx; online ones /main.aspx.
  if (!/\/main\.aspx$/i.test(url.pathname)) return none;
  const params = url.searchParams;
  // pagetype=entitylist and dashboard are not records, and a dashboard URL carries an id of its own.
  if (params.get('pagetype')?.toLowerCase() !== 'entityrecord') return none;
  const etn = params.get('etn')?.toLowerCase();
  const recordType = etn !== undefined ? entityTypes[etn] : typeCodes[params.get('etc') ?? ''];
  // Legacy links write the id as %7B…%7D in upper case: braces stripped, lower-cased.
  const id = params.get('id')?.replace(/^\{|\}$/g, '').toLowerCase();
  // No id: the new-record form.
  if (!recordType || !id || !guid.test(id)) return none;
  return { recordType, id };
}

// Unified Interface: data-id is "{logicalName}.fieldControl-…" in the form body and "header_{logicalName}…" in the
// header flyout (public Playwright suites for model-driven apps).
const selectors = {
  // Form header of every Unified Interface record
  title: ['h1[data-id="header_title"]'],
  amount: [
    // Est. revenue on the Opportunity main form (Summary tab)
    'input[data-id="estimatedvalue.fieldControl-currency-text-input"]',
    // Same field in the header flyout, when the form shows it only there
    '[data-id="header_estimatedvalue"] [data-id$="fieldControl-currency-text-input"]',
    // Header tile, read-only rendering
    '[data-id="header_estimatedvalue"]',
  ],
  // Currency lookup of the form: shows the currency's name ("US Dollar", "Euro")
  currency: ['[data-id^="transactioncurrencyid.fieldControl-LookupResultsDropdown"][data-id$="_selected_tag_text"]'],
  stage: [
    // Sales stage option set on the Opportunity form
    'select[data-id="salesstagecode.fieldControl-option-set-select"]',
    // Business process flow: the active stage [I]
    '[data-id="MscrmControls.Containers.ProcessBreadCrumb-processHeaderStageName"]',
  ],
  // Probability on the Opportunity main form
  probability: ['input[data-id="closeprobability.fieldControl-whole-number-text-input"]'],
  owner: [
    // Owner lookup in the form header (default Opportunity form)
    '[data-id="header_ownerid.fieldControl-LookupResultsDropdown_ownerid_selected_tag_text"]',
    // Owner lookup placed in the form body by a customised form
    '[data-id="ownerid.fieldControl-LookupResultsDropdown_ownerid_selected_tag_text"]',
  ],
  // Est. close date on the Opportunity main form; its text follows the user's date format
  expectedClose: ['input[data-id="estimatedclosedate.fieldControl-date-time-input"]'],
} satisfies DealSelectors;

export const dynamics365: CrmAdapter = {
  id: 'dynamics365',
  label: 'Dynamics 365',
  selfHosted: false,
  matchesHost: (url) => host.test(url.hostname),
  // An org is its own host ({org}.crm4.dynamics.com).
  ...tenantPerHost,
  parseUrl,
  readRecord(document, record) {
    if (record.id === null) return {};
    // The header title is truncated with an ellipsis on narrow screens; its title attribute keeps the full name.
    const title = readAttribute(document, selectors.title, 'title');
    return readDealFields(document, record, selectors, { title });
  },
};

// Tested on (URL shapes from Level Up for Dynamics 365, PowerCds and Microsoft Learn):
// https://contoso.crm.dynamics.com/main.aspx?appid=d05771f7-d483-41b2-9672-5333d8eaa013&pagetype=entityrecord&etn=opportunity&id=c1520d06-03d4-4019-a223-30b02a8f81da
// https://contoso.crm4.dynamics.com/main.aspx?appid=8ae4c66a-0db0-ed11-9884-000d3a888d06&forceUCI=1&pagetype=entityrecord&etn=account&id=5a376114-b2e3-ea11-a813-000d3a0c8cd2
// https://contoso.crm.dynamics.com/main.aspx?etc=3&id=%7bC1520D06-03D4-4019-A223-30B02A8F81DA%7d&pagetype=entityrecord
// https://contoso.crm.dynamics.com/main.aspx?appid=d05771f7-d483-41b2-9672-5333d8eaa013&pagetype=dashboard&id=d201a642-6283-4f1d-81b7-da4b1685e698&type=system
