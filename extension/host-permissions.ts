import { tenantHosts } from '../core/crm';
import type { CrmInstance } from '../core/schema';

/**
 * The hosts the manifest declares (wxt.config.ts), declared here once so tests can check them against what the CRM
 * adapters recognise (test/unit/crm/host-coverage.test.ts).
 * - At install, loopback only: a self-hosted trial server and its demo CRM run there, and access to one's own
 *   machine exposes nothing new.
 * - Optional, any web host: every CRM tenant of the workspace, SaaS or self-hosted, is asked for from the options
 *   page after pairing (core/crm tenantHosts). A self-hosted CRM can live on any origin, so no narrower list can
 *   cover them; Headway asks for, and runs on, only the hosts of the workspace's own tenants.
 */
export const INSTALL_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];
export const TENANT_HOSTS = ['http://*/*', 'https://*/*'];

/** The slice of browser.permissions the options page and the background ask (so unit tests can pass fakes). */
export interface PermissionsApi {
  permissions: { contains(permissions: { origins: string[] }): Promise<boolean> };
}

/** Tenants the user still has to grant (any of their hosts) before Headway can show its sidebar there. */
export async function ungrantedInstances(apis: PermissionsApi, instances: readonly CrmInstance[]): Promise<CrmInstance[]> {
  const missing: CrmInstance[] = [];
  for (const instance of instances) {
    if (!(await apis.permissions.contains({ origins: tenantHosts(instance) }))) missing.push(instance);
  }
  return missing;
}
