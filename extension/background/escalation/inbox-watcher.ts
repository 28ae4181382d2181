import type { WxtBrowser } from 'wxt/browser';
import { escalationMessages } from '../../escalation/i18n';
import { translator } from '../../../core/i18n';
import { backgroundLocale } from '../../reader-language';
import { pathOf } from '../../../core/api/route';
import { routes } from '../../../core/api/routes';
import type { Session, StorageAreaLike } from '../../session';
import type { SyncRunner } from '../sync/runner';
import { needsMeOf, type ToolbarBadge } from './badge';
import { severityLabel, type CachedEscalation } from '../../escalation/build';
import { cachedEscalations } from './cache';
import { announceChange, notifyAbout, openInboxOnClick } from './notices';
import type { EscalationServer } from './server';

/**
 * The inbox watcher: how many wait in my inbox, how many of them need me (the badge's escalation half), a notification
 * for each new one, and a word to the open pages when a sync round changed an escalation. It asks the server when a
 * pull changed an escalation (the poke channel makes that pull happen as soon as one is committed), on its first
 * look in a worker's life, and when an answer or the popup asks; never on a timer of its own.
 */

const NOTIFIED_KEY = 'headway.escalations.notified';
/** Notified ids kept, so a notice is not shown twice; far more than an inbox holds open. */
const NOTIFIED_KEPT = 500;
/** New ones notified per look: a burst after a long time offline shows a few, the inbox shows all. */
const NOTICES_PER_LOOK = 3;

export function createInboxWatcher(deps: {
  browser: WxtBrowser;
  session: () => Promise<Session | null>;
  runner: SyncRunner;
  storage: StorageAreaLike;
  server: EscalationServer;
  badge?: ToolbarBadge;
  /** Runs on every round's cache before the pages are told, so a page that reloads finds the joins already settled. */
  settleJoins: (cached: readonly CachedEscalation[]) => Promise<void>;
}) {
  const { browser, storage, server, badge } = deps;
  openInboxOnClick(browser);

  let inboxCount: number | null = null;
  let needsMe: number | null = null;
  let inboxPrint: string | null = null;

  async function lookAtInbox(): Promise<number | null> {
    const session = await deps.session();
    if (!session || session.state === 'unauthorized') {
      needsMe = null;
      badge?.setNeedsMe(null);
      return null;
    }
    const answer = await server.call(routes.escalations, pathOf(routes.escalations, {}, { box: 'inbox' })).catch(() => null);
    if (!answer) return inboxCount;
    const waiting = answer.escalations.filter((esc) => esc.status === 'open' || esc.status === 'acknowledged');
    inboxCount = waiting.length;
    needsMe = needsMeOf(waiting, session.user);
    badge?.setNeedsMe(needsMe);
    const print = answer.escalations.map((esc) => `${esc.id}:${esc.version}`).join('|');
    if (inboxPrint !== null && print !== inboxPrint) announceChange(browser);
    inboxPrint = print;
    const notified = new Set(((await storage.get(NOTIFIED_KEY))[NOTIFIED_KEY] as string[] | undefined) ?? []);
    const fresh = waiting.filter((esc) => esc.status === 'open' && !notified.has(esc.id));
    for (const esc of fresh.slice(0, NOTICES_PER_LOOK)) notifyAbout(browser, esc.id, translator(escalationMessages, backgroundLocale())('noticeTitle', { severity: severityLabel(esc.severity, backgroundLocale()) }), esc.title);
    if (fresh.length > 0) await storage.set({ [NOTIFIED_KEY]: [...notified, ...fresh.map((esc) => esc.id)].slice(-NOTIFIED_KEPT) });
    return inboxCount;
  }

  let cachePrint: string | null = null;
  /** Costs the server nothing when the round changed no escalation. */
  async function watchCache(): Promise<void> {
    const cached = await cachedEscalations(deps.runner);
    const print = cached
      .map((esc) => `${esc.id}:${(esc as { version?: unknown }).version}:${esc.status}`)
      .sort()
      .join('|');
    const first = cachePrint === null;
    const changed = !first && print !== cachePrint;
    cachePrint = print;
    await deps.settleJoins(cached);
    if (changed) announceChange(browser);
    if (first || changed) await lookAtInbox();
  }

  let watching: Promise<void> = Promise.resolve();
  return {
    lookAtInbox,
    /** After every sync round; one look at a time, so a burst of summaries cannot announce one join twice. */
    afterSync(): void {
      watching = watching.then(watchCache).catch(() => undefined);
    },
    /** For the popup: what waits, what needs me (null while the inbox cannot be asked) and what waits to sync. */
    async counts() {
      const count = await lookAtInbox();
      return { count, needsMe: count === null ? null : needsMe, pending: badge?.counts().pending ?? 0 };
    },
  };
}
