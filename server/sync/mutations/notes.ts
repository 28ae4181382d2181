import type { MutationArgsOf, NoteContent } from '../../../core/schema';
import { compiledInsertReturning } from '../../store/compiled-insert';
import { writeJson } from '../../store/json-column';
import { recordColumns } from '../../store/record-columns';
import type { NotesTable } from '../../store/tables';
import type { ChangeEntry } from '../change-log';
import { MutationRejected, type MutationContext, type MutationHandler } from './context';
import { refusalOfForeignRecord } from './tenants';

function contentOf(args: NoteContent): NoteContent {
  const { side, contact, text, asked, offered, price, discountPct, objections, nextStep, nextStepDate } = args;
  return { side, contact, text, asked, offered, price, discountPct, objections, nextStep, nextStepDate };
}

const insertNotes = compiledInsertReturning(
  'notes',
  ['id', 'author_id', 'crm', 'instance', 'crm_id', 'record_type', 'record_title', 'content', 'created_at', 'updated_at', 'version', 'deleted_at'],
  'id',
);

// Rows per statement: 12 parameters each stays far below SQLite's and PostgreSQL's bound-parameter limits.
const notesPerStatement = 100;

export function noteChange(id: string, version: number, authorId: string): ChangeEntry {
  return { entity: 'note', entityId: id, version, ownerId: authorId };
}

/** The stored row of a new note (version 1), as every create path writes it. */
export function noteRow(args: MutationArgsOf<'note.create'>, authorId: string, now: string): NotesTable {
  return {
    id: args.id,
    author_id: authorId,
    ...recordColumns(args.record),
    record_title: args.recordTitle,
    content: writeJson(contentOf(args)),
    created_at: args.createdAt,
    updated_at: now,
    version: 1,
    deleted_at: null,
  };
}

async function ownNote(context: MutationContext, id: string) {
  const note = await context.tx.selectFrom('notes').select(['id', 'author_id', 'version', 'deleted_at']).where('id', '=', id).executeTakeFirst();
  if (!note) throw new MutationRejected('not-found', `There is no note ${id}.`);
  if (note.author_id !== context.user.id) throw new MutationRejected('forbidden', 'Only the author may change a note.');
  return note;
}

/**
 * A run of consecutive note.create mutations, in order, as if each were applied alone (each already checked to be
 * about a record of the workspace's tenants, or about none; see push.ts): one multi-row insert per
 * chunk, then one look-up for the ids that were taken. The id is made by the client, so a create replayed after
 * a lost answer finds its own note and does nothing; an id another author holds is a conflict. Each answer is the
 * changes of that create or its refusal (nothing is written for a refused one).
 */
export async function createNotes(context: MutationContext, creates: readonly MutationArgsOf<'note.create'>[]): Promise<(ChangeEntry[] | MutationRejected)[]> {
  const authorId = context.user.id;
  const rows = creates.map((args) => noteRow(args, authorId, context.now));
  const inserted = new Set<unknown>();
  for (let start = 0; start < rows.length; start += notesPerStatement) {
    for (const id of await insertNotes(context.tx, context.kind, rows.slice(start, start + notesPerStatement))) inserted.add(id);
  }
  const taken = creates.filter((args) => !inserted.has(args.id)).map((args) => args.id);
  const authors = new Map<string, string>();
  for (let start = 0; start < taken.length; start += 500) {
    const found = await context.tx.selectFrom('notes').select(['id', 'author_id']).where('id', 'in', taken.slice(start, start + 500)).execute();
    for (const note of found) authors.set(note.id, note.author_id);
  }
  return creates.map((args) => {
    // The first create of an id this statement inserted announces it; a repeat of it in the same run is a replay.
    if (inserted.delete(args.id)) return [noteChange(args.id, 1, authorId)];
    if ((authors.get(args.id) ?? authorId) === authorId) return [];
    return new MutationRejected('conflict', 'Another note already has this id.');
  });
}

export const createNote: MutationHandler<MutationArgsOf<'note.create'>> = async (context, args) => {
  const foreign = refusalOfForeignRecord(args.record, args.record ? await context.tenants() : []);
  if (foreign) throw foreign;
  const [outcome] = await createNotes(context, [args]);
  if (outcome instanceof MutationRejected) throw outcome;
  return outcome ?? [];
};

/** An edit based on an older version than the stored one is a conflict the UI shows; it never overwrites. */
export const updateNote: MutationHandler<MutationArgsOf<'note.update'>> = async (context, args) => {
  const note = await ownNote(context, args.id);
  if (note.deleted_at) throw new MutationRejected('conflict', 'This note was deleted.');
  if (note.version !== args.baseVersion) {
    throw new MutationRejected('conflict', `This note changed since you opened it (version ${note.version}, yours ${args.baseVersion}).`);
  }
  const updated = await context.tx
    .updateTable('notes')
    .set({ content: writeJson(contentOf(args.content)), updated_at: context.now, version: args.baseVersion + 1 })
    .where('id', '=', args.id)
    .where('version', '=', args.baseVersion)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new MutationRejected('conflict', 'This note changed while saving.');
  return [noteChange(args.id, args.baseVersion + 1, context.user.id)];
};

/** Soft delete: the row stays (deletedAt set) so the head of sales can restore it. */
export const deleteNote: MutationHandler<MutationArgsOf<'note.delete'>> = async (context, args) => {
  const note = await ownNote(context, args.id);
  if (note.deleted_at) return [];
  if (note.version !== args.baseVersion) {
    throw new MutationRejected('conflict', `This note changed since you opened it (version ${note.version}, yours ${args.baseVersion}).`);
  }
  const deleted = await context.tx
    .updateTable('notes')
    .set({ deleted_at: context.now, updated_at: context.now, version: args.baseVersion + 1 })
    .where('id', '=', args.id)
    .where('version', '=', args.baseVersion)
    .executeTakeFirst();
  if (Number(deleted.numUpdatedRows) !== 1) throw new MutationRejected('conflict', 'This note changed while deleting.');
  return [noteChange(args.id, args.baseVersion + 1, context.user.id)];
};
