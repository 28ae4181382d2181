import type { RecordRef } from '../schema/common';
import type { SyncDb } from './db.idb';
import { recordKey } from './optimistic';
import { CachedNote, type EntityRow, type NoteView } from './records';

/**
 * Read-only queries the UI renders from the local cache — they work offline and show unsynced
 * notes at once, because the cache already holds the optimistic state.
 */

function toNoteView(row: EntityRow): NoteView | null {
  const note = CachedNote.safeParse(row.data);
  // A row the current schema cannot read (written by another version) is left out, not shown half.
  if (!note.success) return null;
  return { ...note.data, pending: row.pending.length > 0 };
}

function newestFirst(a: NoteView, b: NoteView): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The notes of one CRM record, newest first, soft-deleted ones hidden. */
export async function notesForRecord(db: SyncDb, record: RecordRef): Promise<NoteView[]> {
  const rows = await db.getAllFromIndex('entities', 'byNoteRecord', recordKey(record));
  return rows
    .map(toNoteView)
    .filter((note): note is NoteView => note !== null && note.deletedAt === null)
    .sort(newestFirst);
}

/**
 * Notes whose agreed next step falls on `today` (an ISO date) or later, soonest first — the
 * manager's agenda. Only live notes carry the index field, so deleted ones never appear.
 */
export async function upcomingNextSteps(db: SyncDb, today: string, limit = 50): Promise<NoteView[]> {
  const rows = await db.getAllFromIndex('entities', 'byNoteNextStep', IDBKeyRange.lowerBound(today), limit);
  return rows.map(toNoteView).filter((note): note is NoteView => note !== null && note.deletedAt === null);
}
