import { z } from 'zod';
import { Id, RecordRef } from '../../core/schema';
import { NoteView, SyncStatus } from '../../core/sync/records';
import { messageTable, requestUnion, type RequestOf } from '../message-table';

/**
 * The notes and sync requests sidebars send to the background. Parsed here with zod on arrival; the
 * content script builds and checks them without zod (see notes-client.ts) to stay inside its size budget.
 */

export const NoteSaveRequest = z.object({
  type: z.literal('note-save'),
  /** Made by the form when it opens, so a save retried after a lost answer stays one note on the server. */
  id: Id,
  /** Present when editing: the version the edit is based on (a conflict if the server moved on). */
  baseVersion: z.number().int().min(1).optional(),
  record: RecordRef.nullable(),
  recordTitle: z.string().max(500).nullable(),
  /** What the form holds; checked against MutationArgs, so a bad value comes back as a problem per field. */
  content: z.record(z.string(), z.unknown()),
});

/** A refused mutation as the sidebar lists it, with Retry / Discard. */
export const FailedItem = z.object({
  mutationId: z.number().int(),
  /** What it was, in words: "New note on Acme renewal". */
  label: z.string(),
  code: z.string(),
  message: z.string(),
  /** A stale edit: the server's note changed elsewhere; the way out is Reload (discard + pull). */
  conflict: z.boolean(),
});
export type FailedItem = z.infer<typeof FailedItem>;

/** Another user's changes saved in this browser profile, waiting for that user to pair again (core/sync/owners.idb.ts). */
export const WaitingElsewhere = z.object({
  userName: z.string(),
  serverUrl: z.string(),
  pending: z.number().int().min(0),
  failed: z.number().int().min(0),
});
export type WaitingElsewhere = z.infer<typeof WaitingElsewhere>;

/** What sidebars show of sync; pushed down the live port after every change. */
export const SyncSummary = z.object({
  status: SyncStatus,
  pending: z.number().int().min(0),
  failed: z.number().int().min(0),
  failures: z.array(FailedItem),
  lastSyncAt: z.string().nullable(),
  /** Bumped whenever the local cache may have changed, so sidebars know to list notes again. */
  revision: z.number().int().min(0),
  /** Other users of this browser whose changes wait here; shown so nobody thinks they were lost or sent. */
  waitingElsewhere: z.array(WaitingElsewhere).default([]),
});
export type SyncSummary = z.infer<typeof SyncSummary>;

export const FieldProblem = z.object({ field: z.string(), message: z.string() });
export type FieldProblem = z.infer<typeof FieldProblem>;

export const NoteSaveResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), note: NoteView, savedInMs: z.number() }),
  z.object({ ok: z.literal(false), problems: z.array(FieldProblem) }),
]);
export type NoteSaveResult = z.infer<typeof NoteSaveResult>;

export const NotesList = z.object({
  notes: z.array(NoteView),
  /** Next steps due in the next 7 days, soonest first, on any record. */
  upcoming: z.array(NoteView),
  /** Whose notes may be edited here; null when not paired. */
  userId: Id.nullable(),
});
export type NotesList = z.infer<typeof NotesList>;

/** Notes and sync in the extension's message table (extension/messages.ts). The side panel sends them all. */
export const SYNC_MESSAGES = messageTable({
  'note-save': { request: NoteSaveRequest, response: NoteSaveResult, from: 'any' },
  'note-delete': {
    request: z.object({ type: z.literal('note-delete'), id: Id, baseVersion: z.number().int().min(1) }),
    response: z.object({ ok: z.boolean(), message: z.string().optional() }),
    from: 'any',
  },
  'notes-list': { request: z.object({ type: z.literal('notes-list'), record: RecordRef.nullable() }), response: NotesList, from: 'any' },
  'sync-get': { request: z.object({ type: z.literal('sync-get') }), response: SyncSummary, from: 'any' },
  'sync-now': { request: z.object({ type: z.literal('sync-now') }), response: SyncSummary, from: 'any' },
  'sync-retry': { request: z.object({ type: z.literal('sync-retry'), mutationId: z.number().int().min(1) }), response: SyncSummary, from: 'any' },
  'sync-discard': { request: z.object({ type: z.literal('sync-discard'), mutationId: z.number().int().min(1) }), response: SyncSummary, from: 'any' },
  /** Passive capture: the content script read a record's fields off the page. */
  'page-record': {
    request: z.object({ type: z.literal('page-record'), record: RecordRef, fields: z.record(z.string(), z.unknown()), url: z.string().max(2000) }),
    response: z.object({ captured: z.boolean() }),
    from: 'any',
  },
});
export const SyncRequest = requestUnion(SYNC_MESSAGES);
export type SyncRequest = RequestOf<typeof SYNC_MESSAGES>;
