import type { RecordType } from '../schema';
import { readDealFields, type DealSelectors } from './dom';
import { tenantPerHost } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Bitrix24: {portal}.bitrix24.{tld} in the cloud, or an on-premises portal configured as an instance.
// Records open in a SidePanel slider, an iframe whose own URL is the record URL (?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER):
// the content script runs in that frame and reads that frame's document.

// bitrix24.com, .de, .ru, .es, .eu…, and two-part zones such as bitrix24.com.br [I].
const host = /^[a-z0-9-]+\.bitrix24\.(?:[a-z]{2,3}|com\.[a-z]{2}|co\.[a-z]{2})$/;

const entityTypes: Record<string, RecordType> = {
  deal: 'deal',
  company: 'account',
  contact: 'contact',
  lead: 'lead',
};

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseUrl(url: URL): ParsedRecordUrl {
  // /crm/{entity}/details/{id}/; details/0 is the new-record form, /crm/type/{n}/details/… a smart process.
  const match = /^\/crm\/([a-z]+)\/details\/(\d+)\/?$/.exec(url.pathname);
  const recordType = match ? entityTypes[match[1]!] : undefined;
  if (!recordType || /^0+$/.test(match![2]!)) return none;
  return { recordType, id: String(Number(match![2])) };
}

// The entity editor renders every field as .ui-entity-editor-content-block[data-cid="{FIELD_ID}"]
// (crm.entity.editor component, bitrix24 core); field ids are those of crm.deal.get (TITLE, OPPORTUNITY…).
const block = (cid: string, inner: string): string => `.ui-entity-editor-content-block[data-cid="${cid}"] ${inner}`;

const selectors = {
  title: [
    // Slider and page header of the record
    '#pagetitle',
    // The editor's own name block, when the header is hidden
    block('TITLE', '.ui-entity-editor-content-block-text'),
  ],
  amount: [
    // Amount with currency, as one block (default deal card)
    block('OPPORTUNITY_WITH_CURRENCY', '.ui-entity-editor-content-block-text'),
    // Cards configured with the amount as a separate field [I]
    block('OPPORTUNITY', '.ui-entity-editor-content-block-text'),
  ],
  stage: [
    // Stage bar above the editor: the current step [I]
    '.crm-entity-section-status-step-current .crm-entity-section-status-step-item-text',
  ],
  // Entity editor block, deal card of the current (2019+) CRM
  probability: [block('PROBABILITY', '.ui-entity-editor-content-block-text')],
  owner: [
    // Employee widget of the "Responsible person" block [I]
    block('ASSIGNED_BY_ID', '.crm-widget-employee-name'),
    // Plain-text rendering of the same block
    block('ASSIGNED_BY_ID', '.ui-entity-editor-content-block-text'),
  ],
  // Entity editor block; dd.mm.yyyy or the portal's date format
  expectedClose: [block('CLOSEDATE', '.ui-entity-editor-content-block-text')],
} satisfies DealSelectors;

export const bitrix24: CrmAdapter = {
  id: 'bitrix24',
  label: 'Bitrix24',
  selfHosted: true,
  matchesHost: (url) => host.test(url.hostname) && !url.hostname.startsWith('www.'),
  // A portal is its own host, cloud ({portal}.bitrix24.{zone}) or on premises.
  ...tenantPerHost,
  // The slider is iframe.side-panel-iframe; getElementsByClassName answers from a live collection the browser keeps.
  recordFrames: { open: (document) => document.getElementsByClassName('side-panel-iframe').length > 0 },
  parseUrl,
  readRecord: (document, record) => readDealFields(document, record, selectors),
};

// Tested on (URL shapes from bitrix24 core crm.entity.editor, public userscripts and Bitrix24 help):
// https://acme.bitrix24.com/crm/deal/details/42/
// https://acme.bitrix24.de/crm/company/details/7/
// https://acme.bitrix24.com/crm/deal/details/42/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER
// https://acme.bitrix24.com/crm/deal/details/0/
// https://acme.bitrix24.com/crm/deal/kanban/
