import type { RecordRef } from '../../core/schema';
import type { Tx } from '../store/transaction';

/**
 * The seam between a page capture and the CRM connectors (DESIGN.md "Sources, most trusted first"): when a
 * connector serves the record's tenant, the CRM's own API is the authority, so a capture writes nothing and asks
 * that connector to re-read the record instead. Answers true when a connector took the record (the capture then
 * stops), false when none serves its tenant (the capture goes on, within its author's rights).
 *
 * No connector exists yet, so no tenant is served: the connectors' work (issue 14) answers here from the
 * workspace's configured connectors and queues the re-read in `tx`, so it commits with the capture's batch.
 */
export async function rereadByConnector(_tx: Tx, _record: RecordRef): Promise<boolean> {
  return false;
}
