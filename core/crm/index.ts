import type { CrmId } from '../schema';
import { adapters } from './registry';
import type { CrmAdapter, DetectedRecord } from './types';

export type { CrmAdapter, DetectedRecord, ParsedRecordUrl } from './types';
export { adapters } from './registry';

export interface DetectOptions {
  /** Self-hosted CRMs (and SaaS CRMs on unusual hosts) the workspace configured. */
  instances?: { origin: string; crm: CrmId }[];
}

export function adapterFor(id: CrmId): CrmAdapter | undefined {
  return adapters.find((adapter) => adapter.id === id);
}

/**
 * The only entry point that tells which CRM record a URL shows.
 * null: not a CRM page. `recordType`/`id` null: a CRM page that is not a record (list, report, settings, new form).
 */
export function detectRecord(input: string | URL, options: DetectOptions = {}): DetectedRecord | null {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    return null;
  }
  // A configured instance wins over host matching: the admin said which CRM lives on that origin.
  const instance = options.instances?.find((candidate) => candidate.origin === url.origin);
  const candidates = instance
    ? adapters.filter((adapter) => adapter.id === instance.crm)
    : adapters.filter((adapter) => !adapter.selfHosted && adapter.matchesHost(url));
  for (const adapter of candidates) {
    const parsed = adapter.parseUrl(url);
    if (parsed) return { crm: adapter.id, recordType: parsed.recordType, id: parsed.id };
  }
  return null;
}
