import type { DealStatus } from '../../../core/schema';
import { number, text, isoTime, secondsWithOffset } from '../field-values';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';

// Bitrix24's deals, users and pipelines as Headway's connector types. Shapes as b24restdocs documents them:
// crm.deal.get/list (api-reference/crm/deals/crm-deal-get.md: every value a string, dates ISO 8601 with the portal's
// offset), crm.category.list (universal/category/crm-category-list.md), crm.status.list (status/crm-status-list.md:
// SEMANTICS "S" success, "F" failure, null in progress), user.get (user/user-get.md).

export type B24Record = Record<string, unknown>;

/**
 * What a sync reads of a deal; kind rules may add fields (e.g. TYPE_ID, a UF_CRM_… field). Won and lost come from
 * the stage's pipeline (crm.status.list SEMANTICS), the same source as the deal's STAGE_SEMANTIC_ID, so the
 * admin's extra won/lost stages apply to Bitrix24 as to every CRM.
 */
export const dealFields = ['ID', 'TITLE', 'OPPORTUNITY', 'CURRENCY_ID', 'STAGE_ID', 'CATEGORY_ID', 'PROBABILITY', 'ASSIGNED_BY_ID', 'CLOSEDATE', 'DATE_MODIFY'] as const;

/** The CRM's date-times (whole seconds, the org's or portal's offset) as ISO UTC, and ISO times as its filters take them. */
export const b24TimeToIso = isoTime;
export const isoToB24Time = secondsWithOffset;

/**
 * A date field as the portal stores it: CLOSEDATE comes as midnight in the portal's zone ("2024-09-09T00:00:00+03:00"),
 * so its own calendar day is the first ten characters; converting to UTC would move it to the day before.
 */
function storedDate(value: unknown): string | null {
  const s = text(value);
  return s !== null && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
}

/** crm.status.list ENTITY_ID of a deal pipeline's stages: DEAL_STAGE for the general one (id 0), else DEAL_STAGE_<id>. */
export function stageEntityOf(categoryId: string): string {
  return categoryId === '0' ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`;
}

const semanticStatus: Record<string, DealStatus> = { S: 'won', F: 'lost', success: 'won', failure: 'lost' };

/** One pipeline from its category and its stages as crm.status.list lists them. */
export function pipelineFromStatuses(category: { id: string; name: string }, statuses: readonly B24Record[]): CrmPipeline {
  return {
    id: category.id,
    label: category.name,
    stages: statuses.map((status) => {
      const extra = status.EXTRA as { SEMANTICS?: unknown } | undefined;
      const semantics = text(status.SEMANTICS) ?? text(extra?.SEMANTICS) ?? '';
      return { id: String(status.STATUS_ID), label: text(status.NAME) ?? String(status.STATUS_ID), status: semanticStatus[semantics] ?? 'open' };
    }),
  };
}

export interface DealContext {
  origin: string;
  ruleFields: readonly string[];
}

/** A Bitrix24 deal as a CrmDeal. Pure. */
export function dealFromRecord(record: B24Record, context: DealContext): CrmDeal {
  const id = String(record.ID);
  const modifiedAt = b24TimeToIso(record.DATE_MODIFY);
  if (modifiedAt === null) throw new Error(`Deal ${id} has no readable DATE_MODIFY`);
  const fields: Record<string, string | null> = {};
  for (const name of context.ruleFields) fields[name] = text(record[name]);
  const owner = text(record.ASSIGNED_BY_ID);
  return {
    crmId: id,
    recordType: 'deal',
    title: text(record.TITLE) ?? `Deal ${id}`,
    // CCrmDeal::Add stores 0.00 when no amount was given: Bitrix24 cannot tell "not priced" from 0, and Headway
    // counts an unpriced deal as such (shown as no amount) rather than as a deal worth nothing.
    amount: number(record.OPPORTUNITY) || null,
    currency: text(record.CURRENCY_ID)?.toUpperCase() ?? null,
    stage: text(record.STAGE_ID),
    pipeline: text(record.CATEGORY_ID) ?? '0',
    probability: number(record.PROBABILITY),
    ownerCrmId: owner === '0' ? null : owner,
    ownerName: null,
    expectedClose: storedDate(record.CLOSEDATE),
    // Bitrix24 keeps no separate close time on the deal; CLOSEDATE is what its users set when a deal closes.
    closedAt: null,
    url: new URL(`/crm/deal/details/${id}/`, context.origin).toString(),
    modifiedAt,
    deleted: false,
    fields,
  };
}

export function userFromRecord(record: B24Record): CrmUser {
  const name = [text(record.NAME), text(record.LAST_NAME)].filter(Boolean).join(' ') || text(record.EMAIL) || String(record.ID);
  return { crmId: String(record.ID), name, email: text(record.EMAIL)?.toLowerCase() ?? null, active: record.ACTIVE === true || record.ACTIVE === 'Y' || record.ACTIVE === 'true' };
}
