import { sql } from 'kysely';
import { CrmId, RecordType, type AdapterMissReport, type AdapterMissSummary } from '../../core/schema';
import type { Tx } from './transaction';

/** Counts one miss; the caller wraps it in a transaction so the count and the reporter row land together. */
export async function recordAdapterMiss(tx: Tx, report: AdapterMissReport, userId: string, now: Date): Promise<void> {
  const at = now.toISOString();
  const key = { day: at.slice(0, 10), crm: report.crm, origin: report.origin, record_type: report.recordType };
  await tx
    .insertInto('adapter_misses')
    .values({ ...key, misses: 1, last_at: at })
    .onConflict((conflict) =>
      conflict.columns(['day', 'crm', 'origin', 'record_type']).doUpdateSet({ misses: sql`adapter_misses.misses + 1`, last_at: at }),
    )
    .execute();
  await tx
    .insertInto('adapter_miss_reporters')
    .values({ ...key, user_id: userId })
    .onConflict((conflict) => conflict.columns(['day', 'crm', 'origin', 'record_type', 'user_id']).doNothing())
    .execute();
}

/** Most recent first, then the adapters with most misses: what an admin should look at before anything else. */
export async function listAdapterMisses(db: Tx, sinceDay: string): Promise<AdapterMissSummary[]> {
  const rows = await db
    .selectFrom('adapter_misses as m')
    .select(['m.day', 'm.crm', 'm.origin', 'm.record_type', 'm.misses', 'm.last_at'])
    .select((eb) =>
      eb
        .selectFrom('adapter_miss_reporters as r')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('r.day', '=', 'm.day')
        .whereRef('r.crm', '=', 'm.crm')
        .whereRef('r.origin', '=', 'm.origin')
        .whereRef('r.record_type', '=', 'm.record_type')
        .as('reporters'),
    )
    .where('m.day', '>=', sinceDay)
    .orderBy('m.day', 'desc')
    .orderBy('m.misses', 'desc')
    .orderBy('m.crm')
    .orderBy('m.origin')
    .orderBy('m.record_type')
    .execute();
  return rows.map((row) => ({
    day: row.day,
    crm: CrmId.parse(row.crm),
    origin: row.origin,
    recordType: RecordType.parse(row.record_type),
    misses: Number(row.misses),
    reporters: Number(row.reporters ?? 0),
    lastAt: row.last_at,
  }));
}

export function sinceDay(now: Date, days: number): string {
  return new Date(now.getTime() - (days - 1) * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}
