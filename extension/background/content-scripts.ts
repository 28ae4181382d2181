import { adapterFor, tenantHosts } from '../../core/crm';
import type { CrmInstance } from '../../core/schema';
import type { PermissionsApi } from '../host-permissions';

/** The one CRM content script WXT builds with `registration: 'runtime'`; the background decides where it runs. */
export const CRM_SCRIPT_ID = 'headway-crm';
export const CRM_SCRIPT_FILE = 'content-scripts/crm.js';
/**
 * The same script, in every frame, for origins of CRMs that open records in a same-origin iframe (the adapter's
 * recordFrames: Bitrix24's slider, iframe.side-panel-iframe). Only those origins pay for sub-frame injection; a
 * sub-frame reports only when its own URL is such a record (extension/content/page-watch.ts).
 */
export const CRM_FRAMES_SCRIPT_ID = 'headway-crm-frames';

/**
 * Patterns of every host that shows one of the workspace's tenants, each once, in a stable order: the only hosts
 * the CRM script may run on. No CRM host is in the manifest; each tenant's are granted from the options page.
 */
export function candidateMatches(instances: readonly CrmInstance[]): string[] {
  return [...new Set(instances.flatMap(tenantHosts))].sort();
}

/** The slice of browser.scripting / browser.permissions this module needs (so unit tests can pass fakes). */
export interface RegistrationApis extends PermissionsApi {
  scripting: {
    getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<{ id: string; matches?: string[] }[]>;
    registerContentScripts(scripts: RegisteredScript[]): Promise<unknown>;
    unregisterContentScripts(filter?: { ids?: string[] }): Promise<unknown>;
  };
}

export interface RegisteredScript {
  id: string;
  js: string[];
  matches: string[];
  runAt: 'document_idle';
  allFrames: boolean;
  persistAcrossSessions: true;
}

/** Patterns whose pages get the script in every frame: the hosts of tenants whose CRM opens records in frames. */
export function framePatterns(instances: readonly CrmInstance[]): Set<string> {
  return new Set(instances.filter((instance) => adapterFor(instance.crm)?.recordFrames).flatMap(tenantHosts));
}

/**
 * Makes the registered CRM content script cover exactly the granted candidate patterns.
 * Returns the patterns it now covers. Idempotent: does nothing when the registration already matches.
 */
export function syncCrmContentScript(apis: RegistrationApis, instances: readonly CrmInstance[]): Promise<string[]> {
  // Pairing, a config refresh and a permission grant can each trigger this at once. Interleaved, two runs both
  // see "not registered" and the second register fails with "Duplicate script ID"; in turn, each run sees the
  // registration the one before it left.
  const run = registrationQueue.then(() => syncBothScripts(apis, instances));
  registrationQueue = run.catch(() => undefined);
  return run;
}

let registrationQueue: Promise<unknown> = Promise.resolve();

async function syncBothScripts(apis: RegistrationApis, instances: readonly CrmInstance[]): Promise<string[]> {
  const granted: string[] = [];
  for (const pattern of candidateMatches(instances)) {
    if (await apis.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  // A pattern is in exactly one of the two scripts, so no top frame ever gets the script twice.
  const inFrames = framePatterns(instances);
  await syncScript(apis, CRM_SCRIPT_ID, granted.filter((pattern) => !inFrames.has(pattern)), false);
  await syncScript(apis, CRM_FRAMES_SCRIPT_ID, granted.filter((pattern) => inFrames.has(pattern)), true);
  return granted;
}

async function syncScript(apis: RegistrationApis, id: string, matches: string[], allFrames: boolean): Promise<void> {
  const existing = (await apis.scripting.getRegisteredContentScripts({ ids: [id] }))[0];
  const current = [...(existing?.matches ?? [])].sort();
  if (existing && sameList(current, matches)) return;
  // Unregister + register instead of update: updateContentScripts is missing in older Firefox releases.
  if (existing) await apis.scripting.unregisterContentScripts({ ids: [id] });
  if (matches.length === 0) return;
  await apis.scripting.registerContentScripts([
    { id, js: [CRM_SCRIPT_FILE], matches, runAt: 'document_idle', allFrames, persistAcrossSessions: true },
  ]);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
