import type { RecordRef } from '../../core/schema';
import { connectionForRecord } from '../connectors/connections';
import { requestRefresh } from '../connectors/sync/refresh';
import type { Tx } from '../store/transaction';

/**
 * The seam between a page capture and the CRM connectors (DESIGN.md "Sources, most trusted first"): when a
 * connector serves the record's tenant, the CRM's own API is the authority, so a capture writes nothing and asks
 * that connector to re-read the record instead. Answers true when a connector took the record (the capture then
 * stops), false when none serves its tenant (the capture goes on, within its author's rights). The re-read is
 * queued in `tx`, so it commits with the capture's batch.
 */
export async function rereadByConnector(tx: Tx, record: RecordRef, now: string): Promise<boolean> {
  const connection = await connectionForRecord(tx, record);
  if (!connection) return false;
  if (record.recordType === 'deal') await requestRefresh(tx, connection.id, record.crmId, now);
  return true;
}
