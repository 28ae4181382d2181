import type { CrmId, DealColumnMap, ImportResult } from '../../core/schema';
import type { DealAuthor } from '../deals/deal-authority';
import type { Store } from '../store/store';
import { writeTransaction } from '../store/transaction';
import { listUsers } from '../store/users';
import { listInstances } from '../store/workspace';
import { appendChanges, type ChangeEntry } from '../sync/change-log';
import { readDealsCsv } from './deals-csv';
import { DealRejected, upsertDeal } from './deal-upsert';

/** Thrown out of the transaction to roll it back while carrying the answer out. */
class RolledBack extends Error {
  constructor(readonly result: ImportResult) {
    super('rolled back');
  }
}

export interface DealImportOptions {
  map: DealColumnMap;
  crm?: CrmId;
  /** The tenant of rows without an instance column (implied when the workspace has one tenant of the CRM). */
  instance?: string;
  dryRun: boolean;
  author: DealAuthor;
  /** Told after each chunk of rows is written: rows done so far, and of how many. */
  onProgress?: (done: number, total: number) => void;
  /** Rows written between two yields to the event loop (default IMPORT_CHUNK_ROWS). */
  chunkRows?: number;
}

/**
 * A big import hands the event loop back this often, so timers, other sockets and the progress line keep moving
 * (issue 13 §7). It does not free the database: on SQLite the import's transaction holds the one connection until it
 * commits, so other requests that read the database still wait for it.
 */
export const IMPORT_CHUNK_ROWS = 500;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Imports a deals CSV all-or-nothing: every row is written in one transaction, and if any row is bad the
 * transaction is rolled back and every bad row reported. A dry run does the very same writes and always rolls
 * back, so its created/updated/unchanged counts are exactly what the real import would do.
 */
export async function importDeals(store: Store, text: string, options: DealImportOptions, now: string): Promise<ImportResult> {
  try {
    return await writeTransaction(store, async (tx) => {
      const workspace = { users: await listUsers(tx), tenants: await listInstances(tx) };
      const { rows, errors, records } = readDealsCsv(text, options.map, { ...options, tenants: workspace.tenants });
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const changes: ChangeEntry[] = [];
      const unmatched = new Set<string>();
      const chunk = options.chunkRows ?? IMPORT_CHUNK_ROWS;
      for (const [index, { line, write }] of rows.entries()) {
        if (index > 0 && index % chunk === 0) {
          options.onProgress?.(index, rows.length);
          await nextTurn();
        }
        try {
          const result = await upsertDeal(tx, store.kind, workspace, write, now);
          counts[result.outcome] += 1;
          if (result.change) changes.push(result.change);
          if (result.unmatchedOwner) unmatched.add(result.unmatchedOwner);
        } catch (error) {
          if (!(error instanceof DealRejected)) throw error;
          errors.push({ line, reason: error.message });
        }
      }
      options.onProgress?.(rows.length, rows.length);
      errors.sort((a, b) => a.line - b.line);
      const result: ImportResult = {
        dryRun: options.dryRun,
        ok: errors.length === 0,
        rows: records,
        ...counts,
        errors,
        unmatchedOwners: [...unmatched].sort(),
      };
      if (!result.ok) throw new RolledBack({ ...result, created: 0, updated: 0, unchanged: 0 });
      if (options.dryRun) throw new RolledBack(result);
      await appendChanges(tx, changes, now);
      return result;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result;
    throw error;
  }
}
