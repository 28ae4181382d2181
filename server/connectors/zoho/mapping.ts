import type { DealStatus } from '../../../core/schema';
import { number, scalarText, text, isoTime, secondsWithOffset } from '../field-values';
import type { IdPosition, KeysetPosition } from '../keyset';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';

// Zoho CRM's deals, users and pipelines as Headway's connector types, and the COQL that pages deals. Shapes from
// the Node SDK 8.0 (github.com/zoho/zohocrm-nodejs-sdk-8.0): records as lib/core/com/zoho/crm/api/record/record.js
// keys them (id, Deal_Name, Amount, Currency, Stage, Pipeline {name, id}, Probability, Owner {name, id, email},
// Closing_Date "YYYY-MM-DD", Modified_Time "2024-05-02T10:15:00+05:30" in whole seconds), users (api/users/users.js:
// id, full_name, email, status), pipelines (api/pipeline/pipeline.js, maps.js: maps[] with actual_value,
// display_value, forecast_type "Open" | "Closed Won" | "Closed Lost", forecast_category {name}), deleted records
// (api/record/deleted_record.js: id, deleted_time, type).

export type ZohoRecord = Record<string, unknown>;

/** What a sync reads of a deal (COQL select); kind rules may add fields such as Type. */
export const dealFields = ['id', 'Deal_Name', 'Amount', 'Currency', 'Stage', 'Pipeline', 'Probability', 'Owner', 'Closing_Date', 'Modified_Time'] as const;

/** The CRM's date-times (whole seconds, the org's or portal's offset) as ISO UTC, and ISO times as its filters take them. */
export const zohoTimeToIso = isoTime;
export const isoToZohoTime = secondsWithOffset;

function lookup(value: unknown): { id: string | null; name: string | null } {
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return { id: scalarText(record.id), name: text(record.name) };
  }
  return { id: null, name: text(value) };
}

/** The address of a deal in the org's web UI: /crm/org{id}/tab/Potentials/{id} ("Potentials" is the UI's name). */
export function dealUrl(instance: string, crmId: string): string {
  return /\/crm\/org\d+$/.test(instance) ? `${instance}/tab/Potentials/${crmId}` : `${instance}/crm/tab/Potentials/${crmId}`;
}

export function dealFromRecord(record: ZohoRecord, context: { instance: string; ruleFields: readonly string[]; homeCurrency: string | null }): CrmDeal {
  const crmId = String(record.id);
  const owner = lookup(record.Owner);
  const closing = text(record.Closing_Date);
  return {
    crmId,
    recordType: 'deal',
    title: text(record.Deal_Name) ?? `Deal ${crmId}`,
    amount: number(record.Amount),
    // Currency is a field of multi-currency orgs only; otherwise every amount is in the org's home currency.
    currency: text(record.Currency) ?? context.homeCurrency,
    stage: text(record.Stage),
    pipeline: lookup(record.Pipeline).id ?? lookup(record.Pipeline).name,
    probability: number(record.Probability),
    ownerCrmId: owner.id,
    ownerName: owner.name,
    expectedClose: closing !== null && /^\d{4}-\d{2}-\d{2}$/.test(closing) ? closing : null,
    closedAt: null,
    url: dealUrl(context.instance, crmId),
    modifiedAt: zohoTimeToIso(record.Modified_Time) ?? new Date(0).toISOString(),
    deleted: false,
    fields: Object.fromEntries(context.ruleFields.map((field) => [field, scalarText(lookup(record[field]).name ?? record[field])])),
  };
}

/** A deal the recycle bin (or a permanent deletion) holds: only its id and when it went. */
export function deletedDeal(record: ZohoRecord, instance: string): CrmDeal {
  const crmId = String(record.id);
  return {
    crmId, recordType: 'deal', title: text(record.display_name) ?? `Deal ${crmId}`, amount: null, currency: null, stage: null, pipeline: null, probability: null,
    ownerCrmId: null, ownerName: null, expectedClose: null, closedAt: null, url: dealUrl(instance, crmId),
    modifiedAt: zohoTimeToIso(record.deleted_time) ?? new Date(0).toISOString(), deleted: true, fields: {},
  };
}

export function userFromRecord(record: ZohoRecord): CrmUser {
  return { crmId: String(record.id), name: text(record.full_name) ?? String(record.id), email: text(record.email), active: record.status === 'active' };
}

/** Won and lost by each stage's forecast type (maps.js forecast_type), else its forecast category. */
function statusOf(stage: ZohoRecord): DealStatus {
  const type = text(stage.forecast_type) ?? text((stage.forecast_category as ZohoRecord | undefined)?.name) ?? '';
  if (/closed\s*won/i.test(type)) return 'won';
  if (/closed\s*lost/i.test(type)) return 'lost';
  return 'open';
}

export function pipelineFromRecord(record: ZohoRecord): CrmPipeline {
  const stages = Array.isArray(record.maps) ? (record.maps as ZohoRecord[]) : [];
  return {
    id: String(record.id),
    label: text(record.display_value) ?? String(record.id),
    stages: [...stages]
      .sort((a, b) => (number(a.sequence_number) ?? 0) - (number(b.sequence_number) ?? 0))
      .map((stage) => ({ id: text(stage.actual_value) ?? String(stage.id), label: text(stage.display_value) ?? String(stage.id), status: statusOf(stage) })),
  };
}

/**
 * The COQL of one page (POST /crm/v8/coql, {select_query}). Every clause relied on is in Zoho's "Query API" pages
 * for v8: ORDER BY takes up to 10 fields (COQL-Limitations: "A maximum of 10 fields can be given in the ORDER BY
 * clause"), so ties of Modified_Time come in id order; the comparators =, >, >= (COQL-Limitations, "supported
 * comparators"); two criteria bracketed as a pair; LIMIT up to 2,000 a call. OFFSET is never used: it stops at
 * 100,000 records (COQL-Limitations, first line), so pages go by keyset (keyset.ts) from the last time and id seen.
 */
export function dealQuery(fields: readonly string[], keyset: KeysetPosition | IdPosition, limit: number): string {
  const select = `select ${fields.join(', ')} from Deals`;
  if (keyset.phase === 'ids') return `${select} where ${keyset.afterId === null ? 'id is not null' : `id > '${keyset.afterId}'`} order by id asc limit ${limit}`;
  if (keyset.phase === 'tie') {
    const at = `Modified_Time = '${isoToZohoTime(keyset.at)}'`;
    return `${select} where ${keyset.afterId === null ? at : `(${at} and id > '${keyset.afterId}')`} order by id asc limit ${limit}`;
  }
  // A WHERE clause is required; "id is not null" is Zoho's own example of one that keeps every record.
  const from = keyset.from === null ? 'id is not null' : `Modified_Time ${keyset.inclusive ? '>=' : '>'} '${isoToZohoTime(keyset.from)}'`;
  return `${select} where ${from} order by Modified_Time asc, id asc limit ${limit}`;
}
