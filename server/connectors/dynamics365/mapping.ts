import type { DealStatus, RecordType } from '../../../core/schema';
import { number, scalarText, text } from '../field-values';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';

// Pure mapping from Dataverse Web API JSON to ours (entity reference: opportunity, systemuser, transactioncurrency;
// lookups come as `_{name}_value` GUIDs, their names as the OData.Community.Display.V1.FormattedValue annotation).
// Times are "2026-01-15T10:22:33Z" (whole seconds); Date Only columns such as estimatedclosedate "2026-01-15".

export interface DvOpportunityJson {
  opportunityid: string;
  name?: string | null;
  estimatedvalue?: number | null;
  _transactioncurrencyid_value?: string | null;
  statecode?: number | null;
  statuscode?: number | null;
  closeprobability?: number | null;
  _ownerid_value?: string | null;
  '_ownerid_value@OData.Community.Display.V1.FormattedValue'?: string;
  estimatedclosedate?: string | null;
  actualclosedate?: string | null;
  modifiedon: string;
  [field: string]: unknown;
}

export interface DvUserJson {
  systemuserid: string;
  fullname?: string | null;
  internalemailaddress?: string | null;
  isdisabled?: boolean | null;
}

/** A status reason of the opportunity's statuscode, with the state (statecode) it belongs to. */
export interface DvStatusOption {
  Value: number;
  State: number;
  Label?: { UserLocalizedLabel?: { Label?: string } | null };
}

export const opportunityFields = ['opportunityid', 'name', 'estimatedvalue', '_transactioncurrencyid_value', 'statecode', 'statuscode', 'closeprobability', '_ownerid_value', 'estimatedclosedate', 'actualclosedate', 'modifiedon'] as const;

/** statecode of an opportunity: 0 Open, 1 Won, 2 Lost (fixed by Dataverse; status reasons vary per org). */
const stateStatus: Readonly<Record<number, DealStatus>> = { 0: 'open', 1: 'won', 2: 'lost' };

/** Our record types as Dataverse entity sets and the single-valued navigation names a note or task binds through. */
export const entityOf: Record<RecordType, { set: string; logical: string }> = {
  deal: { set: 'opportunities', logical: 'opportunity' },
  account: { set: 'accounts', logical: 'account' },
  contact: { set: 'contacts', logical: 'contact' },
  lead: { set: 'leads', logical: 'lead' },
};

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return guid.test(value);
}

/** A Date Only column as stored; a datetime (a column still on User Local behaviour) gives its UTC day. */
function dateOnly(value: unknown): string | null {
  const s = text(value);
  return s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
}

export interface OpportunityContext {
  origin: string;
  /** ISO code of each transactioncurrency, by its id. */
  currencies: ReadonlyMap<string, string>;
  ruleFields: readonly string[];
}

export function dealFromOpportunity(record: DvOpportunityJson, context: OpportunityContext): CrmDeal {
  const id = record.opportunityid.toLowerCase();
  const fields: Record<string, string | null> = { statecode: scalarText(record.statecode) };
  for (const name of context.ruleFields) fields[name] = scalarText(record[name]);
  const closed = dateOnly(record.actualclosedate);
  const currency = text(record._transactioncurrencyid_value)?.toLowerCase();
  const url = new URL('/main.aspx', context.origin);
  url.search = new URLSearchParams({ pagetype: 'entityrecord', etn: 'opportunity', id }).toString();
  return {
    crmId: id,
    recordType: 'deal',
    title: text(record.name) ?? id,
    amount: number(record.estimatedvalue),
    currency: currency ? (context.currencies.get(currency) ?? null) : null,
    stage: record.statuscode === null || record.statuscode === undefined ? null : String(record.statuscode),
    pipeline: null,
    probability: number(record.closeprobability),
    ownerCrmId: text(record._ownerid_value)?.toLowerCase() ?? null,
    ownerName: text(record['_ownerid_value@OData.Community.Display.V1.FormattedValue']),
    expectedClose: dateOnly(record.estimatedclosedate),
    // Closing an opportunity (Win/Lose) sets actualclosedate, a Date Only column: midnight UTC of that day.
    closedAt: record.statecode !== 0 && closed ? `${closed}T00:00:00.000Z` : null,
    url: url.toString(),
    modifiedAt: new Date(record.modifiedon).toISOString(),
    deleted: false,
    fields,
  };
}

/** One pipeline of the org's status reasons, each won, lost or open by the state it belongs to. */
export function pipelineFromStatusReasons(options: readonly DvStatusOption[]): CrmPipeline {
  return {
    id: null,
    label: 'Opportunities',
    stages: options.map((option) => ({ id: String(option.Value), label: option.Label?.UserLocalizedLabel?.Label ?? String(option.Value), status: stateStatus[option.State] ?? 'open' })),
  };
}

export function userFromJson(user: DvUserJson): CrmUser {
  const id = user.systemuserid.toLowerCase();
  return { crmId: id, name: text(user.fullname) ?? id, email: text(user.internalemailaddress)?.toLowerCase() ?? null, active: user.isdisabled !== true };
}
