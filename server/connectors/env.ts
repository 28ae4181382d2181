import { hostname } from 'node:os';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import type { ConnectorEnv } from './open';
import { secretBoxFromEnv } from './secret-box';

/** The connectors' part of the environment, parsed once (HEADWAY_SECRET_KEY / _FILE are read by secret-box.ts). */
export const ConnectorVariables = z.object({
  /** Seconds between background syncs of a connection (each connection's settings may say otherwise). */
  HEADWAY_CRM_SYNC_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  HEADWAY_CRM_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  HEADWAY_CRM_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(90),
  HEADWAY_CRM_RECONCILE_HOURS: z.coerce.number().min(0.001).max(24 * 30).default(24),
  HEADWAY_CRM_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
});
export type ConnectorVariables = z.infer<typeof ConnectorVariables>;

/** This process's connector environment: its key, its name in leases, and the tunables above. */
export function connectorEnvFrom(env: NodeJS.ProcessEnv, store: Store, clock: Clock, role: 'serve' | 'cli'): { env: ConnectorEnv; variables: ConnectorVariables } {
  const variables = ConnectorVariables.parse(env);
  return {
    variables,
    env: {
      store,
      clock,
      box: secretBoxFromEnv(env),
      process: `${role}@${hostname()}:${process.pid}`,
      overlapMs: variables.HEADWAY_CRM_OVERLAP_SECONDS * 1000,
      leaseMs: variables.HEADWAY_CRM_LEASE_SECONDS * 1000,
      reconcileEveryMs: variables.HEADWAY_CRM_RECONCILE_HOURS * 3_600_000,
      pageSize: variables.HEADWAY_CRM_PAGE_SIZE,
    },
  };
}
