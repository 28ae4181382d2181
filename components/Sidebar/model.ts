import type { DealFields } from '../../core/schema';
import type { DetectedRecord } from '../../core/crm';

/** What the content script found on the page, handed to the sidebar. */
export interface PageView {
  detected: DetectedRecord;
  crmLabel: string;
  fields: DealFields;
  /** Set when the workspace switched this CRM's adapter off (it misreads a new CRM release, say). */
  disabledReason: string | null;
}
