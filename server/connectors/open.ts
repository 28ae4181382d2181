import type { Clock } from '../clock';
import type { Store } from '../store/store';
import type { Connection } from './connections';
import { ConnectorError } from './errors';
import { ConnectorHttp, type HttpOptions } from './http';
import { connectorFactory } from './registry';
import type { SecretBox } from './secret-box';
import type { ConnectionCredential, CrmConnector } from './types';

/** What a process needs to talk to CRMs: the store, time, the key to open credentials, and who it is (leases). */
export interface ConnectorEnv {
  store: Store;
  clock: Clock;
  box: SecretBox;
  /** This process's name in leases and the sync-run log. */
  process: string;
  /** Test hooks: sleeping, randomness, retry limits. */
  http?: Partial<Omit<HttpOptions, 'secrets'>>;
  pageSize?: number;
  /** How far before the cursor an incremental sync starts reading again (clock skew, late commits); default 5 min. */
  overlapMs?: number;
  /** How often a connector that cannot see deletions reconciles ids; default a day. */
  reconcileEveryMs?: number;
  /** How long a sync's lease lasts without a page committed (sync/lease.ts). */
  leaseMs?: number;
}

export interface OpenedConnector {
  connector: CrmConnector;
  http: ConnectorHttp;
  secret: string;
}

export function connect(env: Pick<ConnectorEnv, 'http' | 'pageSize'>, credential: ConnectionCredential, crm: Connection['crm'], ruleFields: readonly string[]): OpenedConnector {
  const factory = connectorFactory(crm);
  if (!factory) throw new ConnectorError('rejected', `Headway has no connector for ${crm} yet.`);
  const http = new ConnectorHttp({ ...env.http, secrets: [credential.secret] });
  return { connector: factory.create(credential, http, { ruleFields, pageSize: env.pageSize }), http, secret: credential.secret };
}

/** The connector of a stored connection (its credential opened with this process's key). */
export function openConnector(env: ConnectorEnv, connection: Connection): OpenedConnector {
  const secret = env.box.open(connection.sealedSecret);
  const credential = { origin: connection.instance, api: connection.api, clientId: connection.clientId, username: connection.username, secret };
  return connect(env, credential, connection.crm, connection.settings.purchaseWhen ? [connection.settings.purchaseWhen.field] : []);
}
