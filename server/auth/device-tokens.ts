import type { User } from '../../core/schema';
import type { Clock } from '../clock';
import type { Tx } from '../store/transaction';
import { userFromRow } from '../store/users';
import { hashDeviceToken } from './secrets';

// Writing last_used_at on every request would turn every read into a write; once a minute is plenty for an admin list.
const lastUsedResolutionMs = 60_000;

export interface AuthenticatedDevice {
  tokenId: string;
  user: User;
}

export async function authenticateToken(db: Tx, token: string, clock: Clock): Promise<AuthenticatedDevice | null> {
  const row = await db
    .selectFrom('device_tokens')
    .innerJoin('users', 'users.id', 'device_tokens.user_id')
    .selectAll('users')
    .select(['device_tokens.id as token_id', 'device_tokens.last_used_at as token_last_used_at'])
    .where('device_tokens.token_hash', '=', hashDeviceToken(token))
    .where('device_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const now = clock.now();
  const lastUsed = row.token_last_used_at ? Date.parse(row.token_last_used_at) : 0;
  if (now.getTime() - lastUsed > lastUsedResolutionMs) {
    await db.updateTable('device_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.token_id).execute();
  }
  const { token_id, token_last_used_at: _ignored, ...userRow } = row;
  return { tokenId: token_id, user: userFromRow(userRow) };
}

export async function revokeToken(db: Tx, tokenId: string, clock: Clock): Promise<boolean> {
  const result = await db
    .updateTable('device_tokens')
    .set({ revoked_at: clock.now().toISOString() })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function revokeTokensOfUser(db: Tx, userId: string, clock: Clock): Promise<number> {
  const result = await db
    .updateTable('device_tokens')
    .set({ revoked_at: clock.now().toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface DeviceTokenSummary {
  id: string;
  deviceName: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function listTokensOfUser(db: Tx, userId: string): Promise<DeviceTokenSummary[]> {
  const rows = await db.selectFrom('device_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    deviceName: row.device_name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }));
}
