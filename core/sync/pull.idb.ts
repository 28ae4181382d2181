import type { PullResponse } from '../schema/sync';
import type { SyncDb } from './db.idb';
import { readMeta } from './meta.idb';
import { rebuildRow } from './optimistic';

/**
 * Store one page of pulled changes and the new cursor in one transaction, so a worker killed
 * mid-pull resumes from a cursor that matches the cache. Each changed entity gets the server's
 * state as its new base, with the mutations still in the outbox replayed on top.
 *
 * Returns false (storing nothing) when the stored cursor is no longer `fromCursor` — another
 * context pulled meanwhile, and this page would move the cursor backwards or apply twice.
 */
export async function applyPulledChanges(db: SyncDb, fromCursor: number, page: PullResponse): Promise<boolean> {
  const tx = db.transaction(['entities', 'meta', 'outbox'], 'readwrite');
  const meta = tx.objectStore('meta');
  const entities = tx.objectStore('entities');
  const outbox = tx.objectStore('outbox');
  const stored = (await readMeta(meta, 'pullCursor')) ?? 0;
  if (stored !== fromCursor) {
    await tx.done;
    return false;
  }
  // Each change carries the entity's whole state, so only the latest change per entity matters.
  const latest = new Map<string, PullResponse['changes'][number]>();
  for (const change of page.changes) {
    if (change.seq > fromCursor) latest.set(JSON.stringify([change.entity, change.entityId]), change);
  }
  await Promise.all(
    [...latest.values()].map(async (change) => {
      const key: [string, string] = [change.entity, change.entityId];
      const row = await entities.get(key);
      const stillPending = await Promise.all((row?.pending ?? []).map((id) => outbox.get(id)));
      const rebuilt = rebuildRow(
        { entity: change.entity, entityId: change.entityId },
        change.data ?? null,
        change.version,
        stillPending.filter((entry) => entry !== undefined),
      );
      if (rebuilt) await entities.put(rebuilt);
      else await entities.delete(key);
    }),
  );
  await meta.put({ key: 'pullCursor', value: Math.max(stored, page.cursor) });
  await tx.done;
  return true;
}
