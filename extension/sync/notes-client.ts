import type { WxtBrowser } from 'wxt/browser';
import type { RecordRef } from '../../core/schema';
import type { NoteView } from '../../core/sync/records';
import type { FieldProblem, NoteSaveResult, NotesList, SyncSummary } from './messages';
import { backgroundSilence } from '../background-answer/silence';
import { looksLikeSyncSummary } from '../protocol';

/**
 * The sidebar's notes requests, without zod (the content script's size budget, see protocol.ts). The
 * background parses every request with zod; answers come only from the background, so a shape check is enough.
 */
type Runtime = Pick<WxtBrowser, 'runtime'>;


async function ask(browser: Runtime, request: Record<string, unknown>): Promise<Record<string, unknown>> {
  let answer: unknown;
  try {
    answer = await browser.runtime.sendMessage(request);
  } catch {
    throw backgroundSilence('silentPage');
  }
  if (typeof answer !== 'object' || answer === null) throw backgroundSilence('silentPage');
  const failure = (answer as { failure?: unknown }).failure;
  if (typeof failure === 'string') throw new Error(failure);
  return answer as Record<string, unknown>;
}

const isNote = (value: unknown): value is NoteView =>
  typeof value === 'object' && value !== null && typeof (value as NoteView).id === 'string' && typeof (value as NoteView).createdAt === 'string';

export interface NoteDraft {
  id: string;
  baseVersion?: number;
  record: RecordRef | null;
  recordTitle: string | null;
  content: Record<string, unknown>;
}

export async function saveNote(browser: Runtime, draft: NoteDraft): Promise<NoteSaveResult> {
  const answer = await ask(browser, { type: 'note-save', ...draft });
  if (answer.ok === true && isNote(answer.note)) return answer as NoteSaveResult;
  if (answer.ok === false && Array.isArray(answer.problems)) return { ok: false, problems: answer.problems as FieldProblem[] };
  throw backgroundSilence('silentPage');
}

export async function deleteNote(browser: Runtime, id: string, baseVersion: number): Promise<void> {
  const answer = await ask(browser, { type: 'note-delete', id, baseVersion });
  if (answer.ok !== true) throw typeof answer.message === 'string' ? new Error(answer.message) : backgroundSilence('noteNotDeleted');
}

export async function listNotes(browser: Runtime, record: RecordRef | null): Promise<NotesList> {
  const answer = await ask(browser, { type: 'notes-list', record });
  const { notes, upcoming, userId } = answer;
  if (!Array.isArray(notes) || !Array.isArray(upcoming)) throw backgroundSilence('silentPage');
  return { notes: notes.filter(isNote), upcoming: upcoming.filter(isNote), userId: typeof userId === 'string' ? userId : null };
}

/** Retry, Discard ("Reload" for a stale edit) or Sync now; answers the new summary. */
export async function syncAction(browser: Runtime, type: 'sync-retry' | 'sync-discard' | 'sync-now', mutationId?: number): Promise<SyncSummary> {
  const answer = await ask(browser, { type, mutationId });
  if (!looksLikeSyncSummary(answer)) throw backgroundSilence('silentPage');
  return answer;
}

/** Passive capture: tell the background what the adapter read on a record page. Never throws into the page. */
export function reportRecord(browser: Runtime, record: RecordRef, fields: object, url: string): void {
  browser.runtime.sendMessage({ type: 'page-record', record, fields, url }).catch(() => undefined);
}

/** A note id made in the page: crypto.randomUUID needs a secure context, which an intranet CRM may not be. */
export function newNoteId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `n_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
