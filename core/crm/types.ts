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
  /**
   * True when the CRM can run on a customer's own origin. Such an origin is recognised only once configured as an
   * instance. A CRM can be both: Odoo, Twenty and Bitrix24 also have SaaS hosts that matchesHost knows.
   */
  selfHosted: boolean;
  /** True for a SaaS host this CRM serves; false for every host of a self-hosted-only CRM. */
  matchesHost(url: URL): boolean;
  /**
   * Manifest match patterns for the SaaS hosts matchesHost accepts (empty for self-hosted-only CRMs), so the
   * extension can declare content scripts and host permissions from one list.
   */
  matchPatterns: readonly string[];
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
