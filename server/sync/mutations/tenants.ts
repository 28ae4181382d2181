import { onWorkspaceTenant } from '../../../core/crm';
import type { CrmInstance, RecordRef } from '../../../core/schema';
import type { Refused } from '../../refusal/refused';
import { foreignTenant } from '../../store/workspace';

/** A record of a tenant the workspace did not declare is refused before anything is written. */
export function refusalOfForeignRecord(record: RecordRef | null, tenants: readonly CrmInstance[]): Refused | null {
  return record !== null && !onWorkspaceTenant(record, tenants) ? foreignTenant(record) : null;
}
