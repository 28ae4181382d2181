import type { MutationArgsOf, NoteContent } from '../../../core/schema';
import { compiledInsertReturning } from '../../store/compiled-insert';
import { writeJson } from '../../store/json-column';
import { recordColumns } from '../../store/record-columns';
import type { NotesTable } from '../../store/tables';
import type { Tx } from '../../store/transaction';
import type { ChangeEntry } from '../change-log';
import { canSeeNote } from '../visibility';
import { refusal, Refused } from '../../refusal/refused';
import type { MutationContext, MutationHandler } from './context';
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
  // A note the caller may not read answers exactly as a missing one, so that ids cannot be probed (issue 13 §5).
  if (!note || !canSeeNote(context.user, { authorId: note.author_id })) throw refusal('not-found', 'noNote', { id });
  if (note.author_id !== context.user.id) throw refusal('forbidden', 'notAuthor');
  return note;
}

// What a replayed create must repeat to be taken for the same note; the rest (version, times of change) moves on.
const NOT_COMPARED: ReadonlySet<string> = new Set(['updated_at', 'version']);

/** The stored note is this create's own, as sent: the author's replay after a lost answer. */
function isReplayOf(row: NotesTable, stored: Readonly<Record<string, unknown>> | NotesTable): boolean {
  const columns = stored as Readonly<Record<string, unknown>>;
  // Text is stored well-formed (a lone surrogate becomes U+FFFD on PostgreSQL), so it is compared so.
  const same = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? a.toWellFormed() === b.toWellFormed() : a === b);
  return Object.entries(row).every(([column, value]) => NOT_COMPARED.has(column) || same(columns[column], value));
}

const takenId = () => refusal('conflict', 'noteIdTaken');

/**
 * A run of consecutive note.create mutations, in order, as if each were applied alone (each already checked to be
 * about a record of the workspace's tenants, or about none; see push.ts): one multi-row insert per
 * chunk, then one look-up for the ids that were taken. The id is made by the client, so a create replayed after
 * a lost answer finds its own note, as sent, and does nothing. Any other create of a taken id is a conflict the
 * author sees, never a silent drop; it reads the same whoever holds the id, so it says nothing about their note.
 * Each answer is the changes of that create or its refusal (nothing is written for a refused one).
 */
export async function createNotes(context: MutationContext, creates: readonly MutationArgsOf<'note.create'>[]): Promise<(ChangeEntry[] | Refused)[]> {
  const authorId = context.user.id;
  const rows = creates.map((args) => noteRow(args, authorId, context.now));
  const inserted = new Set<unknown>();
  for (let start = 0; start < rows.length; start += notesPerStatement) {
    for (const id of await insertNotes(context.tx, context.kind, rows.slice(start, start + notesPerStatement))) inserted.add(id);
  }
  return answerCreates(context.tx, rows, inserted, authorId);
}

/**
 * Each create's answer once a run's rows were written (here or by the PostgreSQL batch tail): `inserted` holds the
 * ids the write took. The ids it did not take are looked up in a statement of their own, so it also sees a note
 * another transaction committed meanwhile.
 */
export async function answerCreates(tx: Tx, rows: readonly NotesTable[], inserted: Set<unknown>, authorId: string): Promise<(ChangeEntry[] | Refused)[]> {
  const taken = [...new Set(rows.filter((row) => !inserted.has(row.id)).map((row) => row.id))];
  const stored = new Map<string, Record<string, unknown>>();
  for (let start = 0; start < taken.length; start += 500) {
    const found = await tx.selectFrom('notes').selectAll().where('id', 'in', taken.slice(start, start + 500)).execute();
    for (const note of found) stored.set(note.id, note);
  }
  return rows.map((row) => {
    // The first create of an id this statement inserted announces it; a repeat of it in the same run is compared
    // with that first one.
    if (inserted.delete(row.id)) return [noteChange(row.id, 1, authorId)];
    const existing = stored.get(row.id) ?? rows.find((other) => other.id === row.id);
    return existing && isReplayOf(row, existing) ? [] : takenId();
  });
}

export const createNote: MutationHandler<MutationArgsOf<'note.create'>> = async (context, args) => {
  const foreign = refusalOfForeignRecord(args.record, args.record ? await context.tenants() : []);
  if (foreign) throw foreign;
  const [outcome] = await createNotes(context, [args]);
  if (outcome instanceof Refused) throw outcome;
  return outcome ?? [];
};

/** An edit based on an older version than the stored one is a conflict the UI shows; it never overwrites. */
export const updateNote: MutationHandler<MutationArgsOf<'note.update'>> = async (context, args) => {
  const note = await ownNote(context, args.id);
  if (note.deleted_at) throw refusal('conflict', 'noteDeleted');
  if (note.version !== args.baseVersion) {
    throw refusal('conflict', 'noteStale', { current: note.version, base: args.baseVersion });
  }
  const updated = await context.tx
    .updateTable('notes')
    .set({ content: writeJson(contentOf(args.content)), updated_at: context.now, version: args.baseVersion + 1 })
    .where('id', '=', args.id)
    .where('version', '=', args.baseVersion)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw refusal('conflict', 'noteChangedSaving');
  return [noteChange(args.id, args.baseVersion + 1, context.user.id)];
};

/** Soft delete: the row stays (deletedAt set) so the head of sales can restore it. */
export const deleteNote: MutationHandler<MutationArgsOf<'note.delete'>> = async (context, args) => {
  const note = await ownNote(context, args.id);
  if (note.deleted_at) return [];
  if (note.version !== args.baseVersion) {
    throw refusal('conflict', 'noteStale', { current: note.version, base: args.baseVersion });
  }
  const deleted = await context.tx
    .updateTable('notes')
    .set({ deleted_at: context.now, updated_at: context.now, version: args.baseVersion + 1 })
    .where('id', '=', args.id)
    .where('version', '=', args.baseVersion)
    .executeTakeFirst();
  if (Number(deleted.numUpdatedRows) !== 1) throw refusal('conflict', 'noteChangedDeleting');
  return [noteChange(args.id, args.baseVersion + 1, context.user.id)];
};
