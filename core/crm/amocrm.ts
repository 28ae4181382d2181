import type { RecordType } from '../schema';
import { readDealFields, type DealSelectors, type Selectors } from './dom';
import { hostPattern } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// amoCRM (amocrm.ru) and Kommo (kommo.com, formerly amocrm.com): {account}.amocrm.ru, {account}.kommo.com and
// {account}.amocrm.com, a single-page app. A lead card is /leads/detail/{id} ("lead" is amoCRM's word for a deal),
// a contact /contacts/detail/{id}, a company /companies/detail/{id}; /leads/detail/0 is not a card.

const hosts = /^([a-z0-9-]+)\.(amocrm\.ru|amocrm\.com|kommo\.com)$/;

// Subdomains that are the vendor's own sites, not an account.
const notCrm = new Set(['www', 'developers', 'support', 'help', 'status', 'id', 'api', 'marketplace', 'shop']);

const entities: Record<string, RecordType> = { leads: 'deal', contacts: 'contact', companies: 'account' };

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl {
  const match = /^\/(leads|contacts|companies)\/detail\/(\d+)\/?$/.exec(url.pathname);
  if (!match || /^0+$/.test(match[2]!)) return none;
  return { recordType: entities[match[1]!]!, id: String(Number(match[2])) };
}

// The lead card's form names its inputs after the card's own fields (lead[NAME], lead[PRICE], lead[MAIN_USER]),
// which widgets and userscripts for amoCRM read; class names are BEM and stable across the 2020+ card.
const selectors = {
  title: [
    // Lead card name, an auto-growing textarea (placeholder "Сделка #{id}")
    'textarea[name="lead[NAME]"]',
    // Contact and company cards [I]
    'textarea[name="contact[NAME]"]',
    'textarea[name="company[NAME]"]',
  ],
  amount: [
    // Budget field of the lead card, formatted with spaces by js-control-pretty-price
    '#lead_card_budget',
    'input[name="lead[PRICE]"]',
  ],
  stage: [
    // Status of the pipeline select in the card header: the selected status's caption [I]
    '.pipeline-select-wrapper .pipeline-select__caption-text',
  ],
} satisfies DealSelectors;

// The responsible user's name is the span just before the hidden lead[MAIN_USER] input (its value is the user id).
const responsibleInput: Selectors = ['input[name="lead[MAIN_USER]"]'];

function responsibleName(document: Document): string | undefined {
  const input = document.querySelector(responsibleInput[0]!);
  const label = input?.previousElementSibling;
  return label?.tagName.toLowerCase() === 'span' ? (label.textContent ?? undefined) : undefined;
}

// amocrm.com accounts moved to kommo.com when amoCRM's international service was renamed Kommo: "Accounts amocrm.com
// now available on kommo.com … when going to the address SUBDOMAIN.amocrm.com, a redirect to the SUBDOMAIN.kommo.com
// happens for almost all accounts"; the exceptions, accounts with integrations not yet adapted, are served on both
// hosts for a while, and tokens issued on amocrm.com work on kommo.com (kommo.com/developers/content/platform/
// rebranding-requirments). So one account is https://{account}.kommo.com whichever of the two shows it. amocrm.ru
// is a separate service with its own servers and databases in Russia, not linked to Kommo
// (amocrm.ru/developers/content/crm_platform/separate-platforms): an account there is its own host.
function instanceOf(url: URL): string | null {
  const match = hosts.exec(url.hostname);
  if (!match) return url.origin;
  return match[2] === 'amocrm.ru' ? `https://${match[1]}.amocrm.ru` : `https://${match[1]}.kommo.com`;
}

function instanceHosts(instance: string): string[] {
  const match = hosts.exec(new URL(instance).hostname);
  if (match?.[2] === 'kommo.com') return [hostPattern(instance), `https://${match[1]}.amocrm.com/*`];
  return [hostPattern(instance)];
}

export const amocrm: CrmAdapter = {
  id: 'amocrm',
  label: 'amoCRM / Kommo',
  selfHosted: false,
  matchesHost: (url) => hosts.test(url.hostname) && !notCrm.has(url.hostname.split('.')[0]!),
  instanceOf,
  instanceHosts,
  parseUrl,
  readRecord: (document, record) => readDealFields(document, record, selectors, { owner: record.recordType === 'deal' ? responsibleName(document) : undefined }),
};

// Tested on (URL shapes from amoCRM widgets and userscripts that parse /leads/detail/(\d+), and Kommo help pages):
// https://acme.amocrm.ru/leads/detail/15304587
// https://acme.kommo.com/leads/detail/15304587
// https://acme.amocrm.com/contacts/detail/9021
// https://acme.amocrm.ru/companies/detail/4410
// https://acme.amocrm.ru/leads/pipeline/6821134
