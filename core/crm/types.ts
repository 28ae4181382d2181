import type { CrmId, DealFields, RecordType } from '../schema';

/** What a URL tells about the record on screen. */
export interface ParsedRecordUrl {
  recordType: RecordType | null;
  /** Normalised as crm-url-vectors.json says (Dynamics GUIDs lower-case without braces). */
  id: string | null;
}

/** One CRM. URL parsing is pure; DOM reading is separate and named so. */
export interface CrmAdapter {
  id: CrmId;
  label: string;
  /** Self-hosted CRMs have no known host: they match only on origins configured as instances. */
  selfHosted: boolean;
  /** True for a SaaS host this CRM serves (never true for a self-hosted CRM). */
  matchesHost(url: URL): boolean;
  /** null when the URL is not this CRM's page at all; `{recordType: null, id: null}` for a non-record page. */
  parseUrl(url: URL): ParsedRecordUrl | null;
  /** Reads what the page shows of the record; a field is present only when it was actually read. */
  readRecord(document: Document, record: ParsedRecordUrl): DealFields;
}

export interface DetectedRecord {
  crm: CrmId;
  recordType: RecordType | null;
  id: string | null;
}
