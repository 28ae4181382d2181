import type { DealStatus, RecordType } from '../../../core/schema';
import { number, text } from '../field-values';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';

// Pure mapping from EspoCRM's JSON to ours. Shapes: espocrm/espocrm application/Espo/Modules/Crm/Resources/metadata/
// entityDefs/Opportunity.json (amount is a currency field: `amount` + `amountCurrency`; `stage` an enum with a
// `probabilityMap`; `closeDate` a date; `assignedUser` a link: `assignedUserId`/`assignedUserName`; `modifiedAt` a
// datetime "Y-m-d H:i:s" in UTC), entityDefs/User.json (`emailAddress`, `isActive`).

export type EspoRecord = Record<string, unknown>;

/** What a sync reads of an Opportunity; kind rules may add fields (a custom `c…` field, say). */
export const opportunityFields = ['id', 'name', 'amount', 'amountCurrency', 'stage', 'probability', 'closeDate', 'assignedUserId', 'assignedUserName', 'modifiedAt'] as const;

/** Our record types as EspoCRM's entity types (the `parentType` of a note or task). */
export const scopeOf: Record<RecordType, string> = { deal: 'Opportunity', account: 'Account', contact: 'Contact', lead: 'Lead' };

/** EspoCRM's "Y-m-d H:i:s" (UTC) as ISO 8601; null when unreadable. */
export function espoTimeToIso(value: unknown): string | null {
  const s = text(value);
  if (s === null || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s)) return null;
  return new Date(`${s.replace(' ', 'T')}Z`).toISOString();
}

export function isoToEspoTime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The one pipeline: the stage enum's options, won and lost as EspoCRM itself tells them
 * (Modules/Crm/Classes/Select/Opportunity/Utils/StageListProvider.php: probability 100 is won, 0 is lost).
 */
export function pipelineFromStageField(field: { options?: unknown; probabilityMap?: unknown } | null): CrmPipeline {
  const options = Array.isArray(field?.options) ? field.options.filter((option): option is string => typeof option === 'string') : [];
  const probabilities = (field?.probabilityMap ?? {}) as Record<string, unknown>;
  const statusOf = (stage: string): DealStatus => {
    const probability = number(probabilities[stage]);
    return probability === 100 ? 'won' : probability === 0 ? 'lost' : 'open';
  };
  return { id: null, label: 'Opportunities', stages: options.map((stage) => ({ id: stage, label: stage, status: statusOf(stage) })) };
}

export interface OpportunityContext {
  origin: string;
  ruleFields: readonly string[];
}

/** An Opportunity as a CrmDeal. Pure. */
export function dealFromOpportunity(record: EspoRecord, context: OpportunityContext): CrmDeal {
  const id = String(record.id);
  const modifiedAt = espoTimeToIso(record.modifiedAt);
  if (modifiedAt === null) throw new Error(`Opportunity ${id} has no readable modifiedAt`);
  const fields: Record<string, string | null> = {};
  for (const name of context.ruleFields) fields[name] = text(record[name]);
  const amount = number(record.amount);
  const closeDate = text(record.closeDate);
  return {
    crmId: id,
    recordType: 'deal',
    title: text(record.name) ?? `Opportunity ${id}`,
    amount,
    currency: amount === null ? null : (text(record.amountCurrency)?.toUpperCase() ?? null),
    stage: text(record.stage),
    pipeline: null,
    probability: number(record.probability),
    ownerCrmId: text(record.assignedUserId),
    ownerName: text(record.assignedUserName),
    expectedClose: closeDate !== null && /^\d{4}-\d{2}-\d{2}$/.test(closeDate) ? closeDate : null,
    // EspoCRM keeps no close time; the close date is what its users set when an opportunity closes.
    closedAt: null,
    url: `${context.origin}/#Opportunity/view/${encodeURIComponent(id)}`,
    modifiedAt,
    deleted: false,
    fields,
  };
}

export function userFromRecord(record: EspoRecord): CrmUser {
  const id = String(record.id);
  return { crmId: id, name: text(record.name) ?? text(record.userName) ?? id, email: text(record.emailAddress)?.toLowerCase() ?? null, active: record.isActive !== false };
}
