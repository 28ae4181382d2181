import { number, scalarText, text } from '../field-values';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';

// Pure mapping from Salesforce REST JSON to ours. Shapes: a query record is {attributes: {type, url}, …fields}
// (REST API Developer Guide, "Query"); datetimes come as "2026-01-15T10:22:33.000+0000", dates as "2026-01-15";
// Opportunity, OpportunityStage and User fields as the Object Reference names them.

export interface SfOpportunityJson {
  Id: string;
  Name?: string | null;
  Amount?: number | null;
  /** Only in orgs with multiple currencies enabled; elsewhere every amount is in the org's currency. */
  CurrencyIsoCode?: string | null;
  StageName?: string | null;
  Probability?: number | null;
  OwnerId?: string | null;
  CloseDate?: string | null;
  SystemModstamp: string;
  IsDeleted?: boolean;
  [field: string]: unknown;
}

export interface SfStageJson {
  ApiName: string;
  MasterLabel: string;
  IsActive: boolean;
  IsClosed: boolean;
  IsWon: boolean;
}

export interface SfUserJson {
  Id: string;
  Name?: string | null;
  Email?: string | null;
  IsActive?: boolean;
}

/** The Opportunity fields every page asks for; CurrencyIsoCode is added where the org has it. */
export const opportunityFields = ['Id', 'Name', 'Amount', 'StageName', 'Probability', 'OwnerId', 'CloseDate', 'SystemModstamp', 'IsDeleted', 'Type'] as const;

/** A Salesforce datetime ("…+0000" or "…Z") as ISO 8601 UTC. */
export function sfTimeToIso(value: string): string {
  const at = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(at)) throw new Error(`unreadable Salesforce datetime "${value}"`);
  return new Date(at).toISOString();
}

/** A Salesforce record id (15 or 18 characters) fit to be quoted in SOQL; anything else is refused. */
export function isRecordId(value: string): boolean {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value);
}

export interface OpportunityContext {
  /** The org's My Domain, the tenant: record links go there. */
  origin: string;
  /** The org's currency, for orgs without multiple currencies (Organization.DefaultCurrencyIsoCode). */
  orgCurrency: string | null;
  ruleFields: readonly string[];
}

export function dealFromOpportunity(record: SfOpportunityJson, context: OpportunityContext): CrmDeal {
  const fields: Record<string, string | null> = {};
  for (const name of context.ruleFields) fields[name] = scalarText(record[name]);
  return {
    crmId: record.Id,
    recordType: 'deal',
    title: text(record.Name) ?? record.Id,
    amount: number(record.Amount),
    currency: text(record.CurrencyIsoCode)?.toUpperCase() ?? context.orgCurrency,
    stage: text(record.StageName),
    // Sales processes restrict which stages a record type offers, but each stage is won, lost or open org-wide.
    pipeline: null,
    probability: number(record.Probability),
    ownerCrmId: text(record.OwnerId),
    ownerName: null,
    expectedClose: /^\d{4}-\d{2}-\d{2}$/.test(record.CloseDate ?? '') ? record.CloseDate! : null,
    // A closed opportunity's CloseDate is the day it closed (Salesforce sets it so when a user closes it).
    closedAt: null,
    url: `${context.origin}/lightning/r/Opportunity/${record.Id}/view`,
    modifiedAt: sfTimeToIso(record.SystemModstamp),
    deleted: record.IsDeleted === true,
    fields,
  };
}

/** Every stage of the org, won and lost by OpportunityStage's own IsClosed and IsWon. */
export function pipelineFromStages(stages: readonly SfStageJson[]): CrmPipeline {
  return {
    id: null,
    label: 'Opportunities',
    stages: stages.map((stage) => ({ id: stage.ApiName, label: stage.MasterLabel, status: !stage.IsClosed ? 'open' : stage.IsWon ? 'won' : 'lost' })),
  };
}

export function userFromJson(user: SfUserJson): CrmUser {
  return { crmId: user.Id, name: text(user.Name) ?? user.Id, email: text(user.Email)?.toLowerCase() ?? null, active: user.IsActive !== false };
}
