import type { Tx } from '../../store/transaction';

// One process at a time syncs a connection: a lease in the database (owner + expiry), taken by a conditional update,
// renewed by every page's commit, which also fences: a page whose process lost the lease (it stalled past the
// expiry and another took over) rolls back instead of writing beside the new holder.

/** This process no longer holds the connection's lease; its sync stops without writing. */
export class LeaseLost extends Error {}

/** Renewed by every page; a process killed mid-sync holds the connection this long at most. */
export const leaseMs = 90_000;

export function leaseUntil(now: Date, ms = leaseMs): string {
  return new Date(now.getTime() + ms).toISOString();
}

/** Takes the lease when it is free, expired, or already ours; answers whether we hold it now. */
export async function acquireLease(db: Tx, connectionId: string, owner: string, now: Date, ms = leaseMs): Promise<boolean> {
  const result = await db
    .updateTable('crm_connections')
    .set({ lease_owner: owner, lease_until: leaseUntil(now, ms) })
    .where('id', '=', connectionId)
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_until', '<', now.toISOString()), eb('lease_owner', '=', owner)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Inside a write transaction: extends the lease, or throws LeaseLost (and the transaction rolls back). */
export async function fenceLease(tx: Tx, connectionId: string, owner: string, now: Date, ms = leaseMs): Promise<void> {
  const result = await tx
    .updateTable('crm_connections')
    .set({ lease_until: leaseUntil(now, ms) })
    .where('id', '=', connectionId)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new LeaseLost(`Another process took over the sync of connection ${connectionId}.`);
}

export async function releaseLease(db: Tx, connectionId: string, owner: string): Promise<void> {
  await db.updateTable('crm_connections').set({ lease_owner: null, lease_until: null }).where('id', '=', connectionId).where('lease_owner', '=', owner).execute();
}
