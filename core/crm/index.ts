import type { CrmId, CrmInstance, DealFields, RecordRef } from '../schema';
import { adapters } from './registry';
import { hostPattern, hostPatternCovers } from './tenant';
import type { CrmAdapter, DetectedRecord } from './types';

export type { CrmAdapter, DetectedRecord, ParsedRecordUrl, RecordFrames } from './types';
export { adapters } from './registry';
export { hostPattern } from './tenant';

export interface DetectOptions {
  /**
   * The workspace's tenants (GET /api/config). A self-hosted CRM (or a SaaS CRM on a custom domain) is recognised
   * only on one of these origins, and a URL that does not name its tenant belongs to the only one of its CRM there.
   */
  instances?: readonly CrmInstance[];
}

export function adapterFor(id: CrmId): CrmAdapter | undefined {
  return adapters.find((adapter) => adapter.id === id);
}

/** The origin an instance lives on; undefined for a string that is no URL. */
function originOf(instance: string): string | undefined {
  try {
    return new URL(instance).origin;
  } catch {
    return undefined;
  }
}

/**
 * Match patterns of every host that shows a tenant: what the extension asks the browser for in one request and
 * where its content script runs. A tenant off its CRM's own hosts (self-hosted, a custom domain) has just its own.
 */
export function tenantHosts(tenant: CrmInstance): string[] {
  let url: URL;
  try {
    url = new URL(tenant.instance);
  } catch {
    return []; // not an instance: the server never sends one, and a damaged cache must not break the page
  }
  const adapter = adapterFor(tenant.crm);
  return adapter?.matchesHost(url) ? adapter.instanceHosts(tenant.instance) : [hostPattern(url)];
}

/**
 * The tenant of a page of `adapter`'s CRM: what the URL names, or else the workspace's only tenant of that CRM whose
 * hosts include this one (a Zoho URL without its org segment). Off the CRM's own hosts the origin is the tenant.
 */
function instanceOfPage(adapter: CrmAdapter, url: URL, instances: readonly CrmInstance[]): string | null {
  if (!adapter.matchesHost(url)) return url.origin;
  const named = adapter.instanceOf(url);
  if (named !== null) return named;
  const here = instances.filter((candidate) => candidate.crm === adapter.id && tenantHosts(candidate).some((pattern) => hostPatternCovers(pattern, url)));
  return here.length === 1 ? here[0]!.instance : null;
}

/**
 * The only entry point that tells which CRM record a URL shows, and on which tenant.
 * null: not a CRM page. `recordType`/`id` null: a CRM page that is not a record (list, report, settings, new form).
 * It recognises a record on any tenant of a known CRM; whether Headway acts there is onWorkspaceTenant's answer.
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
  const instances = options.instances ?? [];
  const configured = instances.find((candidate) => originOf(candidate.instance) === url.origin);
  const candidates = configured
    ? adapters.filter((adapter) => adapter.id === configured.crm)
    : adapters.filter((adapter) => adapter.matchesHost(url));
  for (const adapter of candidates) {
    const parsed = adapter.parseUrl(url);
    if (parsed) return { crm: adapter.id, instance: instanceOfPage(adapter, url, instances), recordType: parsed.recordType, id: parsed.id };
  }
  return null;
}

/** Whether a detected page is on one of the workspace's tenants: anywhere else Headway shows nothing and sends nothing. */
export function onWorkspaceTenant(detected: Pick<DetectedRecord, 'crm' | 'instance'>, instances: readonly CrmInstance[]): boolean {
  return detected.instance !== null && instances.some((candidate) => candidate.crm === detected.crm && candidate.instance === detected.instance);
}

/** The key of the record a page shows; null for a non-record page or an unknown tenant. */
export function recordRefOf(detected: DetectedRecord): RecordRef | null {
  const { crm, instance, recordType, id } = detected;
  return instance !== null && recordType !== null && id !== null ? { crm, instance, recordType, crmId: id } : null;
}

/**
 * What an admin typed (`crm add https://acme.lightning.force.com/lightning/page/home salesforce`) as the canonical
 * instance, or why it names no tenant. Any URL of the tenant will do, a record page included.
 */
export function canonicalInstance(crm: CrmId, typed: string): { instance: string } | { problem: string } {
  const adapter = adapterFor(crm);
  let url: URL;
  try {
    url = new URL(typed.trim());
  } catch {
    return { problem: `"${typed}" is not a URL; give the address of your ${adapter?.label ?? crm}, such as https://acme.example.com` };
  }
  if (!adapter || (url.protocol !== 'https:' && url.protocol !== 'http:')) return { problem: `"${typed}" is not an http(s) address of ${adapter?.label ?? crm}` };
  const other = adapters.find((candidate) => candidate.id !== crm && candidate.matchesHost(url));
  if (other) return { problem: `${url.host} is a ${other.label} host, not ${adapter.label}` };
  if (!adapter.matchesHost(url)) return { instance: url.origin };
  const instance = adapter.instanceOf(url);
  return instance !== null
    ? { instance }
    : { problem: `${url.host} serves many ${adapter.label} tenants and this URL does not say which is yours: paste the address of any record page of your ${adapter.label}` };
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
