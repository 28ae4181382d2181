import { NoteContent, type RecordType } from '../../../core/schema';
import { readJson } from '../../store/json-column';
import type { Store } from '../../store/store';
import { writeTransaction, type Tx } from '../../store/transaction';
import { connectionsOf, enqueueWriteBack, servingConnection } from './queue';

// What Headway owes the CRMs, read from the change log: every path that saves a note or decides a move logs it in
// the same transaction (push, including PostgreSQL's one-statement batches, routes, imports), so reading the log in
// sequence order misses none and needs nothing on those paths. The position read to is kept in one row.

const pageSize = 1000;

/** Starts the collector at the log's current end (notes from before the first connection are not written back). */
export async function ensureCollectorCursor(tx: Tx): Promise<void> {
  const counter = await tx.selectFrom('change_counter').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  await tx
    .insertInto('crm_writeback_cursor')
    .values({ id: 1, seq: Number(counter.seq) })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
}

async function lockedCursor(tx: Tx, kind: Store['kind']): Promise<number | null> {
  let query = tx.selectFrom('crm_writeback_cursor').select('seq').where('id', '=', 1);
  // Two processes collecting at once take turns; the unique (kind, subject) key would absorb a repeat anyway.
  if (kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? Number(row.seq) : null;
}

/** Queues write-backs for notes and moves logged since the last call; answers the connections that got work. */
export async function collectWriteBacks(store: Store, now: string): Promise<Set<string>> {
  return writeTransaction(store, async (tx) => {
    const touched = new Set<string>();
    const connections = await connectionsOf(tx);
    if (connections.length === 0) return touched;
    const cursor = await lockedCursor(tx, store.kind);
    if (cursor === null) {
      await ensureCollectorCursor(tx);
      return touched;
    }
    const entries = await tx
      .selectFrom('change_log')
      .select(['seq', 'entity', 'entity_id', 'version'])
      .where('seq', '>', cursor)
      .where('entity', 'in', ['note', 'move'])
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (entries.length === 0) return touched;
    const noteIds = [...new Set(entries.filter((e) => e.entity === 'note').map((e) => e.entity_id))];
    const moveIds = [...new Set(entries.filter((e) => e.entity === 'move').map((e) => e.entity_id))];
    for (let start = 0; start < noteIds.length; start += 500) {
      const notes = await tx.selectFrom('notes').selectAll().where('id', 'in', noteIds.slice(start, start + 500)).execute();
      for (const note of notes) {
        if (note.deleted_at !== null || note.instance === null || note.crm === null || note.crm_id === null || note.record_type === null) continue;
        const connection = servingConnection(connections, { crm: note.crm, instance: note.instance });
        if (!connection) continue;
        const base = { connectionId: connection.id, subjectId: note.id, recordType: note.record_type as RecordType, recordCrmId: note.crm_id, subjectVersion: note.version };
        if (await enqueueWriteBack(tx, { ...base, kind: 'note' }, now)) touched.add(connection.id);
        if (connection.settings.nextStepTasks && NoteContent.parse(readJson(note.content)).nextStep) {
          if (await enqueueWriteBack(tx, { ...base, kind: 'task', subjectVersion: 1 }, now)) touched.add(connection.id);
        }
      }
    }
    for (let start = 0; start < moveIds.length; start += 500) {
      const moves = await tx
        .selectFrom('moves')
        .innerJoin('deals', 'deals.id', 'moves.deal_id')
        .select(['moves.id', 'moves.version', 'deals.crm', 'deals.instance', 'deals.crm_id'])
        .where('moves.id', 'in', moveIds.slice(start, start + 500))
        .where('moves.status', '=', 'approved')
        .execute();
      for (const move of moves) {
        const connection = move.instance === null ? null : servingConnection(connections, { crm: move.crm, instance: move.instance });
        if (!connection?.settings.applyMoves) continue;
        const input = { connectionId: connection.id, kind: 'owner' as const, subjectId: move.id, recordType: 'deal' as const, recordCrmId: move.crm_id, subjectVersion: 1 };
        if (await enqueueWriteBack(tx, input, now)) touched.add(connection.id);
      }
    }
    await tx.updateTable('crm_writeback_cursor').set({ seq: Number(entries.at(-1)!.seq) }).where('id', '=', 1).execute();
    return touched;
  });
}
