import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CrmId } from '../../core/schema';
import { writeTransaction } from '../store/transaction';
import { findConnection, saveConnection, type Connection } from './connections';
import { ConnectorError } from './errors';
import { connect, type ConnectorEnv } from './open';
import { connectorFactory } from './registry';
import { declareTenant } from '../store/tenants';
import { canonicalInstance } from '../../core/crm';
import { ensureCollectorCursor } from './writeback/collect';
import type { CrmConnector, CrmPipeline } from './types';

// `crm connect`: check the credential against the CRM at once, then register the tenant and keep the credential
// sealed. Every refusal says what is wrong in words an admin can act on; nothing is stored unless the CRM said yes.

export interface ConnectRequest {
  origin: string;
  crm: string;
  api?: string;
  clientId?: string;
  username?: string;
  secret: string;
}

/** A request that cannot even be tried (unknown CRM, missing --client-id…): the CLI answers it as bad usage. */
export class ConnectRefused extends Error {}

export interface Connected {
  connection: Connection;
  /** Who the CRM says Headway acts as. */
  account: string;
  /** The secret the CRM's hook sends to ask for a sync; shown once, when the connection is made. */
  hookSecret: string | null;
}

export function hashHookSecret(secret: string): string {
  return createHash('sha256').update(`crm-hook:${secret}`).digest('hex');
}

export function hookSecretMatches(secret: string, hash: string): boolean {
  const given = Buffer.from(hashHookSecret(secret), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

function parsed(request: ConnectRequest) {
  const crm = CrmId.safeParse(request.crm);
  if (!crm.success) throw new ConnectRefused(`Unknown CRM "${request.crm}".`);
  // The tenant as `crm add` writes it, whatever address of it the admin typed.
  const canonical = canonicalInstance(crm.data, request.origin);
  if ('problem' in canonical) throw new ConnectRefused(`"${request.origin}" names no ${crm.data} tenant: ${canonical.problem}.`);
  const origin = { data: canonical.instance };
  const factory = connectorFactory(crm.data);
  if (!factory) throw new ConnectRefused(`Headway has no connector for ${crm.data} yet; its pages, CSV import and the ingest API still work.`);
  const api = request.api ?? factory.apis[0];
  if (!factory.apis.includes(api)) throw new ConnectRefused(`${crm.data} has the APIs ${factory.apis.join(' and ')}, not "${api}".`);
  const needs = factory.needs(api);
  // The other ways in, named beside what this one lacks: a Bitrix24 webhook key given with --api oauth is a likely slip.
  const others = factory.apis.filter((other) => other !== api);
  const orElse = others.length > 0 ? `, or connect it with ${others.map((other) => `--api ${other}`).join(' or ')}` : '';
  if (needs.clientId && !request.clientId) throw new ConnectRefused(`The ${api} API of ${crm.data} needs --client-id (README, "Connect ${crm.data}")${orElse}.`);
  if (needs.username && !request.username) throw new ConnectRefused(`The ${api} API of ${crm.data} needs --username (README, "Connect ${crm.data}")${orElse}.`);
  if (request.secret === '') throw new ConnectRefused('HEADWAY_CRM_SECRET is empty.');
  return { origin: origin.data, crm: crm.data, api, clientId: request.clientId ?? null, username: request.username ?? null };
}

/** Who the CRM says we are, and its pipelines: proof that the credential reads deals and stages. */
async function checkConnection(connector: CrmConnector, crm: string): Promise<{ account: string; pipelines: CrmPipeline[] }> {
  const { account } = await connector.checkCredential();
  const pipelines = await connector.listPipelines();
  if (pipelines.length === 0) throw new ConnectorError('missing_rights', `${crm} showed Headway no pipeline; the user may not read deal stages.`);
  return { account, pipelines };
}

/** Checks the credential, then stores the connection and registers its origin as a tenant. Throws ConnectorError. */
export async function connectCrm(env: ConnectorEnv, request: ConnectRequest): Promise<Connected> {
  const input = parsed(request);
  // A CRM that rotates its refresh token does so while the credential is checked: the newest one is what is kept.
  let secret = request.secret;
  const rotation = { save: async (next: string) => void (secret = next), load: async () => null };
  const { connector } = connect(env, { ...input, secret: request.secret }, input.crm, [], rotation);
  let checked: Awaited<ReturnType<typeof checkConnection>>;
  try {
    checked = await checkConnection(connector, input.crm);
  } catch (error) {
    // A single-use refresh token renewed before the failure is spent, and nothing is stored to keep its successor.
    if (error instanceof ConnectorError && secret !== request.secret) throw new ConnectorError(error.kind, `${error.message} The refresh token given was used up by this attempt: authorize the app again for a new one before connecting again.`, error.retryAfterSeconds);
    throw error;
  }
  const { account, pipelines } = checked;
  const hookSecret = randomBytes(24).toString('base64url');
  const now = env.clock.now().toISOString();
  const { connection, created } = await writeTransaction(env.store, async (tx) => {
    await declareTenant(tx, { instance: input.origin, crm: input.crm }, now);
    await ensureCollectorCursor(tx);
    return saveConnection(tx, { instance: input.origin, crm: input.crm, api: input.api, clientId: input.clientId, username: input.username, sealedSecret: env.box.seal(secret), hookSecretHash: hashHookSecret(hookSecret), pipelines }, now);
  });
  return { connection, account, hookSecret: created ? hookSecret : null };
}

export { findConnection };
