import { Note, NoteContent } from '../../core/schema';
import { readJson } from './json-column';
import { recordOfRow } from './record-columns';
import type { NotesTable } from './tables';

/** Every column of the notes table, for a query that names them. */
export const noteColumns = Object.keys({
  id: true, author_id: true, crm: true, instance: true, crm_id: true, record_type: true, record_title: true, content: true, created_at: true,
  updated_at: true, version: true, deleted_at: true,
} satisfies Record<keyof NotesTable, true>) as (keyof NotesTable)[];

export function noteFromRow(row: NotesTable): Note {
  return Note.parse({
    ...NoteContent.parse(readJson(row.content)),
    id: row.id,
    record: recordOfRow(row),
    recordTitle: row.record_title,
    authorId: row.author_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    deletedAt: row.deleted_at,
  });
}
