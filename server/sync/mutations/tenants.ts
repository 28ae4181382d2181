import { onWorkspaceTenant } from '../../../core/crm';
import type { CrmInstance, RecordRef } from '../../../core/schema';
import { foreignTenantMessage } from '../../store/workspace';
import { MutationRejected } from './context';

/** A record of a tenant the workspace did not declare is refused before anything is written. */
export function refusalOfForeignRecord(record: RecordRef | null, tenants: readonly CrmInstance[]): MutationRejected | null {
  return record !== null && !onWorkspaceTenant(record, tenants) ? new MutationRejected('forbidden', foreignTenantMessage(record)) : null;
}
