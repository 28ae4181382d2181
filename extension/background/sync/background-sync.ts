import type { WxtBrowser } from 'wxt/browser';
import { createToolbarBadge } from '../escalation/badge';
import type { ConnectionSnapshot } from '../../messages';
import { SESSION_KEY, loadSession, memoryStorageArea } from '../../session';
import type { SyncRequest, SyncSummary } from '../../sync/messages';
import { NEXT_STEPS_ALARM, nextMorning, notifyTodaysNextSteps } from './next-steps';
import { createNoteRequests } from './note-requests';
import { createPokeClient, openBrowserSocket } from './poke-client';
import { createSyncRunner, SYNC_POLL_ALARM, SYNC_POLL_MINUTES, SYNC_RETRY_ALARM } from './runner';


/**
 * Sync in the background worker: the runner, the badge, the poke channel (the server says when to pull), the alarms
 * (retry at `nextRetryAt`, a poll only while the poke channel is down, the 08:00 next-step reminder) and the `online`
 * event. extension/background/hub.ts routes sidebar requests here and
 * broadcasts the summaries this produces.
 */
export function startSync(browser: WxtBrowser, broadcast: (summary: SyncSummary) => void) {
  const action = browser.action ?? browser.browserAction;
  const storage = browser.storage.local;
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  // The badge counts what needs the user: this outbox's waiting changes plus the escalations the inbox look finds.
  const badge = createToolbarBadge(action);
  const runner = createSyncRunner({
    indexedDB: globalThis.indexedDB,
    storage,
    fetch: (url, init) => fetch(url, init),
    // Chrome rounds alarms up to 30 s for packed extensions; a backoff shorter than that waits a little longer.
    scheduleRetry: (when) => void browser.alarms.create(SYNC_RETRY_ALARM, { when: Math.max(when, Date.now() + 500) }),
    onSummary: (summary) => {
      badge.setPending(summary.pending);
      broadcast(summary);
    },
    exclusive: locks ? <T,>(work: () => Promise<T>) => locks.request('headway-sync', work) as Promise<T> : undefined,
  });
  const requests = createNoteRequests({ runner, storage, captureStorage: browser.storage.session ?? memoryStorageArea() });
  const syncQuietly = (force = false) => void runner.sync(force).catch((error: unknown) => console.warn('Headway: sync failed', error));

  async function remindOfNextSteps(): Promise<void> {
    await notifyTodaysNextSteps(browser, storage, await runner.db(), new Date());
  }

  // The server pokes when something this user may see committed; the minute's poll runs only while it cannot. The
  // poll alarm also wakes a worker that stopped with the channel down, and the new worker tries the channel again.
  const pokes = createPokeClient({
    credentials: async () => {
      const session = await loadSession(storage);
      return session && session.state !== 'unauthorized' ? { serverUrl: session.serverUrl, token: session.token } : null;
    },
    open: openBrowserSocket,
    pull: () => syncQuietly(),
    channelChanged: (up) => {
      if (up) void browser.alarms.clear(SYNC_POLL_ALARM);
      else void browser.alarms.create(SYNC_POLL_ALARM, { periodInMinutes: SYNC_POLL_MINUTES });
    },
    timers: { set: (run, ms) => setTimeout(run, ms), clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) },
    now: Date.now,
    random: Math.random,
  });
  pokes.start();
  void browser.alarms.get(NEXT_STEPS_ALARM).then((existing) => {
    if (!existing) void browser.alarms.create(NEXT_STEPS_ALARM, { when: nextMorning(new Date()) });
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_RETRY_ALARM || alarm.name === SYNC_POLL_ALARM) syncQuietly();
    if (alarm.name === NEXT_STEPS_ALARM) {
      // Re-aimed at 08:00 every time, so a daylight-saving change does not drift it.
      void browser.alarms.create(NEXT_STEPS_ALARM, { when: nextMorning(new Date()) });
      void remindOfNextSteps().catch((error: unknown) => console.warn('Headway: next-step reminder failed', error));
    }
  });
  globalThis.addEventListener?.('online', () => syncQuietly(true));
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SESSION_KEY in changes) {
      runner.sessionChanged();
      void pokes.sessionChanged();
    }
  });
  // A worker (re)started: push what waits, and catch up on a reminder the browser slept through.
  syncQuietly();
  void remindOfNextSteps().catch(() => undefined);

  let lastState: ConnectionSnapshot['state'] | null = null;
  let lastUser: string | null = null;
  return {
    /** The escalation requests enqueue through the same outbox and runner (extension/escalation). */
    runner,
    /** Escalations addressed to me and not yet acknowledged are added by extension/escalation. */
    badge,
    handle: (request: SyncRequest) => requests.handle(request),
    /** The heartbeat saw the server again (or the user paired): push now rather than wait out the backoff. */
    connectionChanged(snapshot: ConnectionSnapshot): void {
      // Paired as someone else (or on another server): switch to that user's sync database now rather than when
      // storage.onChanged arrives, and sync so the badge, sidebars and options page show that user's outbox.
      const user = snapshot.user ? `${snapshot.serverUrl ?? ''}\n${snapshot.user.id}` : null;
      const switched = user !== lastUser && lastUser !== null;
      if (user !== lastUser) runner.sessionChanged();
      lastUser = user;
      if (snapshot.state === 'online' && (lastState !== 'online' || switched)) {
        syncQuietly(true);
        // The server is back: try the channel now rather than at the end of its backoff.
        pokes.retryNow();
      }
      lastState = snapshot.state;
    },
    /** A sidebar opened: give it the current summary and pull what others wrote since. */
    portConnected(post: (summary: SyncSummary) => void): void {
      void runner.summary().then(post, () => undefined);
      syncQuietly();
    },
  };
}
