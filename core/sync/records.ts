import { z } from 'zod';
import { ClientId, MutationName, MutationResult } from '../schema/sync';
import { Entity } from '../schema/change';
import { Id, IsoDateTime } from '../schema/common';
import { Note } from '../schema/note';

/**
 * The shapes kept in the sync database. They are zod schemas (not hand-written interfaces) so a
 * value read back from IndexedDB — possibly written by an older extension version — can be checked.
 */

/** A mutation waiting in the outbox; `args` were parsed with MutationArgs[name] before it got here. */
export const OutboxEntry = z.object({
  mutationId: z.number().int().min(1),
  name: MutationName,
  args: z.unknown(),
  createdAt: IsoDateTime,
  /** Push attempts that ended without an answer from the server (network error, 5xx). */
  attempts: z.number().int().min(0),
  lastError: z.string().optional(),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

export const MutationError = MutationResult.shape.error.unwrap();
export type MutationError = z.infer<typeof MutationError>;

/** A mutation the server refused; kept so the user can see it and retry or discard it. */
export const FailedMutation = OutboxEntry.omit({ attempts: true, lastError: true }).extend({
  failedAt: IsoDateTime,
  error: MutationError,
});
export type FailedMutation = z.infer<typeof FailedMutation>;

export const SyncStatus = z.enum(['idle', 'syncing', 'offline', 'unauthorized', 'error']);
export type SyncStatus = z.infer<typeof SyncStatus>;

/**
 * What must survive the MV3 worker being killed: the backoff position and when to try again,
 * so a fresh worker neither hammers a failing server nor forgets to retry.
 */
export const PersistedSyncState = z.object({
  status: SyncStatus,
  /** Consecutive failed sync attempts; drives the exponential backoff. */
  failures: z.number().int().min(0),
  /** Epoch ms before which an unforced flush does not contact the server; null = no wait. */
  nextRetryAt: z.number().int().nullable(),
  lastSyncAt: IsoDateTime.nullable(),
  lastError: z.string().nullable(),
});
export type PersistedSyncState = z.infer<typeof PersistedSyncState>;

/**
 * Whose sync database this is: one per user and server, so a browser re-paired as someone else gets a fresh client
 * id and an empty cache, and the first user's unsent changes wait for them (core/sync/owners.idb.ts).
 */
export const SyncDbOwner = z.object({
  serverUrl: z.string().min(1),
  userId: z.string().min(1),
  /** For the notice "12 changes from Marco Rossi are waiting"; refreshed each time that user opens it. */
  userName: z.string(),
});
export type SyncDbOwner = z.infer<typeof SyncDbOwner>;

export const MetaRecord = z.discriminatedUnion('key', [
  z.object({ key: z.literal('clientId'), value: ClientId }),
  /** The id the next enqueued mutation gets; only ever grows, so ids stay strictly increasing. */
  z.object({ key: z.literal('nextMutationId'), value: z.number().int().min(1) }),
  z.object({ key: z.literal('pullCursor'), value: z.number().int().min(0) }),
  z.object({ key: z.literal('syncState'), value: PersistedSyncState }),
  /** Absent on a database nobody has paired with yet (captures before pairing, and installs from before per-user databases). */
  z.object({ key: z.literal('owner'), value: SyncDbOwner }),
]);
export type MetaRecord = z.infer<typeof MetaRecord>;
export type MetaKey = MetaRecord['key'];

/**
 * One cached entity. `base` is the server's state as last pulled (with our acknowledged mutations
 * folded in), `data` is what the UI shows: `base` with the still-pending mutations applied on top.
 * Keeping both lets a rejected mutation be undone locally without waiting for a pull.
 */
export const EntityRow = z.object({
  entity: Entity,
  entityId: Id,
  /** Server version of `base`; 0 when the server has not sent this entity yet. */
  version: z.number().int().min(0),
  base: z.unknown().nullable(),
  data: z.unknown().nullable(),
  /** Outbox mutation ids applied to `data` but not yet acknowledged, ascending. */
  pending: z.array(z.number().int().min(1)),
  /** Index field, notes only: `crm|instance|recordType|crmId` of the record the note belongs to. */
  noteRecordKey: z.string().optional(),
  /** Index field, notes only (and only live ones): the ISO date of the agreed next step. */
  noteNextStepDate: z.string().optional(),
});
export type EntityRow = z.infer<typeof EntityRow>;

/** A note as cached locally: a note created offline has no author id until the server assigns one. */
export const CachedNote = Note.extend({ authorId: Id.nullable() });
export type CachedNote = z.infer<typeof CachedNote>;

/** A note as the sidebar lists it: `pending` = saved locally, not yet acknowledged by the server. */
export const NoteView = CachedNote.extend({ pending: z.boolean() });
export type NoteView = z.infer<typeof NoteView>;

/** What the UI and the background worker see of sync (badge, "3 notes not synced", alarm time). */
export const SyncState = PersistedSyncState.omit({ failures: true }).extend({
  /** Mutations in the outbox. */
  pending: z.number().int().min(0),
  /** Mutations the server refused, waiting for the user to retry or discard them. */
  failed: z.number().int().min(0),
});
export type SyncState = z.infer<typeof SyncState>;
