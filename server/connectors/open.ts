import type { Clock } from '../clock';
import type { CrmId } from '../../core/schema';
import type { Store } from '../store/store';
import { connectionById, replaceSecret, type Connection } from './connections';
import { ConnectorError } from './errors';
import { ConnectorHttp, type HttpOptions } from './http';
import { connectorFactory } from './registry';
import type { SecretBox } from './secret-box';
import type { ConnectionCredential, CrmConnector, SecretRotation } from './types';

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
  /** Test hook: where a vendor's OAuth server answers (its contract fake), by CRM. */
  authServers?: Partial<Record<CrmId, string>>;
}

export interface OpenedConnector {
  connector: CrmConnector;
  http: ConnectorHttp;
  secret: string;
}

export function connect(
  env: Pick<ConnectorEnv, 'http' | 'pageSize' | 'authServers'>,
  credential: ConnectionCredential,
  crm: Connection['crm'],
  ruleFields: readonly string[],
  rotation?: SecretRotation,
): OpenedConnector {
  const factory = connectorFactory(crm);
  if (!factory) throw new ConnectorError('rejected', `Headway has no connector for ${crm} yet.`);
  const http = new ConnectorHttp({ ...env.http, secrets: [credential.secret] });
  return { connector: factory.create(credential, http, { ruleFields, pageSize: env.pageSize, rotation, authServer: env.authServers?.[crm] }), http, secret: credential.secret };
}

const storeAttempts = 3;

/**
 * A stored connection's rotation: each new secret replaces the sealed one this connector last knew (replaceSecret),
 * tried again when the database stumbles, because the CRM has already spent the token it replaces. When another
 * process rotated first, `load` hands over its newer secret: the newest stored token is the one to keep.
 */
function storedRotation(env: ConnectorEnv, connection: Connection): SecretRotation {
  let known = connection.sealedSecret;
  return {
    async save(secret) {
      const sealed = env.box.seal(secret);
      for (let attempt = 1; ; attempt++) {
        try {
          if (await replaceSecret(env.store.db, connection.id, known, sealed, env.clock.now().toISOString())) known = sealed;
          return;
        } catch (error) {
          if (attempt >= storeAttempts) throw error;
          await new Promise((done) => setTimeout(done, 50 * attempt));
        }
      }
    },
    async load() {
      const stored = await connectionById(env.store.db, connection.id);
      if (!stored || stored.sealedSecret === known) return null;
      known = stored.sealedSecret;
      return env.box.open(known);
    },
  };
}

/** The connector of a stored connection (its credential opened with this process's key). */
export function openConnector(env: ConnectorEnv, connection: Connection): OpenedConnector {
  const secret = env.box.open(connection.sealedSecret);
  const credential = { origin: connection.instance, api: connection.api, clientId: connection.clientId, username: connection.username, secret };
  return connect(env, credential, connection.crm, connection.settings.purchaseWhen ? [connection.settings.purchaseWhen.field] : [], storedRotation(env, connection));
}
