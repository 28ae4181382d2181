import type { Locale } from '../../core/i18n';
import { said } from '../../core/i18n';
import type { ImportResult, ReplacedPlan } from '../../core/schema';
import { refusalMessages } from '../refusal/i18n';
import { Refused } from '../refusal/refused';
import { listPlans, newPlanId, planRow } from '../plan/plans';
import { readFullSettings } from '../plan/settings';
import type { Store } from '../store/store';
import { writeTransaction } from '../store/transaction';
import { listUsers } from '../store/users';
import { appendChanges, type ChangeEntry } from '../sync/change-log';
import { readPlansCsv } from './plans-csv';

export interface PlanImportOptions {
  dryRun: boolean;
  /** Overwrite the stored plan of a row's scope and period instead of refusing the row. */
  replace: boolean;
  /** The importer's language, for the reasons of bad rows (default English). */
  locale?: Locale;
}

const insertBatch = 200;

/** Thrown out of the import's transaction (rolling it back) when a plan it replaces was changed by someone else. */
export class PlanChangedMeanwhile extends Refused {
  constructor(readonly planId: string) {
    super('conflict', said(refusalMessages, 'planChangedDuringImport', { id: planId }));
  }
}

/**
 * Imports a plans CSV all-or-nothing in one transaction: the file is checked against the plans stored in that same
 * transaction, and nothing is written unless every row is good. A replaced plan keeps its id and gets the next
 * version, so an editor holding the old version gets a 409 rather than silently overwriting the import.
 */
export async function importPlans(store: Store, text: string, options: PlanImportOptions, now: string): Promise<ImportResult> {
  return writeTransaction(store, async (tx): Promise<ImportResult> => {
    const settings = await readFullSettings(tx);
    const users = await listUsers(tx);
    const { rows, errors } = readPlansCsv(text, settings, users, await listPlans(tx), { replace: options.replace, locale: options.locale });
    const headerBroken = errors.some((e) => e.line === 1);
    const replaced: ReplacedPlan[] = [];
    let unchanged = 0;
    for (const { line, input, replaces } of rows) {
      if (!replaces) continue;
      if (replaces.target === input.target && replaces.currency === input.currency && replaces.countTarget === input.countTarget) unchanged++;
      else replaced.push({ line, previous: replaces, target: input.target, currency: input.currency, countTarget: input.countTarget });
    }
    const created = rows.filter((row) => !row.replaces).length;
    const report: ImportResult = {
      dryRun: options.dryRun,
      ok: errors.length === 0,
      rows: headerBroken ? 0 : rows.length + errors.length,
      created,
      updated: replaced.length,
      unchanged,
      errors,
      unmatchedOwners: [],
      replaced,
    };
    if (!report.ok) return { ...report, created: 0, updated: 0, unchanged: 0, replaced: [] };
    if (options.dryRun) return report;

    const changes: ChangeEntry[] = [];
    const fresh = rows.filter((row) => !row.replaces).map((row) => planRow(row.input, newPlanId(), 1, now));
    for (let start = 0; start < fresh.length; start += insertBatch) await tx.insertInto('plans').values(fresh.slice(start, start + insertBatch)).execute();
    for (const row of fresh) changes.push({ entity: 'plan', entityId: row.id, version: 1, ownerId: row.owner_id });
    for (const change of replaced) {
      const { previous } = change;
      const row = planRow({ ...change, kind: previous.kind, period: previous.period, start: previous.start, ownerId: previous.ownerId }, previous.id, previous.version + 1, now);
      // Only the version the file was checked against: a plan edited meanwhile aborts the whole import.
      const updated = await tx.updateTable('plans').set(row).where('id', '=', previous.id).where('version', '=', previous.version).executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new PlanChangedMeanwhile(previous.id);
      changes.push({ entity: 'plan', entityId: previous.id, version: row.version, ownerId: row.owner_id, previousOwnerId: previous.ownerId });
    }
    await appendChanges(tx, changes, now);
    return report;
  });
}
