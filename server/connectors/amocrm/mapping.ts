import type { DealStatus, RecordType } from '../../../core/schema';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';

// Pure mapping from amoCRM's API v4 JSON to ours (shapes: amocrm/amocrm-api-php Models/LeadModel.php,
// Leads/Pipelines/PipelineModel.php and Statuses/StatusModel.php, UserModel.php). Times are unix seconds.

export interface AmoLeadJson {
  id: number;
  name?: string | null;
  price?: number | null;
  /** A budget with kopecks or cents, where the account keeps them (LeadModel reads it before `price`). */
  price_with_minor_units?: number | null;
  responsible_user_id?: number | null;
  status_id?: number | null;
  pipeline_id?: number | null;
  closed_at?: number | null;
  updated_at: number;
  is_deleted?: boolean;
  [field: string]: unknown;
}

export interface AmoPipelineJson {
  id: number;
  name: string;
  _embedded?: { statuses?: { id: number; name: string }[] };
}

export interface AmoUserJson {
  id: number;
  name?: string | null;
  email?: string | null;
  rights?: { is_active?: boolean } | null;
}

/** amoCRM's two closed statuses, the same ids in every pipeline of every account (StatusModel). */
export const closedStatuses: Readonly<Record<number, DealStatus>> = { 142: 'won', 143: 'lost' };

/** Our record types as amoCRM's entity paths (a "lead" in amoCRM is a deal; it has no separate lead object). */
export const entityOf: Partial<Record<RecordType, 'leads' | 'contacts' | 'companies'>> = { deal: 'leads', contact: 'contacts', account: 'companies' };

export function unixToIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

export function isoToUnix(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

export interface LeadContext {
  origin: string;
  /** The account's one currency (GET /api/v4/account → currency). */
  currency: string | null;
  ruleFields: readonly string[];
}

function scalar(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

/** A lead as a CrmDeal. A budget of 0 is a lead without one (the card shows 0 for an empty budget). */
export function dealFromLead(lead: AmoLeadJson, context: LeadContext): CrmDeal {
  const budget = lead.price_with_minor_units ?? lead.price ?? null;
  const fields: Record<string, string | null> = { pipeline_id: scalar(lead.pipeline_id), status_id: scalar(lead.status_id) };
  for (const name of context.ruleFields) fields[name] ??= scalar(lead[name]);
  return {
    crmId: String(lead.id),
    recordType: 'deal',
    title: lead.name?.trim() || `#${lead.id}`,
    amount: typeof budget === 'number' && budget > 0 ? budget : null,
    currency: context.currency,
    stage: lead.status_id ? String(lead.status_id) : null,
    pipeline: lead.pipeline_id ? String(lead.pipeline_id) : null,
    probability: null,
    ownerCrmId: lead.responsible_user_id ? String(lead.responsible_user_id) : null,
    ownerName: null,
    // A lead has no expected close date of its own (accounts add one as a custom field, if at all).
    expectedClose: null,
    closedAt: lead.closed_at ? unixToIso(lead.closed_at) : null,
    url: `${context.origin}/leads/detail/${lead.id}`,
    modifiedAt: unixToIso(lead.updated_at),
    deleted: lead.is_deleted === true,
    fields,
  };
}

export function pipelineFromJson(pipeline: AmoPipelineJson): CrmPipeline {
  return {
    id: String(pipeline.id),
    label: pipeline.name,
    stages: (pipeline._embedded?.statuses ?? []).map((status) => ({ id: String(status.id), label: status.name, status: closedStatuses[status.id] ?? 'open' })),
  };
}

export function userFromJson(user: AmoUserJson): CrmUser {
  return { crmId: String(user.id), name: user.name?.trim() || String(user.id), email: user.email?.trim().toLowerCase() || null, active: user.rights?.is_active !== false };
}
