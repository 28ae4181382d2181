import type { CrmId, DealFields, RecordType } from '../schema';

/** What a URL tells about the record on screen. */
export interface ParsedRecordUrl {
  recordType: RecordType | null;
  /** Normalised as crm-url-vectors.json says (Dynamics GUIDs lower-case without braces). */
  id: string | null;
}

/** One CRM. URL parsing is pure; DOM reading is separate and named so. */
/** How a CRM that opens records in frames of its own page shows one (CrmAdapter.recordFrames). */
export interface RecordFrames {
  /** Whether a record frame is open over the page now; asked on every DOM batch of the top frame, so it is cheap. */
  open(document: Document): boolean;
}

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
  /** null when the URL is not this CRM's page at all; `{recordType: null, id: null}` for a non-record page. */
  parseUrl(url: URL): ParsedRecordUrl | null;
  /**
   * The tenant a URL on one of this CRM's hosts (matchesHost) shows, written canonically (see Instance in
   * core/schema/common.ts): one org, one instance, whatever host shows it. null when the URL does not name its
   * tenant; detectRecord then takes the workspace's only tenant of this CRM on that host, if it has exactly one.
   * On a configured origin that is not one of these hosts (a self-hosted CRM, a custom domain) the origin is the
   * instance, without asking the adapter. Pure, like parseUrl.
   */
  instanceOf(url: URL): string | null;
  /**
   * Match patterns (core/crm/tenant.ts hostPattern) of every host that shows `instance`: the hosts the extension
   * asks the browser for, in one request, and runs its content script on.
   */
  instanceHosts(instance: string): string[];
  /**
   * Present when the CRM opens a record in a same-origin iframe of its own page (Bitrix24's slider): the content
   * script then runs in every frame of its tenants' hosts (extension/background/content-scripts.ts), a sub-frame
   * reports only a record of this CRM, and the top frame reports nothing while `open(document)` says such a frame
   * covers it (extension/content/page-watch.ts). Absent: the top frame only.
   */
  recordFrames?: RecordFrames;
  /** Reads what the page shows of the record; a field is present only when it was actually read. */
  readRecord(document: Document, record: ParsedRecordUrl): DealFields;
}

export interface DetectedRecord {
  crm: CrmId;
  /** The tenant the page belongs to (RecordRef.instance); null when neither the URL nor the workspace tells. */
  instance: string | null;
  recordType: RecordType | null;
  id: string | null;
}
