import type { RecordType } from '../schema';
import { first, readDealFields, type DealSelectors, type Selectors } from './dom';
import { tenantPerHost } from './tenant';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// Odoo 16–19, on *.odoo.com (Odoo Online, odoo.sh) or on a self-hosted origin configured as an instance.
// 16.0–17.0 route by the hash: /web#id=42&model=crm.lead&view_type=form. From 17.2 (18, 19) the path says it:
// /odoo/{action path | action-{xmlid} | action-{id} | model}/{id}, possibly nested (/odoo/crm/42/action-…/7); the
// last pair is the record on screen (addons/web/static/src/core/browser/router.js).

const notCrm = new Set(['www', 'apps', 'accounts', 'runbot', 'upgrade', 'download']);

// crm.lead is an opportunity or a lead by its type field, which the URL does not carry: the pipeline and the model
// itself count as deals, the "Leads" action as leads. res.partner is a contact (is_company is not in the URL).
const modelTypes: Record<string, RecordType> = {
  'crm.lead': 'deal',
  'res.partner': 'contact',
};
const actionTypes: Record<string, RecordType> = {
  crm: 'deal', // path of the server action crm.action_your_pipeline
  'action-crm.crm_lead_action_pipeline': 'deal',
  'action-crm.crm_lead_opportunities': 'deal',
  'action-crm.crm_lead_all_leads': 'lead',
  'action-crm.crm_lead_action_my_activities': 'deal',
  contacts: 'contact', // path of contacts.action_contacts
  'action-contacts.action_contacts': 'contact',
  'action-base.action_partner_form': 'contact',
  'crm.lead': 'deal',
  'res.partner': 'contact',
};

const none: ParsedRecordUrl = { recordType: null, id: null };

function parseHashRoute(hash: string): ParsedRecordUrl {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const recordType = modelTypes[params.get('model') ?? ''];
  const id = params.get('id');
  const viewType = params.get('view_type');
  if (!recordType || !id || !/^[1-9]\d*$/.test(id) || (viewType !== null && viewType !== 'form')) return none;
  return { recordType, id };
}

function parsePathRoute(segments: string[]): ParsedRecordUrl {
  // segments after "odoo": [action, id?, action, id?, …]; the record on screen is the last action with an id.
  const last = segments[segments.length - 1];
  if (segments.length < 2 || !last || !/^[1-9]\d*$/.test(last)) return none; // "/odoo/crm", "/odoo/crm/new"
  const recordType = actionTypes[segments[segments.length - 2]!];
  return recordType ? { recordType, id: last } : none;
}

function parseUrl(url: URL): ParsedRecordUrl | null {
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments[0] === 'odoo') return parsePathRoute(segments.slice(1));
  if (segments[0] === 'web' && segments.length === 1) return parseHashRoute(url.hash);
  // The website, shop and portal of the same Odoo are not the CRM back office.
  return null;
}

// One main action is on screen; a record opened in a dialog sits in .modal outside .o_action_manager.
const formRoot: Selectors = ['.o_action_manager .o_form_view', '.o_form_view'];

// Odoo 16+ form views are always editable: values sit in inputs, read through their value.
const widget = (name: string) => [`.o_field_widget[name="${name}"] input`, `.o_field_widget[name="${name}"] textarea`,
  `.o_field_widget[name="${name}"] span`, `.o_field_widget[name="${name}"]`];

const selectors = {
  title: widget('name'),
  amount: widget('expected_revenue'),
  // The monetary widget prints the currency symbol beside the input.
  currency: ['.o_field_widget[name="expected_revenue"]'],
  stage: [
    // Status bar, Odoo 16–19: the current stage button
    '.o_field_widget[name="stage_id"] button[aria-checked="true"]',
    '.o_field_widget[name="stage_id"] .o_arrow_button_current',
  ],
  probability: widget('probability'),
  owner: widget('user_id'),
  expectedClose: widget('date_deadline'),
} satisfies DealSelectors;

export const odoo: CrmAdapter = {
  id: 'odoo',
  label: 'Odoo',
  selfHosted: true,
  matchesHost: (url) => /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.odoo\.com$/.test(url.hostname) && !notCrm.has(url.hostname.split('.')[0]!),
  // A database is its own host, on Odoo Online ({db}.odoo.com) or self-hosted.
  ...tenantPerHost,
  parseUrl,
  readRecord(document, record) {
    if (record.id === null) return {};
    const root = first(document, formRoot);
    return root ? readDealFields(root, record, selectors) : {};
  },
};

// Tested on (URL shapes from odoo/odoo router.js, CRM tours and Odoo documentation):
// https://acme.odoo.com/web#id=42&cids=1&menu_id=139&action=209&model=crm.lead&view_type=form
// https://acme.odoo.com/odoo/crm/42
// https://acme.odoo.com/odoo/action-crm.crm_lead_all_leads/57
// https://acme.odoo.com/odoo/contacts/15
// https://acme.odoo.com/odoo/crm/new
