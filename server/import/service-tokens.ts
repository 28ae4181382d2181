import { randomBytes, randomUUID } from 'node:crypto';
import type { ServiceToken } from '../../core/schema';
import { sha256 } from '../auth/secrets';
import type { Tx } from '../store/transaction';

/*
 * A service token is what a CRM's own workflow or webhook holds to feed deals in. It belongs to no user, so the
 * device-token check every other route uses (requireDevice) never accepts it: it opens the deal ingest and import
 * routes and nothing else, by construction rather than by a flag someone could forget to check.
 */

const prefix = 'hws_';

export function hashServiceToken(token: string): string {
  return sha256(`service:${token}`);
}

export function looksLikeServiceToken(token: string): boolean {
  return token.startsWith(prefix);
}

export async function createServiceToken(db: Tx, name: string, now: string): Promise<{ token: string; serviceToken: ServiceToken }> {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await db.insertInto('service_tokens').values({ id, token_hash: hashServiceToken(token), name, created_at: now, last_used_at: null, revoked_at: null }).execute();
  return { token, serviceToken: { id, name, createdAt: now, revokedAt: null } };
}

/** The active service a token belongs to, or null. */
export async function authenticateService(db: Tx, token: string): Promise<ServiceToken | null> {
  const row = await db
    .selectFrom('service_tokens')
    .selectAll()
    .where('token_hash', '=', hashServiceToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, createdAt: row.created_at, revokedAt: null } : null;
}

export async function listServiceTokens(db: Tx): Promise<ServiceToken[]> {
  const rows = await db.selectFrom('service_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, revokedAt: row.revoked_at }));
}

export async function revokeServiceToken(db: Tx, id: string, now: string): Promise<boolean> {
  const result = await db.updateTable('service_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
