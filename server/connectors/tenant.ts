import type { CrmId } from '../../core/schema';
import type { Tx } from '../store/transaction';
import { registerInstance } from '../store/workspace';

// The one place a connector makes its origin a workspace tenant. Today that is the CRM instance list `crm add`
// writes; when the tenant-bound record key (`instance`, the trust-boundaries work) lands, this is the function to
// point at its tenant store, and nothing else in server/connectors needs to change.

/** Registers `origin` as the workspace's tenant for `crm` (idempotent) and tells every extension at its next pull. */
export async function registerTenant(tx: Tx, origin: string, crm: CrmId, now: string): Promise<void> {
  await registerInstance(tx, { origin, crm }, now);
}
