import type { User } from '../../core/schema';
import type { Clock } from '../clock';
import { currentVersion } from '../store/data-version';
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
// by one, so a column added by a later migration does not change a prepared statement's result. The access epoch
// comes from the same snapshot: the owner found is the owner as of that epoch.
const tokenOwner = precompiled((db, param: (name: 'tokenHash') => never) =>
  db
    .selectFrom('device_tokens')
    .innerJoin('users', 'users.id', 'device_tokens.user_id')
    .innerJoin('access_epoch', (join) => join.onTrue())
    .select(['users.id', 'users.name', 'users.email', 'users.role', 'users.team', 'users.capacity', 'users.segments', 'users.absences', 'users.crm_identities', 'users.created_at', 'users.locale'])
    .select(['device_tokens.id as token_id', 'device_tokens.last_used_at as token_last_used_at', 'access_epoch.epoch as access_epoch'])
    .where('device_tokens.token_hash', '=', param('tokenHash'))
    .where('device_tokens.revoked_at', 'is', null)
    // Disabling revokes the tokens too; this makes a token issued in a race with the disabling refused all the same.
    .where('users.disabled_at', 'is', null)
    .where('access_epoch.id', '=', 1),
);

/** A token this process has checked, and the access epoch its owner was read at. */
interface KnownToken {
  device: AuthenticatedDevice;
  epoch: number;
  lastUsedMs: number;
}

// Tokens in use are a few per person; the bound only keeps a flood of distinct valid tokens from growing memory.
const knownTokenLimit = 20_000;
const knownTokens = new WeakMap<Store, Map<string, KnownToken>>();

/**
 * The device a token belongs to. Remembered per process while the access epoch stays (any write to tokens or people
 * moves it, by trigger: a revoked token, or a disabled person's, is refused by the next request of this process and
 * within versionLeaseMs by every other), so most requests cost no round trip for the token.
 */
export async function authenticateToken(store: Store, token: string, clock: Clock): Promise<AuthenticatedDevice | null> {
  const { epoch } = await currentVersion(store);
  const tokenHash = hashDeviceToken(token);
  let known = knownTokens.get(store);
  if (!known) knownTokens.set(store, (known = new Map()));
  let entry = known.get(tokenHash);
  if (!entry || entry.epoch !== epoch) {
    known.delete(tokenHash);
    const [row] = (await tokenOwner(store.db, store.kind, { tokenHash })).rows;
    if (!row) return null;
    const { token_id, token_last_used_at, access_epoch, ...userRow } = row;
    entry = { device: { tokenId: token_id, user: userFromRow(userRow) }, epoch: Number(access_epoch), lastUsedMs: token_last_used_at ? Date.parse(token_last_used_at) : 0 };
    if (known.size >= knownTokenLimit) known.delete(known.keys().next().value!);
    known.set(tokenHash, entry);
  }
  const now = clock.now();
  if (now.getTime() - entry.lastUsedMs > lastUsedResolutionMs) {
    const { lastUsedMs } = entry;
    entry.lastUsedMs = now.getTime();
    const { tokenId } = entry.device;
    // Never worth failing or holding up the request: while another process holds the write lock (a big import
    // applying), the touch is skipped and the next request after it makes it (issue 13 §7).
    const touched = await writeUnlessBusy(store, (db) => db.updateTable('device_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', tokenId).execute());
    if (!touched) entry.lastUsedMs = lastUsedMs;
  }
  return entry.device;
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
