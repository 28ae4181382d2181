import type { MutationArgsOf, NoteContent } from '../../../core/schema';
import { compiledInsert } from '../../store/compiled-insert';
import { writeJson } from '../../store/json-column';
import type { ChangeEntry } from '../change-log';
import { MutationRejected, type MutationContext, type MutationHandler } from './context';

function contentOf(args: NoteContent): NoteContent {
  const { side, contact, text, asked, offered, price, discountPct, objections, nextStep, nextStepDate } = args;
  return { side, contact, text, asked, offered, price, discountPct, objections, nextStep, nextStepDate };
}

const insertNote = compiledInsert(
  'notes',
  ['id', 'author_id', 'crm', 'crm_id', 'record_type', 'record_title', 'content', 'created_at', 'updated_at', 'version', 'deleted_at'],
  'id',
);

function noteChange(id: string, version: number, authorId: string): ChangeEntry {
  return { entity: 'note', entityId: id, version, ownerId: authorId };
}

async function ownNote(context: MutationContext, id: string) {
  const note = await context.tx.selectFrom('notes').select(['id', 'author_id', 'version', 'deleted_at']).where('id', '=', id).executeTakeFirst();
  if (!note) throw new MutationRejected('not-found', `There is no note ${id}.`);
  if (note.author_id !== context.user.id) throw new MutationRejected('forbidden', 'Only the author may change a note.');
  return note;
}

/** The id is made by the client, so a create replayed after a lost answer finds its own note and does nothing. */
export const createNote: MutationHandler<MutationArgsOf<'note.create'>> = async (context, args) => {
  // Insert first and look only when the id was taken: the common case costs one statement.
  const inserted = await insertNote(context.tx, context.kind, [{
    id: args.id,
    author_id: context.user.id,
    crm: args.record?.crm ?? null,
    crm_id: args.record?.crmId ?? null,
    record_type: args.record?.recordType ?? null,
    record_title: args.recordTitle,
    content: writeJson(contentOf(args)),
    created_at: args.createdAt,
    updated_at: context.now,
    version: 1,
    deleted_at: null,
  }]);
  if (inserted === 1) return [noteChange(args.id, 1, context.user.id)];
  const existing = await context.tx.selectFrom('notes').select(['author_id']).where('id', '=', args.id).executeTakeFirstOrThrow();
  if (existing.author_id === context.user.id) return [];
  throw new MutationRejected('conflict', 'Another note already has this id.');
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
