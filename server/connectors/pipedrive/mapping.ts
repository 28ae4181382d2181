import { number, text } from '../field-values';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';

// Pure mapping from Pipedrive's JSON to ours. Shapes: pipedrive/client-nodejs src/versions/v2/models
// (add-deal-request.ts and the deal items of get-deals-response.ts: id, title, owner_id, value, currency,
// pipeline_id, stage_id, status open|won|lost|deleted, is_deleted, probability, expected_close_date (YYYY-MM-DD),
// won_time, lost_time, close_time, update_time (RFC 3339), custom_fields), stage-item.ts, and v1 base-user.ts
// (id, name, email, active_flag).

export interface PipedriveDealJson {
  id: number;
  title?: string | null;
  owner_id?: number | null;
  value?: number | null;
  currency?: string | null;
  pipeline_id?: number | null;
  stage_id?: number | null;
  status?: 'open' | 'won' | 'lost' | 'deleted' | string;
  is_deleted?: boolean;
  probability?: number | null;
  expected_close_date?: string | null;
  won_time?: string | null;
  lost_time?: string | null;
  close_time?: string | null;
  update_time: string;
  custom_fields?: Record<string, unknown> | null;
  [field: string]: unknown;
}

export interface PipedrivePipelineJson {
  id: number;
  name: string;
  is_deleted?: boolean;
}

export interface PipedriveStageJson {
  id: number;
  name: string;
  pipeline_id: number;
  order_nr?: number;
  is_deleted?: boolean;
}

export interface PipedriveUserJson {
  id: number;
  name?: string | null;
  email?: string | null;
  active_flag?: boolean;
}

/**
 * Pipedrive keeps won and lost in the deal's status, not in a stage (a won deal stays in the stage it was won
 * from). Every pipeline therefore gets these two stages of its own, and a won or lost deal is in them, so won/lost
 * is judged from the pipeline like every other CRM's.
 */
export const closedStages = { won: 'won', lost: 'lost' } as const;

export function pipelineFromJson(pipeline: PipedrivePipelineJson, stages: readonly PipedriveStageJson[]): CrmPipeline {
  return {
    id: String(pipeline.id),
    label: pipeline.name,
    stages: [
      ...stages
        .filter((stage) => stage.pipeline_id === pipeline.id && stage.is_deleted !== true)
        .sort((a, b) => (a.order_nr ?? 0) - (b.order_nr ?? 0))
        .map((stage) => ({ id: String(stage.id), label: stage.name, status: 'open' as const })),
      { id: closedStages.won, label: 'Won', status: 'won' },
      { id: closedStages.lost, label: 'Lost', status: 'lost' },
    ],
  };
}

export function userFromJson(user: PipedriveUserJson): CrmUser {
  return { crmId: String(user.id), name: user.name?.trim() || user.email?.trim() || `User ${user.id}`, email: user.email?.trim().toLowerCase() || null, active: user.active_flag !== false };
}

function isoOf(value: unknown): string | null {
  const s = text(value);
  if (s === null) return null;
  // API v1 gives "2025-01-01 10:20:00" (UTC); v2 RFC 3339.
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(s) ? `${s.replace(' ', 'T')}Z` : s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export interface DealContext {
  origin: string;
  ruleFields: readonly string[];
}

export function dealFromJson(deal: PipedriveDealJson, context: DealContext): CrmDeal {
  const modifiedAt = isoOf(deal.update_time);
  if (modifiedAt === null) throw new Error(`Deal ${deal.id} has no readable update_time`);
  const fields: Record<string, string | null> = { pipeline_id: text(deal.pipeline_id), stage_id: text(deal.stage_id), status: text(deal.status) };
  for (const name of context.ruleFields) fields[name] ??= text(deal[name]) ?? text(deal.custom_fields?.[name]);
  const status = deal.status === 'won' || deal.status === 'lost' ? deal.status : null;
  const closeDate = text(deal.expected_close_date);
  return {
    crmId: String(deal.id),
    recordType: 'deal',
    title: text(deal.title) ?? `Deal ${deal.id}`,
    // A deal created without a value holds 0: Pipedrive cannot tell "not priced" from 0, and Headway shows it unpriced.
    amount: number(deal.value) || null,
    currency: text(deal.currency)?.toUpperCase() ?? null,
    stage: status ? closedStages[status] : text(deal.stage_id),
    pipeline: text(deal.pipeline_id),
    probability: number(deal.probability),
    ownerCrmId: text(deal.owner_id),
    ownerName: null,
    expectedClose: closeDate !== null && /^\d{4}-\d{2}-\d{2}$/.test(closeDate) ? closeDate : null,
    closedAt: status === 'won' ? isoOf(deal.won_time) ?? isoOf(deal.close_time) : status === 'lost' ? isoOf(deal.lost_time) ?? isoOf(deal.close_time) : null,
    url: `${context.origin}/deal/${deal.id}`,
    modifiedAt,
    deleted: deal.status === 'deleted' || deal.is_deleted === true,
    fields,
  };
}
