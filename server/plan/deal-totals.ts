import type { Kysely } from 'kysely';
import type { Database, DealsTable, PipelineTotalsTable, WonTotalsTable } from '../store/tables';
import { foldPipelineChanges, rebuildPipelineTotals, upsertPipelineCells } from './pipeline-totals';
import { foldWonChanges, rebuildWonTotals, upsertWonCells } from './won-totals';

type Db = Kysely<Database>;

export interface DealTotalsCells {
  won: Map<string, WonTotalsTable>;
  pipeline: Map<string, PipelineTotalsTable>;
}

/**
 * What deal writes change in the aggregates plan progress reads (won totals, open pipeline totals), folded per
 * cell: a few hundred cells whatever the number of deals, so a million-row import gathers its change while it is
 * staged and adds it in the transaction that applies it.
 */
export class DealTotalsChange {
  constructor(
    private readonly won = new Map<string, WonTotalsTable>(),
    private readonly pipeline = new Map<string, PipelineTotalsTable>(),
  ) {}

  /** The folded cells as plain data, for a change applied by another thread (structured clone keeps Maps). */
  get cells(): DealTotalsCells {
    return { won: this.won, pipeline: this.pipeline };
  }

  static of(cells: DealTotalsCells): DealTotalsChange {
    return new DealTotalsChange(cells.won, cells.pipeline);
  }

  /** Deal rows replaced by others: `before` as they were (empty for inserts), `after` as they will be. */
  add(before: readonly DealsTable[], after: readonly DealsTable[]): void {
    foldWonChanges(this.won, before, after);
    foldPipelineChanges(this.pipeline, before, after);
  }

  /** Call it in the transaction that writes the deals. */
  async apply(db: Db): Promise<void> {
    await upsertWonCells(db, this.won);
    await upsertPipelineCells(db, this.pipeline);
  }
}

/**
 * Keeps every aggregate plan progress reads (won totals, open pipeline totals) in step with deal rows replaced by
 * others: `before` as they were (empty for inserts), `after` as they are now. Call it in the write's transaction.
 */
export async function applyDealTotals(db: Db, before: readonly DealsTable[], after: readonly DealsTable[]): Promise<void> {
  const change = new DealTotalsChange();
  change.add(before, after);
  await change.apply(db);
}

/** Recomputes both aggregates from the deals table (migration, bulk loads, and tests' reference). */
export async function rebuildDealTotals(db: Db): Promise<void> {
  await rebuildWonTotals(db);
  await rebuildPipelineTotals(db);
}
