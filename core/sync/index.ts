/**
 * Headway's client-side sync: an IndexedDB outbox with optimistic local cache, a push/pull client
 * for the Headway server, and the offline queries the sidebar renders from.
 *
 *   const db = await openSyncDbFor({ indexedDB, owner: { serverUrl, userId, userName } }); // one per user (owners.idb.ts)
 *   const client = createSyncClient({ db, serverUrl, token, fetch, clock: Date.now, random: Math.random, onState });
 *   await client.enqueue('note.create', { id, side: 'buyer', record, createdAt, text });
 *   await client.sync();                       // on new mutation, `online`, alarm tick
 *   const { nextRetryAt } = await client.state(); // schedule the next alarm from it
 *   await notesForRecord(db, record);
 */
export { SYNC_DB_NAME, SYNC_DB_VERSION, openSyncDb, upgradeSyncDb, type SyncDb, type SyncDbSchema, type OpenSyncDbOptions } from './db.idb';
export { listSyncDbs, openSyncDbFor, ownedSyncDbName, sameOwner, waitingElsewhere, type SyncDbSummary } from './owners.idb';
export { createOutbox, InvalidMutationError, type Outbox, type MutationInput } from './outbox.idb';
export { createSyncClient, MAX_PUSH_BATCH, type SyncClient, type SyncClientOptions, type FlushOptions } from './client';
export { notesForRecord, upcomingNextSteps } from './queries.idb';
export { recordKey } from './optimistic';
export { backoffCeiling, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
export { CachedNote, FailedMutation, SyncDbOwner, NoteView, OutboxEntry, SyncState, SyncStatus } from './records';
