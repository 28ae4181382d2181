import type { CrmAdapter } from './types';
import { suitecrm } from './suitecrm';

/** Every adapter, registered once. The meta-test checks each file in core/crm/ is listed here. */
export const adapters: readonly CrmAdapter[] = [suitecrm];
