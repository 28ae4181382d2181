import { adapterFor, detectRecord, onWorkspaceTenant, type DetectedRecord } from '../core/crm';
import type { DealFields } from '../core/schema';
import type { ConnectionSnapshot } from './messages';

/** Which CRM page this is, as far as the URL and the workspace tell: what the content script and the background both ask. */
export interface CrmPageIdentity {
  detected: DetectedRecord;
  crmLabel: string;
  /** Set when the workspace switched this CRM's adapter off (it misreads a new CRM release, say). */
  disabledReason: string | null;
}

/**
 * The CRM page `url` is, or null when it is no CRM page Headway knows, or a page of a tenant the workspace did not
 * declare (another company's org, a sandbox, a trial): then nothing is shown, read or sent.
 */
export function identifyCrmPage(url: string, snapshot: Pick<ConnectionSnapshot, 'instances' | 'disabledAdapters'>): CrmPageIdentity | null {
  const detected = detectRecord(url, { instances: snapshot.instances });
  if (!detected || !onWorkspaceTenant(detected, snapshot.instances)) return null;
  const adapter = adapterFor(detected.crm);
  if (!adapter) return null;
  const disabled = snapshot.disabledAdapters.find((entry) => entry.crm === detected.crm);
  return { detected, crmLabel: adapter.label, disabledReason: disabled?.reason ?? null };
}

/** What a CRM page shows: its identity and the fields its adapter read. */
export interface CrmPageRead extends CrmPageIdentity {
  fields: DealFields;
}

/**
 * What the CRM page shows, or null when identifyCrmPage says Headway does not act there.
 * Adapters already clean and clamp what they read; the panel renders it as text only.
 */
export function readCrmPage(url: string, document: Document, snapshot: Pick<ConnectionSnapshot, 'instances' | 'disabledAdapters'>): CrmPageRead | null {
  const page = identifyCrmPage(url, snapshot);
  if (!page) return null;
  const { detected } = page;
  let fields: DealFields = {};
  if (!page.disabledReason && detected.recordType && detected.id) {
    try {
      fields = adapterFor(detected.crm)!.readRecord(document, { recordType: detected.recordType, id: detected.id });
    } catch {
      // A CRM release that moved its markup must not break the page; the panel says the title is unknown.
      fields = {};
    }
  }
  return { ...page, fields };
}
