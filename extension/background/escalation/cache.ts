import type { SyncRunner } from '../sync/runner';
import type { CachedEscalation } from '../../escalation/build';

/**
 * The escalations the last pull left in this browser's cache. The sidebar line, the escalate window, the join check
 * and the inbox watcher all read them here, so they agree on what a usable row is (one with a createdAt).
 */
export async function cachedEscalations(runner: SyncRunner): Promise<CachedEscalation[]> {
  const database = await runner.db();
  const rows = await database.getAllFromIndex('entities', 'byEntity', 'escalation');
  return rows.map((row) => row.data as CachedEscalation).filter((data) => data && typeof data === 'object' && typeof data.createdAt === 'string');
}
