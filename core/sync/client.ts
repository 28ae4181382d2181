import type { MutationName } from '../schema/sync';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import type { SyncDb } from './db.idb';
import type { FetchLike, HttpOutcome } from './http';
import { loadClientId, loadSyncState, saveSyncState } from './meta.idb';
import { createOutbox, type MutationInput } from './outbox.idb';
import { pullAll } from './pull-round.idb';
import { DEFAULT_MAX_BATCH_BYTES } from './push-batch';
import { pushAll } from './push-round.idb';
import type { OutboxEntry, SyncState, SyncStatus } from './records';
import type { SyncSession } from './session';

/**
 * The sync client: pushes the outbox to the server and pulls changes into the entity cache.
 * The rounds themselves are push-round.idb.ts and pull-round.idb.ts; this module owns the token,
 * the backoff state and the one-run-at-a-time scheduling around them.
 *
 * Everything needed to resume lives in IndexedDB (outbox, cursor, backoff position and
 * `nextRetryAt`), so the MV3 background worker may be killed at any moment: a new worker creates a
 * new client over the same database and carries on. Exactly one context (the background worker)
 * should run a client; pages enqueue through it by messaging.
 */
export type SyncClientOptions = {
  db: SyncDb;
  /** Origin (and optional path prefix) of the Headway server, e.g. https://headway.example.com */
  serverUrl: string;
  /** Bearer token from pairing. */
  token: string;
  /** Called as a plain function (never as a method), so the browser's fetch keeps a valid `this`. */
  fetch: FetchLike;
  /** Epoch milliseconds. */
  clock: () => number;
  /** [0, 1), for backoff jitter. */
  random: () => number;
  onState?: (state: SyncState) => void;
  /** Mutations per push request; the server accepts up to 500. */
  batchSize?: number;
  /** JSON bytes per push request, below the server's body limit (default 512 KiB; the server's is 1 MiB). */
  maxBatchBytes?: number;
  /** Changes per pull request (server maximum 5000). */
  pullLimit?: number;
  backoff?: BackoffPolicy;
  requestTimeoutMs?: number;
  /**
   * Runs each push/pull round exclusively across contexts that share the database, e.g.
   * `(work) => navigator.locks.request('headway-sync', work)`. Within one client runs never overlap
   * anyway; this matters only if a page ever runs a client beside the background worker.
   */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Where protocol anomalies are reported (a gap, a server that did not advance). */
  log?: (message: string, details?: unknown) => void;
};

export type FlushOptions = {
  /** Ignore `nextRetryAt` — for the `online` event or a "Sync now" click. */
  force?: boolean;
};

export const MAX_PUSH_BATCH = 200;

export function createSyncClient(options: SyncClientOptions) {
  const { db, clock, random } = options;
  const baseUrl = options.serverUrl.replace(/\/+$/, '');
  const batchSize = Math.min(Math.max(1, options.batchSize ?? MAX_PUSH_BATCH), MAX_PUSH_BATCH);
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const pullLimit = options.pullLimit ?? 1000;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const log = options.log ?? ((message: string, details?: unknown) => console.warn(`[headway sync] ${message}`, details ?? ''));
  const outbox = createOutbox(db, { clock });
  const exclusive = options.exclusive ?? (<T>(work: () => Promise<T>) => work());
  let token = options.token;
  /** The token the server answered 401 to; no request is sent with it again. In memory on purpose:
   *  a fresh worker tries once more, which is one cheap request. */
  let refusedToken: string | null = null;
  let syncing = false;

  async function state(): Promise<SyncState> {
    const [persisted, pending, failed] = await Promise.all([loadSyncState(db), outbox.count(), outbox.failedCount()]);
    const { failures: _failures, ...visible } = persisted;
    const status: SyncStatus = syncing ? 'syncing' : refusedToken === token ? 'unauthorized' : persisted.status;
    return { ...visible, status, pending, failed };
  }

  async function emit(): Promise<SyncState> {
    const current = await state();
    options.onState?.(current);
    return current;
  }

  async function succeeded(): Promise<void> {
    await saveSyncState(db, { status: 'idle', failures: 0, nextRetryAt: null, lastSyncAt: new Date(clock()).toISOString(), lastError: null });
  }

  /** Record a failed attempt and schedule the next one with jittered exponential backoff. */
  async function failed(status: Exclude<SyncStatus, 'idle' | 'syncing'>, message: string): Promise<void> {
    const previous = await loadSyncState(db);
    if (status === 'unauthorized') {
      await saveSyncState(db, { ...previous, status, nextRetryAt: null, lastError: message });
      return;
    }
    const failures = previous.failures + 1;
    const nextRetryAt = clock() + backoffDelay(failures, random, policy);
    await saveSyncState(db, { ...previous, status, failures, nextRetryAt, lastError: message });
  }

  async function handleFailure(outcome: Exclude<HttpOutcome, { kind: 'ok' }>, what: string): Promise<void> {
    switch (outcome.kind) {
      case 'unauthorized':
        refusedToken = token;
        return failed('unauthorized', `${what}: the server no longer accepts this device's token`);
      case 'offline':
        return failed('offline', `${what}: ${outcome.message}`);
      case 'server-error':
        return failed('error', `${what}: ${outcome.message}`);
      case 'refused':
        log(`${what} refused`, outcome.body);
        return failed('error', `${what}: ${outcome.message}`);
    }
  }

  /** False when this call must not contact the server (revoked token, or waiting out a backoff). */
  async function mayContactServer(force: boolean): Promise<boolean> {
    if (refusedToken === token) return false;
    const { nextRetryAt } = await loadSyncState(db);
    return force || nextRetryAt === null || clock() >= nextRetryAt;
  }

  const session: SyncSession = { db, fetch: options.fetch, baseUrl, token: () => token, timeoutMs, log, fail: handleFailure };
  const limits = { batchSize, maxBatchBytes };

  // One run at a time for push and pull together, so two triggers (a new note and an alarm tick)
  // never send the same batch twice. A request during a run is remembered and served by that run.
  let running: Promise<SyncState> | null = null;
  const wanted = { push: false, pull: false, force: false };

  function request(push: boolean, pull: boolean, force: boolean): Promise<SyncState> {
    wanted.push ||= push;
    wanted.pull ||= pull;
    wanted.force ||= force;
    running ??= drain().finally(() => {
      running = null;
    });
    return running;
  }

  async function drain(): Promise<SyncState> {
    try {
      while (wanted.push || wanted.pull) {
        const { push, pull, force } = wanted;
        wanted.push = wanted.pull = wanted.force = false;
        await exclusive(() => runOnce(push, pull, force));
      }
    } finally {
      syncing = false;
    }
    return emit();
  }

  async function runOnce(push: boolean, pull: boolean, force: boolean): Promise<void> {
    if (!(await mayContactServer(force))) return;
    if (!pull && (await outbox.count()) === 0) return;
    syncing = true;
    await emit();
    if (push && !(await pushAll(session, outbox, limits, emit))) return;
    if (pull && !(await pullAll(session, pullLimit))) return;
    await succeeded();
  }

  return {
    outbox,

    /** Validate and queue a mutation (see Outbox.enqueue) and report the new state. Does not push. */
    async enqueue<N extends MutationName>(name: N, args: MutationInput<N>): Promise<OutboxEntry> {
      const entry = await outbox.enqueue(name, args);
      await emit();
      return entry;
    },

    /**
     * Push the outbox in order, in batches of at most 200. Entries leave only when acknowledged;
     * refused ones move to `failed`. Concurrent calls share one run. Without `force`, does nothing
     * before `nextRetryAt`.
     */
    flush: (flushOptions: FlushOptions = {}) => request(true, false, flushOptions.force === true),
    /** Pull changes into the entity cache until `more` is false. */
    pull: (flushOptions: FlushOptions = {}) => request(false, true, flushOptions.force === true),
    /** Push, then pull. What an alarm tick or an `online` event should call. */
    sync: (flushOptions: FlushOptions = {}) => request(true, true, flushOptions.force === true),

    /** Current state, read from the database. */
    state,

    /** This browser profile's client id (diagnostics; the server keys mutation ids by it). */
    clientId: () => loadClientId(db),

    /** Replace the token after re-pairing; clears the `unauthorized` stop. */
    async setToken(next: string): Promise<SyncState> {
      token = next;
      refusedToken = null;
      const previous = await loadSyncState(db);
      if (previous.status === 'unauthorized') await saveSyncState(db, { ...previous, status: 'idle', lastError: null });
      return emit();
    },
  };
}

export type SyncClient = ReturnType<typeof createSyncClient>;
