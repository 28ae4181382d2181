import { adapterFor, detectRecord, onWorkspaceTenant } from '../core/crm';
import type { DealFields } from '../core/schema';
import type { PageView } from '../components/Sidebar/model';
import type { ConnectionSnapshot } from './messages';

/**
 * What the CRM page shows, or null when this is no CRM page Headway knows, or a page of a tenant the workspace did
 * not declare (another company's org, a sandbox, a trial): then nothing is shown, read or sent.
 * Adapters already clean and clamp what they read; the sidebar renders it as text only.
 */
export function readCrmPage(url: string, document: Document, snapshot: Pick<ConnectionSnapshot, 'instances' | 'disabledAdapters'>): PageView | null {
  const detected = detectRecord(url, { instances: snapshot.instances });
  if (!detected || !onWorkspaceTenant(detected, snapshot.instances)) return null;
  const adapter = adapterFor(detected.crm);
  if (!adapter) return null;
  const disabled = snapshot.disabledAdapters.find((entry) => entry.crm === detected.crm);
  let fields: DealFields = {};
  if (!disabled && detected.recordType && detected.id) {
    try {
      fields = adapter.readRecord(document, { recordType: detected.recordType, id: detected.id });
    } catch {
      // A CRM release that moved its markup must not break the page; the sidebar says the title is unknown.
      fields = {};
    }
  }
  return { detected, crmLabel: adapter.label, fields, disabledReason: disabled?.reason ?? null };
}
