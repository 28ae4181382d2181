import { sql } from 'kysely';
import type { Clock } from '../clock';
import type { Tx } from '../store/transaction';

export interface RateLimit {
  max: number;
  windowMs: number;
}

/**
 * Counts one attempt for `key` in a fixed window and answers whether it is still allowed. One atomic
 * upsert, so attempts spread over several server processes are counted together.
 */
export async function takeAttempt(db: Tx, key: string, limit: RateLimit, clock: Clock): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const windowOpenedBefore = new Date(now.getTime() - limit.windowMs).toISOString();
  // Buckets whose window ended are dead weight; dropping those of the same limit (same key prefix, same window)
  // keeps the table as small as the set of recent callers.
  const prefix = key.slice(0, key.indexOf(':') + 1);
  if (prefix) {
    await db.deleteFrom('rate_limit_buckets').where('key', 'like', `${prefix}%`).where('window_start', '<=', windowOpenedBefore).where('key', '!=', key).execute();
  }
  const windowStart = sql.ref('rate_limit_buckets.window_start');
  const expired = sql<boolean>`${windowStart} <= ${windowOpenedBefore}`;
  const row = await db
    .insertInto('rate_limit_buckets')
    .values({ key, window_start: nowIso, count: 1 })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        window_start: sql<string>`case when ${expired} then ${nowIso} else ${windowStart} end`,
        count: sql<number>`case when ${expired} then 1 else ${sql.ref('rate_limit_buckets.count')} + 1 end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  const resetAt = Date.parse(row.window_start) + limit.windowMs;
  return { allowed: row.count <= limit.max, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000)) };
}
