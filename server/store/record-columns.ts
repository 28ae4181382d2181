import type { StoredRecordRef } from '../../core/schema';

/** How notes and escalations store the record they are about (nullable columns: a record is optional there). */
export interface RecordColumns {
  crm: string | null;
  instance: string | null;
  crm_id: string | null;
  record_type: string | null;
}

export function recordColumns(record: StoredRecordRef | null): RecordColumns {
  return { crm: record?.crm ?? null, instance: record?.instance ?? null, crm_id: record?.crmId ?? null, record_type: record?.recordType ?? null };
}

/** The record as stored, for the domain schemas to check; `instance` null is a record kept from before tenants. */
export function recordOfRow(row: RecordColumns): { crm: string; instance: string | null; crmId: string; recordType: string } | null {
  return row.crm && row.crm_id && row.record_type ? { crm: row.crm, instance: row.instance, crmId: row.crm_id, recordType: row.record_type } : null;
}
