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
}

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
      for (const { line, write } of rows) {
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
