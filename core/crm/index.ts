import type { CrmId, DealFields } from '../schema';
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

/** "https://CRM.Example.com/" and "https://crm.example.com" are one origin; anything unparsable is none. */
function normaliseOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).origin;
  } catch {
    return undefined;
  }
}

/**
 * The only entry point that tells which CRM record a URL shows.
 * null: not a CRM page. `recordType`/`id` null: a CRM page that is not a record (list, report, settings, new form).
 * A configured instance wins over host matching: the admin said which CRM lives on that origin, and a self-hosted
 * CRM is never guessed from its path alone (an /index.php?module=… URL is not SuiteCRM on every site).
 */
export function detectRecord(input: string | URL, options: DetectOptions = {}): DetectedRecord | null {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const instance = options.instances?.find((candidate) => normaliseOrigin(candidate.origin) === url.origin);
  const candidates = instance
    ? adapters.filter((adapter) => adapter.id === instance.crm)
    : adapters.filter((adapter) => adapter.matchesHost(url));
  for (const adapter of candidates) {
    const parsed = adapter.parseUrl(url);
    if (parsed) return { crm: adapter.id, recordType: parsed.recordType, id: parsed.id };
  }
  return null;
}

/**
 * Reads the record a detected page shows. {} for a non-record page or an unknown CRM: the sidebar shows what it
 * knows from the URL and nothing guessed.
 */
export function readRecord(document: Document, detected: DetectedRecord): DealFields {
  if (detected.id === null) return {};
  const adapter = adapterFor(detected.crm);
  return adapter ? adapter.readRecord(document, { recordType: detected.recordType, id: detected.id }) : {};
}
