import { createOutbox, createSyncClient, openSyncDbFor, waitingElsewhere, type Outbox, type SyncClient, type SyncDb, type SyncDbSummary } from '../../../core/sync';
import type { SyncDbOwner } from '../../../core/sync/records';
import type { SyncState } from '../../../core/sync/records';
import { loadSession, type Session, type StorageAreaLike } from '../../session';
import { backgroundLocale } from '../../reader-language';
import { describeFailed } from './failed-label';
import type { SyncSummary, WaitingElsewhere } from '../../sync/messages';

/** One-shot alarm at the client's `nextRetryAt`, and a steady poll that also pulls what others wrote. */
export const SYNC_RETRY_ALARM = 'headway-sync-retry';
export const SYNC_POLL_ALARM = 'headway-sync-poll';
export const SYNC_POLL_MINUTES = 1;
const FLUSH_DELAY_MS = 25;

export interface SyncRunnerDeps {
  indexedDB: IDBFactory;
  storage: StorageAreaLike;
  fetch: typeof fetch;
  clock?: () => number;
  /** Schedules the retry alarm; the background passes browser.alarms.create. */
  scheduleRetry: (when: number) => void;
  /** Badge text, sidebars: called after every change of the outbox or the sync status. */
  onSummary: (summary: SyncSummary) => void;
  /** Runs each push/pull round exclusively across contexts (navigator.locks where present). */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

export type SyncRunner = ReturnType<typeof createSyncRunner>;

function describeElsewhere(entry: SyncDbSummary): WaitingElsewhere {
  return { userName: entry.owner?.userName ?? 'someone', serverUrl: entry.owner?.serverUrl ?? '', pending: entry.pending, failed: entry.failed };
}

/**
 * The background's sync runner: owns the sync database and the sync client of the paired session.
 * MV3 stops the worker whenever it likes, so nothing here is needed to resume: the outbox, the cursor and
 * the backoff live in IndexedDB, the session in storage.local; a fresh worker builds the same runner again.
 */
export function createSyncRunner(deps: SyncRunnerDeps) {
  const clock = deps.clock ?? Date.now;
  /** The sync database of the paired user (or the unowned one when not paired), and who else has changes waiting. */
  let opened: { key: string; db: Promise<SyncDb>; elsewhere: Promise<WaitingElsewhere[]> } | null = null;
  let clientPromise: { key: string; client: Promise<SyncClient> } | null = null;
  /** The stored session, read once per worker life and again when storage says it changed (sessionChanged). */
  let sessionPromise: Promise<Session | null> | null = null;
  let revision = 0;
  let cachedOutbox: { db: SyncDb; outbox: Outbox } | null = null;
  /** Saves come in bursts (a paste, an import loop): at most one flush and one summary per FLUSH_DELAY_MS. */
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const currentSession = () => (sessionPromise ??= loadSession(deps.storage));
  const ownerOf = (session: Session | null): SyncDbOwner | null =>
    session ? { serverUrl: session.serverUrl, userId: session.user.id, userName: session.user.name } : null;
  const ownerKey = (owner: SyncDbOwner | null) => (owner ? `${owner.serverUrl}\n${owner.userId}` : '');

  /**
   * Each user has their own sync database (core/sync/owners.idb.ts): pairing as someone else switches to theirs,
   * with its own client id and cache. The previous connection is left open rather than closed under a push or
   * save that may still be using it; it is one idle handle until the worker stops.
   */
  function dbFor(session: Session | null): Promise<SyncDb> {
    const owner = ownerOf(session);
    const key = ownerKey(owner);
    if (opened?.key !== key) {
      const db = openSyncDbFor({
        indexedDB: deps.indexedDB,
        owner,
        // An extension update bumped the schema: drop this connection and its client, reopen on next use.
        onVersionChange: () => {
          if (opened?.key !== key) return;
          opened = null;
          clientPromise = null;
        },
      });
      const entry = {
        key,
        db: db.catch((error: unknown) => {
          if (opened === entry) opened = null;
          throw error;
        }),
        // Other users' databases do not change while this one is in use: looked at once per switch.
        elsewhere: db.then(
          () => waitingElsewhere({ indexedDB: deps.indexedDB, owner }).then((found) => found.map(describeElsewhere)),
          () => [],
        ),
      };
      opened = entry;
    }
    return opened!.db;
  }

  const db = async () => dbFor(await currentSession());

  /** The client for the stored session, rebuilt when the user pairs again (new token or server). */
  async function client(session: Session | null): Promise<SyncClient | null> {
    if (!session) return null;
    const key = `${session.serverUrl}\n${session.token}\n${session.user.id}`;
    if (clientPromise?.key !== key) {
      const made = dbFor(session).then((database) =>
        createSyncClient({
          db: database,
          serverUrl: session.serverUrl,
          token: session.token,
          fetch: (url, init) => deps.fetch(url, init),
          clock,
          random: Math.random,
          onState: (state) => void publish(state),
          exclusive: deps.exclusive,
        }),
      );
      clientPromise = { key, client: made };
    }
    return clientPromise.client;
  }

  const currentClient = async () => client(await currentSession());

  /** Without a session there is no client, but the outbox still takes changes; they wait for pairing. */
  async function stateWithoutClient(): Promise<SyncState> {
    const outbox = createOutbox(await db(), { clock });
    const [pending, failed] = await Promise.all([outbox.count(), outbox.failedCount()]);
    return { status: 'idle', pending, failed, nextRetryAt: null, lastSyncAt: null, lastError: null };
  }

  // Saves come in bursts; one summary in flight and at most one queued behind it is enough.
  let publishing: Promise<void> | null = null;
  let latest: SyncState | null = null;
  function publish(state: SyncState): Promise<void> {
    latest = state;
    if (publishing) return publishing;
    publishing = (async () => {
      while (latest) {
        const next = latest;
        latest = null;
        deps.onSummary(await summarize(next));
      }
    })().finally(() => {
      publishing = null;
    });
    return publishing;
  }

  async function summarize(state: SyncState): Promise<SyncSummary> {
    revision += 1;
    const failedEntries = state.failed > 0 ? await createOutbox(await db(), { clock }).failed() : [];
    await db();
    const elsewhere = opened ? await opened.elsewhere : [];
    return {
      status: state.status,
      pending: state.pending,
      failed: state.failed,
      failures: failedEntries.slice(-20).map((entry) => describeFailed(entry, backgroundLocale())),
      lastSyncAt: state.lastSyncAt,
      revision,
      waitingElsewhere: elsewhere,
    };
  }

  async function afterRun(state: SyncState): Promise<SyncState> {
    if (state.nextRetryAt !== null) deps.scheduleRetry(state.nextRetryAt);
    await publish(state);
    return state;
  }

  return {
    db,
    currentClient,

    /** Push then pull; `force` for `online`, a server back from offline, or "Sync now". */
    async sync(force = false): Promise<SyncState> {
      const active = await currentClient();
      if (!active) return afterRun(await stateWithoutClient());
      return afterRun(await active.sync({ force }));
    },

    async state(): Promise<SyncState> {
      const active = await currentClient();
      return active ? active.state() : stateWithoutClient();
    },

    async summary(): Promise<SyncSummary> {
      return summarize(await this.state());
    },

    /** Tell sidebars and the badge after a change that went around the client (retry, discard, pull). */
    async changed(): Promise<SyncSummary> {
      const state = await this.state();
      await publish(state);
      return summarize(state);
    },

    async outbox(): Promise<Outbox> {
      const database = await db();
      if (cachedOutbox?.db !== database) cachedOutbox = { db: database, outbox: createOutbox(database, { clock }) };
      return cachedOutbox.outbox;
    },

    /** Pairing, re-pairing or disconnecting changed the stored session. */
    sessionChanged(): void {
      sessionPromise = null;
    },

    /**
     * A change was just written to the outbox: flush it (which also tells sidebars and the badge) within a
     * few milliseconds, together with whatever else is saved meanwhile. If the worker dies before, the outbox still holds it and the
     * next start, alarm or `online` event sends it.
     */
    enqueued(): void {
      // Throttled, not debounced: a steady stream of saves must not postpone the flush forever.
      flushTimer ??= setTimeout(() => {
        flushTimer = undefined;
        void this.sync().catch((error: unknown) => console.warn('Headway: sync after save failed', error));
      }, FLUSH_DELAY_MS);
    },
  };
}
