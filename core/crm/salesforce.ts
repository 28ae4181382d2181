import type { RecordType } from '../schema';
import { first, readDealFields, type DealSelectors, type Selectors } from './dom';
import { hostPattern } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Salesforce: Lightning Experience (SPA, /lightning/r/…) and Classic (full page loads, /{recordId}).

const hostPatterns: readonly RegExp[] = [
  /\.force\.com$/, // Lightning (*.lightning.force.com), Visualforce and sites on force.com
  /\.my\.salesforce\.com$/, // My Domain, including *.sandbox.my.salesforce.com
  /\.my\.site\.com$/, // Experience Cloud sites of the org (partner and customer portals)
  /^[a-z]{2,4}\d+[a-z]?\.salesforce\.com$/, // Classic instance pods such as na85, eu12, cs42
  /\.lightning\.force\.com\.mcas\.ms$/, // the same org behind Defender for Cloud Apps
  /\.salesforce\.mil$/, // Government Cloud Plus Defense
  /\.sfcrmapps\.cn$/, // Salesforce on Alibaba Cloud (China)
];

// The object name in a Lightning path is authoritative; Case, Report, custom objects… are not deals or parties.
const objectTypes: Record<string, RecordType> = {
  Opportunity: 'deal',
  Account: 'account',
  Contact: 'contact',
  Lead: 'lead',
};

// Experience Cloud paths name the object in lower case.
const siteObjectTypes: Record<string, RecordType> = Object.fromEntries(Object.entries(objectTypes).map(([name, type]) => [name.toLowerCase(), type]));

// Without an object name (Classic, /lightning/r/{id}/view after a save) the id's key prefix tells the object.
const keyPrefixTypes: Record<string, RecordType> = {
  '006': 'deal',
  '001': 'account',
  '003': 'contact',
  '00Q': 'lead',
};

// 15 (case-sensitive) or 18 characters. The checksum is not verified: orgs show both forms, and a wrong checksum
// only means Salesforce itself will answer "not found".
const recordId = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

const none: ParsedRecordUrl = { recordType: null, id: null };

function byKeyPrefix(id: string): ParsedRecordUrl {
  if (!recordId.test(id)) return none;
  const recordType = keyPrefixTypes[id.slice(0, 3)];
  return recordType ? { recordType, id } : none;
}

function parseLightning(segments: string[]): ParsedRecordUrl {
  // /lightning/r/{Object}/{id}/view, /lightning/r/{Object}/{id}/related/{List}/view, /lightning/r/{id}/view
  if (segments[1] !== 'r' || !segments[2]) return none;
  if (segments[3] === 'view' || segments[3] === undefined) return byKeyPrefix(segments[2]);
  const recordType = objectTypes[segments[2]];
  const id = segments[3];
  return recordType && recordId.test(id) ? { recordType, id } : none;
}

function parseUrl(url: URL): ParsedRecordUrl {
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments[0] === 'lightning') return parseLightning(segments);
  // Lightning before /lightning/ URLs: /one/one.app#/sObject/{id}/view
  if (segments[0] === 'one' && segments[1] === 'one.app') {
    const match = /^#\/sObject\/([a-zA-Z0-9]{15,18})(?:\/|$)/.exec(url.hash);
    return match ? byKeyPrefix(match[1]!) : none;
  }
  // Classic: /{id} is the detail page; /006/o (a list), /{id}/e (edit) and /apex/… are not records.
  if (segments.length === 1) return byKeyPrefix(segments[0]!);
  // Experience Cloud (my.site.com), under the site's optional prefix: /[{site}/]s/{object}/{id}/{name}, /s/detail/{id}
  const site = segments.indexOf('s');
  if (site === 0 || site === 1) return parseSite(segments.slice(site + 1));
  return none;
}

function parseSite([object, id]: string[]): ParsedRecordUrl {
  if (!object || !id) return none;
  if (object === 'detail') return byKeyPrefix(id);
  const recordType = siteObjectTypes[object];
  return recordType && recordId.test(id) ? { recordType, id } : none;
}

// Lightning keeps earlier record pages in the DOM, hidden; only the active container is the page on screen.
const activePage: Selectors = [
  // Console apps: the maximized page host of the focused workspace tab
  'section.oneConsoleTab div.windowViewMode-maximized.active.lafPageHost',
  // Standard navigation apps
  'div.windowViewMode-normal.active',
  // Console apps rendered without the oneConsoleTab section (utility-bar pop-outs) [I]
  'div.windowViewMode-maximized.active.lafPageHost',
];

const field = (name: string, inner: string) => `[data-target-selection-name="sfdc:RecordField.Opportunity.${name}"] ${inner}`;

const lightning = {
  title: [
    // Lightning record page header (records-highlights2, LWC)
    'records-highlights2 lightning-formatted-text[slot="primaryField"]',
    'records-highlights2 [slot="primaryField"]',
    // Aura highlights panel of older orgs [I]
    '.slds-page-header__title .uiOutputText',
  ],
  amount: [
    // Record detail field, Lightning record pages (data-target-selection-name carries the API name, not the label)
    field('Amount', 'lightning-formatted-text'),
    field('Amount', '.slds-form-element__static'),
    // English orgs whose layout dropped the selection name
    'records-record-layout-item[field-label="Amount"] lightning-formatted-text',
  ],
  currency: [
    // Multi-currency orgs: "EUR - Euro"
    field('CurrencyIsoCode', 'lightning-formatted-text'),
  ],
  stage: [
    // Record detail field
    field('StageName', 'lightning-formatted-text'),
    // Sales path: the current step
    '.slds-path__item.slds-is-current .slds-path__title',
  ],
  probability: [
    // Record detail field, number rendering (standard Probability field)
    field('Probability', 'lightning-formatted-number'),
    // Orgs whose layout renders it as text
    field('Probability', 'lightning-formatted-text'),
  ],
  owner: [
    // Owner lookup on Lightning record pages (force-lookup, Aura) and its LWC successor (plain link)
    field('OwnerId', 'force-lookup a'),
    field('OwnerId', 'a'),
    // Seen in public test suites of Lightning pages
    '[field-label="Opportunity Owner"] slot[name="outputField"] a',
  ],
  // Record detail field, in the user's locale format (parsed only when unambiguous)
  expectedClose: [field('CloseDate', 'lightning-formatted-text')],
} satisfies DealSelectors;

// Classic detail pages give each field the inline-edit id "{fieldId}_ileinner"; opp3/7/9/11/12 are the standard
// Opportunity field ids also used as URL parameters of the edit page (/006/e?opp3=…). Owner has no stable id here.
const classic = {
  title: ['h2.pageDescription'],
  amount: ['#opp7_ileinner'],
  stage: ['#opp11_ileinner'],
  probability: ['#opp12_ileinner'],
  expectedClose: ['#opp9_ileinner'],
} satisfies DealSelectors;

// My Domain hosts (enhanced domains, mandatory since 2023): {name}[.{partition}].{kind}. Every kind shows the same
// org, so the org is written with my.salesforce.com; a sandbox ({name}--{sandbox}.sandbox…) is an org of its own.
// Visualforce hosts add the package namespace ({name}--{ns}.vf.force.com), which is not part of the org's name.
const orgKinds = ['my.salesforce.com', 'lightning.force.com', 'my.site.com'];
const myDomainHost = /^([a-z0-9-]+)((?:\.(?:sandbox|develop|scratch|patch|demo|trailblaze|free))?)\.(my\.salesforce\.com|lightning\.force\.com|my\.site\.com|vf\.force\.com)$/;

function instanceOf(url: URL): string | null {
  // Defender for Cloud Apps proxies an org under its own host plus .mcas.ms: the same org.
  const match = myDomainHost.exec(url.hostname.replace(/\.mcas\.ms$/, ''));
  if (!match) {
    // Government and China clouds: each host its own tenant (their Lightning twins are not documented here).
    // Classic pods (na85.salesforce.com) and other force.com sites name no org.
    return /\.(?:salesforce\.mil|sfcrmapps\.cn)$/.test(url.hostname) ? url.origin : null;
  }
  const [, label, partition, kind] = match;
  const name = kind === 'vf.force.com' ? label!.replace(/--[a-z0-9]+$/, '') : label!;
  return `https://${name}${partition}.my.salesforce.com`;
}

/** Every host the extension needs for an org: its My Domain, Lightning and Experience Cloud hosts. */
function instanceHosts(instance: string): string[] {
  const host = new URL(instance).hostname;
  const org = /^(.+)\.my\.salesforce\.com$/.exec(host)?.[1];
  return org ? orgKinds.map((kind) => `https://${org}.${kind}/*`) : [hostPattern(instance)];
}

export const salesforce: CrmAdapter = {
  id: 'salesforce',
  label: 'Salesforce',
  selfHosted: false,
  matchesHost: (url) => hostPatterns.some((pattern) => pattern.test(url.hostname)),
  instanceOf,
  instanceHosts,
  parseUrl,
  readRecord(document, record) {
    if (record.id === null) return {};
    // Lightning (and the /one/one.app shell): never read outside the active page, or a hidden earlier record leaks in.
    if (document.querySelector('div.windowViewMode-normal, div.windowViewMode-maximized, records-highlights2')) {
      const root = first(document, activePage);
      return root ? readDealFields(root, record, lightning) : {};
    }
    return readDealFields(document, record, classic);
  },
};

// Tested on (URL shapes from Salesforce Inspector Reloaded, public Lightning test suites and Salesforce docs):
// https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000XyZabAAF/view
// https://acme.lightning.force.com/lightning/r/0065g00000XyZabAAF/view
// https://acme.lightning.force.com/lightning/r/Account/0015g00000AbCdEAAV/related/Opportunities/view
// https://acme.my.salesforce.com/one/one.app#/sObject/0065g00000XyZabAAF/view
// https://na85.salesforce.com/0065g00000XyZab
// https://acme.my.salesforce.com/006/o
