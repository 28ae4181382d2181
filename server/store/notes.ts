import { Note, NoteContent } from '../../core/schema';
import { readJson } from './json-column';
import type { NotesTable } from './tables';

export function noteFromRow(row: NotesTable): Note {
  const record = row.crm && row.crm_id && row.record_type ? { crm: row.crm, crmId: row.crm_id, recordType: row.record_type } : null;
  return Note.parse({
    ...NoteContent.parse(readJson(row.content)),
    id: row.id,
    record,
    recordTitle: row.record_title,
    authorId: row.author_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    deletedAt: row.deleted_at,
  });
}
