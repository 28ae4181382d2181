import { randomUUID } from 'node:crypto';
import type { User } from '../../core/schema';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import { writeTransaction, type Tx } from '../store/transaction';
import { userFromRow } from '../store/users';
import { hashDeviceToken, hashPairingCode, newDeviceToken, newPairingCode } from './secrets';

export const pairingCodeLifetimeMs = 10 * 60 * 1000;

/** A code was asked for someone who was disabled (`user disable`): nothing was issued. */
export class UserDisabledError extends Error {
  constructor() {
    super('This person is disabled: no pairing code is issued for them.');
  }
}

/** Issues a one-time code for `userId`; only its hash is kept. */
export async function issuePairingCode(db: Tx, userId: string, clock: Clock): Promise<{ code: string; expiresAt: string }> {
  const person = await db.selectFrom('users').select('disabled_at').where('id', '=', userId).executeTakeFirst();
  if (person?.disabled_at) throw new UserDisabledError();
  const now = clock.now();
  const code = newPairingCode();
  const expiresAt = new Date(now.getTime() + pairingCodeLifetimeMs).toISOString();
  await db
    .insertInto('pairing_codes')
    .values({ code_hash: hashPairingCode(code), user_id: userId, created_at: now.toISOString(), expires_at: expiresAt, used_at: null })
    .execute();
  return { code, expiresAt };
}

export interface PairedDevice {
  token: string;
  tokenId: string;
  user: User;
}

/**
 * Trades a code for a device token. The code is marked used by a conditional UPDATE, so two devices racing
 * with the same code (even on two server processes) cannot both win. null = wrong, used or expired code.
 */
export async function redeemPairingCode(store: Store, code: string, deviceName: string, clock: Clock): Promise<PairedDevice | null> {
  return writeTransaction(store, async (tx) => {
    const now = clock.now().toISOString();
    const codeHash = hashPairingCode(code);
    const claimed = await tx
      .updateTable('pairing_codes')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    const codeRow = await tx.selectFrom('pairing_codes').select('user_id').where('code_hash', '=', codeHash).executeTakeFirstOrThrow();
    const userRow = await tx.selectFrom('users').selectAll().where('id', '=', codeRow.user_id).where('disabled_at', 'is', null).executeTakeFirst();
    if (!userRow) return null;
    const token = newDeviceToken();
    const tokenId = randomUUID();
    await tx
      .insertInto('device_tokens')
      .values({
        id: tokenId,
        token_hash: hashDeviceToken(token),
        user_id: userRow.id,
        device_name: deviceName,
        created_at: now,
        last_used_at: now,
        revoked_at: null,
      })
      .execute();
    return { token, tokenId, user: userFromRow(userRow) };
  });
}

/** Makes every code of this person not yet redeemed unusable (token revoke --email, user disable). */
export async function revokePairingCodesOfUser(db: Tx, userId: string, clock: Clock): Promise<number> {
  const now = clock.now().toISOString();
  const result = await db
    .updateTable('pairing_codes')
    .set({ expires_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
