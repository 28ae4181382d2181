import type { Kysely } from 'kysely';
import type { Database, DealsTable } from '../store/tables';
import { applyPipelineChanges, rebuildPipelineTotals } from './pipeline-totals';
import { applyWonChanges, rebuildWonTotals } from './won-totals';

type Db = Kysely<Database>;

/**
 * Keeps every aggregate plan progress reads (won totals, open pipeline totals) in step with deal rows replaced by
 * others: `before` as they were (empty for inserts), `after` as they are now. Call it in the write's transaction.
 */
export async function applyDealTotals(db: Db, before: readonly DealsTable[], after: readonly DealsTable[]): Promise<void> {
  await applyWonChanges(db, before, after);
  await applyPipelineChanges(db, before, after);
}

/** Recomputes both aggregates from the deals table (migration, bulk loads, and tests' reference). */
export async function rebuildDealTotals(db: Db): Promise<void> {
  await rebuildWonTotals(db);
  await rebuildPipelineTotals(db);
}
