import type { ChangeEntry } from '../sync/change-log';

/**
 * A move concerns two managers: the giver is the change's owner and the taker its addressed user, so both
 * extensions pull it (the deal page then says "moving to B — change the owner in the CRM"); head sees every change.
 */
export function moveChange(move: { id: string; version: number; from_id: string; to_id: string }): ChangeEntry {
  return { entity: 'move', entityId: move.id, version: move.version, ownerId: move.from_id, audienceUserId: move.to_id };
}
