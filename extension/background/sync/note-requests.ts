import type { z } from 'zod';
import { MutationArgs, NOTE_DATE_FIELDS, NOTE_NUMBER_FIELDS, NOTE_TEXT_FIELDS, type MutationName } from '../../../core/schema';
import { InvalidMutationError, notesForRecord, upcomingNextSteps } from '../../../core/sync';
import { CachedNote, type NoteView } from '../../../core/sync/records';
import type { StorageAreaLike } from '../../session';
import { loadSession } from '../../session';
import { clientSays } from '../../reader-language';
import { captureDeal } from './deal-capture';
import type { FieldProblem, NoteSaveResult, NotesList, SyncRequest } from '../../sync/messages';
import type { SyncRunner } from './runner';

/** How far ahead the sidebar's "Next steps" list looks. */
export const UPCOMING_DAYS = 7;

/** YYYY-MM-DD of the local calendar day `offsetDays` from `now`: next steps are dates the user typed, in their time zone. */
export function localDay(now: Date, offsetDays = 0): string {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offsetDays);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

/** A sentence a sales manager reads next to the field, rather than zod's developer wording. */
function plainMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return clientSays(issue.origin === 'string' ? 'fieldTooLong' : 'valueTooBig', { max: String(issue.maximum) });
    case 'too_small':
      return issue.origin === 'string' ? clientSays('fieldEmpty') : clientSays('valueTooSmall', { min: String(issue.minimum) });
    case 'invalid_format':
      return clientSays('pickDate');
    case 'invalid_value':
      return clientSays('pickOption');
    default:
      return issue.message;
  }
}

/** zod issues as one sentence per form field; the field is the NoteContent key the issue is about. */
export function problemsOf(issues: readonly z.core.$ZodIssue[], contentAt: number): FieldProblem[] {
  return issues.map((issue) => {
    const field = issue.path[contentAt];
    return { field: typeof field === 'string' ? field : 'form', message: plainMessage(issue) };
  });
}

/** An empty note is almost always a slip of Ctrl+Enter: refuse it rather than sync a blank card. */
function isEmptyNote(content: Record<string, unknown>): boolean {
  const anyText = NOTE_TEXT_FIELDS.some((key) => typeof content[key] === 'string' && content[key].trim() !== '');
  return !anyText && [...NOTE_NUMBER_FIELDS, ...NOTE_DATE_FIELDS].every((key) => content[key] === undefined);
}

export interface NoteRequestDeps {
  runner: SyncRunner;
  storage: StorageAreaLike;
  /** Passive capture dedupe: storage.session where the browser has it. */
  captureStorage: StorageAreaLike;
  now?: () => Date;
  /** performance.now, for the save timing the benchmark reads. */
  monotonic?: () => number;
}

/** The background's answers to the notes and sync requests of sidebars (see messages.ts). */
export function createNoteRequests(deps: NoteRequestDeps) {
  const now = deps.now ?? (() => new Date());
  const monotonic = deps.monotonic ?? (() => performance.now());
  const { runner } = deps;

  /** The save is this outbox write (validated, stored with its optimistic effect, one transaction); the push follows. */
  async function enqueue(name: MutationName, args: unknown) {
    // Without a session the change still waits in the outbox, to go out once this browser is paired.
    const queued = await (await runner.outbox()).enqueue(name, args as never);
    runner.enqueued();
    return queued;
  }

  async function cachedNote(id: string): Promise<NoteView | null> {
    const row = await (await runner.db()).get('entities', ['note', id]);
    const note = CachedNote.safeParse(row?.data);
    return note.success ? { ...note.data, pending: (row?.pending.length ?? 0) > 0 } : null;
  }

  async function save(request: Extract<SyncRequest, { type: 'note-save' }>): Promise<NoteSaveResult> {
    const started = monotonic();
    const content = { side: 'buyer', ...request.content };
    if (isEmptyNote(content)) return { ok: false, problems: [{ field: 'text', message: clientSays('noteEmpty') }] };
    const editing = request.baseVersion !== undefined;
    const parsed = editing
      ? MutationArgs['note.update'].safeParse({ id: request.id, baseVersion: request.baseVersion, content })
      : MutationArgs['note.create'].safeParse({ ...content, id: request.id, record: request.record, recordTitle: request.recordTitle, createdAt: now().toISOString() });
    if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error.issues, editing ? 1 : 0) };
    try {
      await enqueue(editing ? 'note.update' : 'note.create', parsed.data);
    } catch (error) {
      if (error instanceof InvalidMutationError) return { ok: false, problems: problemsOf(error.issues, editing ? 1 : 0) };
      throw error;
    }
    const savedInMs = monotonic() - started;
    const note = await cachedNote(request.id);
    if (!note) return { ok: false, problems: [{ field: 'form', message: clientSays('noteMissing') }] };
    return { ok: true, note, savedInMs };
  }

  async function list(record: Extract<SyncRequest, { type: 'notes-list' }>['record']): Promise<NotesList> {
    const database = await runner.db();
    const today = now();
    const last = localDay(today, UPCOMING_DAYS);
    const [notes, upcoming, session] = await Promise.all([
      record ? notesForRecord(database, record) : Promise.resolve([]),
      upcomingNextSteps(database, localDay(today), 50),
      loadSession(deps.storage),
    ]);
    return {
      notes: notes.slice(0, 100),
      upcoming: upcoming.filter((note) => note.nextStepDate !== undefined && note.nextStepDate <= last),
      userId: session?.user.id ?? null,
    };
  }

  return {
    /** Answers with the shape SyncResponseFor[request.type]; the hub's caller parses it. */
    async handle(request: SyncRequest): Promise<unknown> {
      switch (request.type) {
        case 'note-save':
          return save(request);
        case 'note-delete': {
          const note = await cachedNote(request.id);
          if (!note || note.deletedAt !== null) return { ok: false, message: clientSays('noteGone') };
          await enqueue('note.delete', { id: request.id, baseVersion: request.baseVersion });
          return { ok: true };
        }
        case 'notes-list':
          return list(request.record);
        case 'sync-get':
          return runner.summary();
        case 'sync-now':
          await runner.sync(true);
          return runner.summary();
        case 'sync-retry': {
          await (await runner.outbox()).retryFailed(request.mutationId).catch((error: unknown) => {
            // Already retried from another tab, or no longer valid: the list the sidebar gets back shows what is left.
            console.warn('Headway: retry failed', error);
          });
          void runner.sync(true);
          return runner.changed();
        }
        case 'sync-discard':
          await (await runner.outbox()).discardFailed(request.mutationId);
          // A discarded stale edit: pull so the note shows as the server has it ("Reload").
          void runner.sync(true);
          return runner.changed();
        case 'page-record': {
          const session = await loadSession(deps.storage);
          if (!session) return { captured: false };
          const captured = await captureDeal(deps.captureStorage, request, (args) => enqueue('deal.capture', args));
          return { captured };
        }
      }
    },
  };
}
