import type { DealStatus } from '../../../core/schema';
import { number, text } from '../field-values';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';

// Pure mapping from HubSpot's CRM v3 JSON to ours. Shapes: HubSpot/hubspot-api-nodejs codegen/crm/deals/models/
// SimplePublicObject.ts (id, properties as strings or null, createdAt, updatedAt, archived, archivedAt),
// codegen/crm/pipelines/models/Pipeline.ts and PipelineStage.ts (stage metadata isClosed "true"/"false" and
// probability "1.0" for won, "0.0" for lost), codegen/crm/owners/models/PublicOwner.ts.

export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null | undefined>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
  archivedAt?: string;
  associations?: Record<string, { results?: { id: string; type?: string }[] }>;
}

export interface HubSpotPipeline {
  id: string;
  label: string;
  archived?: boolean;
  stages: { id: string; label: string; archived?: boolean; metadata?: Record<string, string> }[];
}

export interface HubSpotOwner {
  id: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  archived?: boolean;
  userId?: number;
}

/** What a sync reads of a deal; kind rules may add properties (e.g. dealtype). */
export const dealProperties = ['dealname', 'amount', 'deal_currency_code', 'dealstage', 'pipeline', 'hs_deal_stage_probability', 'hubspot_owner_id', 'closedate', 'hs_lastmodifieddate', 'hs_object_id'] as const;

export function stageStatus(metadata: Record<string, string> | undefined): DealStatus {
  if (metadata?.isClosed !== 'true') return 'open';
  // A closed stage at probability 1 is won; every other closed stage (HubSpot's "Closed lost" is 0.0) is lost.
  return (number(metadata.probability) ?? 0) >= 1 ? 'won' : 'lost';
}

export function pipelineFromJson(pipeline: HubSpotPipeline): CrmPipeline {
  return { id: pipeline.id, label: pipeline.label, stages: pipeline.stages.map((stage) => ({ id: stage.id, label: stage.label, status: stageStatus(stage.metadata) })) };
}

export function userFromOwner(owner: HubSpotOwner): CrmUser {
  const name = [owner.firstName, owner.lastName].map((part) => part?.trim()).filter(Boolean).join(' ');
  return { crmId: String(owner.id), name: name || owner.email?.trim() || `Owner ${owner.id}`, email: owner.email?.trim().toLowerCase() || null, active: owner.archived !== true };
}

/** A time property ("2026-05-29T10:20:00.000Z", or epoch milliseconds in older portals) as ISO UTC; null when unreadable. */
export function hubSpotTimeToIso(value: unknown): string | null {
  const s = text(value);
  if (s === null) return null;
  const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export interface DealContext {
  /** Where a deal's record page is: the portal's contacts path, e.g. https://app.hubspot.com/contacts/1234567. */
  portalUrl: string;
  /** The portal's company currency (account-info companyCurrency), for deals without deal_currency_code. */
  currency: string | null;
  ruleFields: readonly string[];
}

export function dealFromObject(deal: HubSpotObject, context: DealContext): CrmDeal {
  const p = deal.properties;
  const modifiedAt = hubSpotTimeToIso(p.hs_lastmodifieddate) ?? hubSpotTimeToIso(deal.updatedAt);
  if (modifiedAt === null) throw new Error(`Deal ${deal.id} has no readable hs_lastmodifieddate`);
  const fields: Record<string, string | null> = { pipeline: text(p.pipeline), dealstage: text(p.dealstage) };
  for (const name of context.ruleFields) fields[name] ??= text(p[name]);
  const probability = number(p.hs_deal_stage_probability);
  const closeDate = text(p.closedate);
  return {
    crmId: deal.id,
    recordType: 'deal',
    title: text(p.dealname) ?? `Deal ${deal.id}`,
    amount: number(p.amount),
    currency: text(p.deal_currency_code)?.toUpperCase() ?? context.currency,
    stage: text(p.dealstage),
    pipeline: text(p.pipeline),
    probability: probability === null ? null : Math.round(probability * 100),
    ownerCrmId: text(p.hubspot_owner_id),
    ownerName: null,
    // closedate is a datetime HubSpot keeps at the day the user picked: its stored calendar day, not a local one.
    expectedClose: closeDate !== null && /^\d{4}-\d{2}-\d{2}/.test(closeDate) ? closeDate.slice(0, 10) : (hubSpotTimeToIso(closeDate)?.slice(0, 10) ?? null),
    closedAt: null,
    url: `${context.portalUrl}/record/0-3/${deal.id}`,
    modifiedAt,
    deleted: deal.archived === true,
    fields,
  };
}
