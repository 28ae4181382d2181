import { number, text } from '../field-values';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';

// Pure mapping from Odoo's JSON to ours. Shapes: odoo/odoo addons/crm/models/crm_lead.py (type lead|opportunity;
// stage_id; user_id; expected_revenue in company_currency; probability; date_deadline a Date; date_closed; active,
// which action_set_lost sets false with probability 0), addons/crm/models/crm_stage.py (is_won). search_read answers
// a many2one as [id, "display name"] or false, a Date as "YYYY-MM-DD", a Datetime as "YYYY-MM-DD HH:MM:SS" in UTC.

export type OdooRecord = Record<string, unknown>;

/** What a sync reads of a crm.lead; kind rules may add fields (team_id, a custom x_ field…). */
export const leadFields = ['id', 'name', 'type', 'active', 'stage_id', 'user_id', 'expected_revenue', 'company_currency', 'probability', 'date_deadline', 'date_closed', 'write_date'] as const;

/**
 * Odoo marks a lost opportunity by archiving it with probability 0 (crm.lead action_set_lost), not by a stage: it
 * keeps the stage it was lost in. The pipeline therefore has one more stage than crm.stage lists, this one.
 */
export const lostStage = 'lost';

/** A many2one value's id as text, or null for false. */
export function many2oneId(value: unknown): string | null {
  return Array.isArray(value) && value.length > 0 ? String(value[0]) : null;
}

function many2oneName(value: unknown): string | null {
  return Array.isArray(value) && value.length > 1 ? text(value[1]) : null;
}

/** "YYYY-MM-DD HH:MM:SS" (UTC) as ISO; null when unreadable. */
export function odooTimeToIso(value: unknown): string | null {
  const s = text(value);
  return s !== null && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) ? new Date(`${s.replace(' ', 'T')}Z`).toISOString() : null;
}

export function isoToOdooTime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

/** One pipeline of every crm.stage (stages are shared by the sales teams), won by is_won, and the lost pseudo-stage. */
export function pipelineFromStages(stages: readonly OdooRecord[]): CrmPipeline {
  return {
    id: null,
    label: 'Pipeline',
    stages: [
      ...stages.map((stage) => ({ id: String(stage.id), label: text(stage.name) ?? String(stage.id), status: stage.is_won === true ? ('won' as const) : ('open' as const) })),
      { id: lostStage, label: 'Lost', status: 'lost' as const },
    ],
  };
}

export interface LeadContext {
  origin: string;
  ruleFields: readonly string[];
}

/**
 * A crm.lead opportunity as a CrmDeal. Archived with probability 0 is lost; archived otherwise is out of the pipeline
 * (someone archived it without marking it lost), so it leaves Headway as a deleted deal would. An unpriced
 * opportunity (expected_revenue defaults to 0.0) shows as having no amount.
 */
export function dealFromLead(record: OdooRecord, context: LeadContext): CrmDeal {
  const id = String(record.id);
  const modifiedAt = odooTimeToIso(record.write_date);
  if (modifiedAt === null) throw new Error(`crm.lead ${id} has no readable write_date`);
  const fields: Record<string, string | null> = {};
  for (const name of context.ruleFields) fields[name] = Array.isArray(record[name]) ? many2oneId(record[name]) : text(record[name]);
  const archived = record.active === false;
  const probability = number(record.probability);
  const lost = archived && (probability ?? 0) === 0;
  const deadline = text(record.date_deadline);
  return {
    crmId: id,
    recordType: 'deal',
    title: text(record.name) ?? `Opportunity ${id}`,
    amount: number(record.expected_revenue) || null,
    currency: many2oneName(record.company_currency)?.toUpperCase() ?? null,
    stage: lost ? lostStage : many2oneId(record.stage_id),
    pipeline: null,
    probability,
    ownerCrmId: many2oneId(record.user_id),
    ownerName: many2oneName(record.user_id),
    expectedClose: deadline !== null && /^\d{4}-\d{2}-\d{2}$/.test(deadline) ? deadline : null,
    closedAt: odooTimeToIso(record.date_closed),
    url: `${context.origin}/web#id=${encodeURIComponent(id)}&model=crm.lead&view_type=form`,
    modifiedAt,
    deleted: archived && !lost,
    fields,
  };
}

export function userFromRecord(record: OdooRecord): CrmUser {
  const id = String(record.id);
  const email = text(record.email) ?? (text(record.login)?.includes('@') ? text(record.login) : null);
  return { crmId: id, name: text(record.name) ?? text(record.login) ?? id, email: email?.toLowerCase() ?? null, active: record.active !== false };
}
