import type { Clock } from '../clock';
import type { Tx } from '../store/transaction';
import { revokeTokensOfUser } from './device-tokens';
import { revokePairingCodesOfUser } from './pairing';

export interface Revocation {
  tokens: number;
  pairingCodes: number;
}

/** Every way in a person holds, closed at once: their device tokens and the codes they have not redeemed yet. */
export async function revokeAccess(db: Tx, userId: string, clock: Clock): Promise<Revocation> {
  return { tokens: await revokeTokensOfUser(db, userId, clock), pairingCodes: await revokePairingCodesOfUser(db, userId, clock) };
}

/**
 * A person who left: nothing of theirs is deleted (notes, deals, escalations keep naming them), every token and code
 * is revoked, and no new code is issued (issuePairingCode refuses). Disabling again changes nothing.
 */
export async function disableUser(tx: Tx, userId: string, clock: Clock): Promise<Revocation & { disabledAt: string }> {
  const now = clock.now().toISOString();
  await tx.updateTable('users').set({ disabled_at: now }).where('id', '=', userId).where('disabled_at', 'is', null).execute();
  const row = await tx.selectFrom('users').select('disabled_at').where('id', '=', userId).executeTakeFirstOrThrow();
  return { ...(await revokeAccess(tx, userId, clock)), disabledAt: row.disabled_at ?? now };
}
