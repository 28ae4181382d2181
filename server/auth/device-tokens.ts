import type { User } from '../../core/schema';
import type { Clock } from '../clock';
import { precompiled } from '../store/precompiled';
import type { Store } from '../store/store';
import { writeUnlessBusy, type Tx } from '../store/transaction';
import { userFromRow } from '../store/users';
import { hashDeviceToken } from './secrets';

// Writing last_used_at on every request would turn every read into a write; once a minute is plenty for an admin list.
const lastUsedResolutionMs = 60_000;

export interface AuthenticatedDevice {
  tokenId: string;
  user: User;
}

// Precompiled (and prepared on PostgreSQL): every authenticated request runs it. The user's columns are named one
// by one, so a column added by a later migration does not change a prepared statement's result.
const tokenOwner = precompiled((db, param: (name: 'tokenHash') => never) =>
  db
    .selectFrom('device_tokens')
    .innerJoin('users', 'users.id', 'device_tokens.user_id')
    .select(['users.id', 'users.name', 'users.email', 'users.role', 'users.team', 'users.capacity', 'users.segments', 'users.absences', 'users.crm_identities', 'users.created_at', 'users.locale'])
    .select(['device_tokens.id as token_id', 'device_tokens.last_used_at as token_last_used_at'])
    .where('device_tokens.token_hash', '=', param('tokenHash'))
    .where('device_tokens.revoked_at', 'is', null)
    // Disabling revokes the tokens too; this makes a token issued in a race with the disabling refused all the same.
    .where('users.disabled_at', 'is', null),
);

/** The device a token belongs to, read afresh on every call: a revoked token, or a disabled person's, is refused at once. */
export async function authenticateToken(store: Store, token: string, clock: Clock): Promise<AuthenticatedDevice | null> {
  const [row] = (await tokenOwner(store.db, store.kind, { tokenHash: hashDeviceToken(token) })).rows;
  if (!row) return null;
  const now = clock.now();
  const lastUsed = row.token_last_used_at ? Date.parse(row.token_last_used_at) : 0;
  if (now.getTime() - lastUsed > lastUsedResolutionMs) {
    // Never worth failing or holding up the request: while another process holds the write lock (a big import
    // applying), the touch is skipped and the next request after it makes it (issue 13 §7).
    await writeUnlessBusy(store, (db) => db.updateTable('device_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.token_id).execute());
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
