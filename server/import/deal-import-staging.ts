import { randomUUID } from 'node:crypto';
import { said, type Locale } from '../../core/i18n';
import { refusalMessages } from '../refusal/i18n';
import { Refused } from '../refusal/refused';
import { sql } from 'kysely';
import type { ImportRowError } from '../../core/schema';
import { settleMovesForDeal } from '../balance/settle-moves';
import type { DealTotalsChange } from '../plan/deal-totals';
import type { Store } from '../store/store';
import type { DealImportRowsTable, DealsTable } from '../store/tables';
import { writeTransaction, type Tx } from '../store/transaction';
import { takeSequenceNumbers } from '../sync/change-log';
import type { DealCsvRow } from './deals-csv';
import { importMessages } from './i18n';
import { DealRejected, planDealWrite, type DealWorkspace, type DealWritePlan } from './deal-upsert';

/*
 * Issue 13 §7: a deals import is read, checked and planned a chunk per short transaction into deal_import_rows
 * (migration 015), each row as upsertDeal would write it; only once every row is known good is it applied, in one
 * transaction of a few set-based statements. So the write lock is never held while the file is read, a bad row
 * anywhere leaves nothing written, and no reader ever sees half an import.
 */

/** An import whose process stopped touching it this long ago (a crash, a killed CLI) is swept by the next one. */
const abandonedAfterMs = 10 * 60_000;
/** Staged rows per insert: 41 columns each stays under SQLite's 32,766 bound parameters. */
const insertBatch = 400;
/** Staged rows deleted per short transaction when an import is cleared. */
const clearBatch = 5_000;

/** The deals columns, in the order both tables have them; everything the apply copies. */
const dealTableColumns = [
  'id', 'crm', 'instance', 'crm_id', 'record_type', 'title', 'kind', 'amount', 'currency', 'stage', 'probability', 'owner_id', 'owner_label',
  'segment', 'expected_close', 'status', 'closed_at', 'source', 'url', 'account_crm_id', 'updated_at', 'version',
] as const satisfies readonly (keyof DealsTable)[];

/** A plan that no longer holds at apply time: a deal it would change was changed meanwhile by another write. */
export class StaleImport extends Refused {
  constructor() {
    super('conflict', said(refusalMessages, 'staleImport'));
  }
}

export type ImportOutcome = DealWritePlan['outcome'];

/** What staging a chunk found: the plans it staged, and the rows it refused. */
export interface StagedChunk {
  staged: DealWritePlan[];
  errors: ImportRowError[];
}

/** The wall clock, not the import's `now`: whether a process is still at it is a matter of real time. */
const touchTime = () => new Date().toISOString();

/** Registers a new import, after sweeping the staged rows of imports whose process is gone. */
export async function openImport(store: Store): Promise<string> {
  const cutoff = new Date(Date.now() - abandonedAfterMs).toISOString();
  const abandoned = await store.db.selectFrom('deal_imports').select('id').where('touched_at', '<', cutoff).execute();
  for (const { id } of abandoned) await clearImport(store, id);
  const id = randomUUID();
  await store.db.insertInto('deal_imports').values({ id, touched_at: touchTime() }).execute();
  return id;
}

/** Deletes an import's staged rows in short transactions, then the import itself. */
export async function clearImport(store: Store, importId: string): Promise<void> {
  for (;;) {
    const last = await store.db
      .selectFrom('deal_import_rows')
      .select('line')
      .where('import_id', '=', importId)
      .orderBy('line')
      .offset(clearBatch - 1)
      .limit(1)
      .executeTakeFirst();
    let query = store.db.deleteFrom('deal_import_rows').where('import_id', '=', importId);
    if (last) query = query.where('line', '<=', last.line);
    await query.execute();
    if (!last) break;
  }
  await store.db.deleteFrom('deal_imports').where('id', '=', importId).execute();
}

function stagedRow(importId: string, line: number, plan: DealWritePlan): DealImportRowsTable {
  const { history } = plan;
  return {
    ...plan.row,
    instance: plan.row.instance!,
    import_id: importId,
    line,
    outcome: plan.outcome,
    previous_version: plan.previous?.version ?? null,
    owner_changed: plan.previous !== null && plan.previous.owner_id !== plan.row.owner_id ? 1 : 0,
    change_previous_owner_id: plan.change?.previousOwnerId ?? null,
    history_id: history?.id ?? null,
    history_at: history?.at ?? null,
    history_source: history?.source ?? null,
    history_actor_id: history?.actor_id ?? null,
    history_actor_label: history?.actor_label ?? null,
    history_changes: history?.changes ?? null,
  };
}

/**
 * Plans a chunk of rows against the deals as they stand and stages the plans, in the caller's (short) transaction.
 * A row the rules refuse, or one naming a record an earlier row of the file named, is an error, not staged.
 */
export async function stageChunk(tx: Tx, store: Store, importId: string, workspace: DealWorkspace, rows: readonly DealCsvRow[], now: string, locale: Locale = 'en'): Promise<StagedChunk> {
  const found: StagedChunk = { staged: [], errors: [] };
  const planned: { row: DealImportRowsTable; plan: DealWritePlan }[] = [];
  for (const { line, write } of rows) {
    try {
      const plan = await planDealWrite(tx, store.kind, workspace, write, now);
      planned.push({ row: stagedRow(importId, line, plan), plan });
    } catch (error) {
      if (!(error instanceof DealRejected)) throw error;
      found.errors.push({ line, reason: error.text.render(locale) });
    }
  }
  for (let start = 0; start < planned.length; start += insertBatch) {
    const batch = planned.slice(start, start + insertBatch);
    const inserted = await tx
      .insertInto('deal_import_rows')
      .values(batch.map(({ row }) => row))
      .onConflict((conflict) => conflict.columns(['import_id', 'crm', 'instance', 'record_type', 'crm_id']).doNothing())
      .returning('line')
      .execute();
    const staged = new Set(inserted.map(({ line }) => line));
    for (const { row, plan } of batch) {
      if (staged.has(row.line)) {
        found.staged.push(plan);
        continue;
      }
      const earlier = await tx
        .selectFrom('deal_import_rows')
        .select('line')
        .where('import_id', '=', importId)
        .where('crm', '=', row.crm)
        .where('instance', '=', row.instance)
        .where('record_type', '=', row.record_type)
        .where('crm_id', '=', row.crm_id)
        .executeTakeFirstOrThrow();
      found.errors.push({ line: row.line, reason: said(importMessages, 'sameRecord', { crm: row.crm, crmId: row.crm_id, line: earlier.line }).render(locale) });
    }
  }
  await tx.updateTable('deal_imports').set({ touched_at: touchTime() }).where('id', '=', importId).execute();
  return found;
}

const stagedRows = (tx: Tx, importId: string, outcome: ImportOutcome) =>
  tx.selectFrom('deal_import_rows as s').where('s.import_id', '=', importId).where('s.outcome', '=', outcome);

/**
 * Applies a fully staged import in one transaction: a handful of set-based statements whatever the file's size,
 * each doing for all rows what upsertDeal does for one (the deal row, its history entry, approved moves the new
 * owner completes, the plan totals, the change log). Every plan is checked to still hold (the deal's version is
 * the one it was made against); one that does not rolls the whole import back (StaleImport).
 */
export async function applyImport(store: Store, importId: string, counts: Record<ImportOutcome, number>, totals: DealTotalsChange, now: string): Promise<void> {
  await writeTransaction(store, async (tx) => {
    // Every row the import counted is staged still (an import paused past abandonedAfterMs may have been swept).
    const held = await tx.selectFrom('deal_import_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('import_id', '=', importId).executeTakeFirstOrThrow();
    if (Number(held.n) !== counts.created + counts.updated + counts.unchanged) throw new Error('The import was interrupted too long and its staged rows were cleared; nothing was imported, run it again.');
    const moved = await stagedRows(tx, importId, 'unchanged')
      .innerJoin('deals', 'deals.id', 's.id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .whereRef('deals.version', '<>', 's.previous_version')
      .executeTakeFirstOrThrow();
    if (Number(moved.n) > 0) throw new StaleImport();

    const assignments = sql.join(dealTableColumns.filter((column) => column !== 'id').map((column) => sql`${sql.ref(column)} = ${sql.ref(`s.${column}`)}`));
    const updated = await sql`update deals set ${assignments} from deal_import_rows s
      where s.import_id = ${importId} and s.outcome = 'updated' and s.id = deals.id and deals.version = s.previous_version`.execute(tx);
    if (Number(updated.numAffectedRows ?? 0) !== counts.updated) throw new StaleImport();

    const columns = sql.join(dealTableColumns.map((column) => sql.ref(column)));
    const inserted = await sql`insert into deals (${columns}) select ${columns} from deal_import_rows
      where import_id = ${importId} and outcome = 'created'
      on conflict (crm, instance, crm_id, record_type) do nothing`.execute(tx);
    if (Number(inserted.numAffectedRows ?? 0) !== counts.created) throw new StaleImport();

    await sql`insert into deal_history (id, deal_id, version, at, source, actor_id, actor_label, changes)
      select history_id, id, version, history_at, history_source, history_actor_id, history_actor_label, history_changes from deal_import_rows
      where import_id = ${importId} and outcome <> 'unchanged'`.execute(tx);

    // An approved move is done once the deal shows its target as owner (writeDeal does the same for one deal).
    let after = 0;
    for (;;) {
      const owners = await stagedRows(tx, importId, 'updated').select(['s.line', 's.id', 's.owner_id']).where('s.owner_changed', '=', 1).where('s.line', '>', after).orderBy('s.line').limit(clearBatch).execute();
      for (const deal of owners) await settleMovesForDeal(tx, deal.id, deal.owner_id, now);
      if (owners.length < clearBatch) break;
      after = owners.at(-1)!.line;
    }

    await totals.apply(tx);

    // Last, as appendChanges asks: the change counter stays locked only until the commit just after.
    const changed = counts.created + counts.updated;
    if (changed > 0) {
      const first = await takeSequenceNumbers(tx, changed, store.kind);
      await sql`insert into change_log (seq, entity, entity_id, version, owner_id, previous_owner_id, audience_role, audience_user_id, created_at)
        select ${first - 1} + row_number() over (order by line), 'deal', id, version, owner_id, change_previous_owner_id, null, null, ${now}
        from deal_import_rows where import_id = ${importId} and outcome <> 'unchanged'`.execute(tx);
    }
  });
}
