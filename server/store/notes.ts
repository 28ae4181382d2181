import { Note, NoteContent } from '../../core/schema';
import { readJson } from './json-column';
import { recordOfRow } from './record-columns';
import type { NotesTable } from './tables';

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
