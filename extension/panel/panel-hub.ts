import type { Browser } from 'wxt/browser';
import type { CommandName, ConnectionSnapshot, LiveMessage, PageView } from '../messages';
import type { StorageAreaLike } from '../session';
import { DEFAULT_SITE_PREFS, parseSitePrefs, saveSitePrefs, sitePrefsKey, type SitePrefs } from '../site-prefs';
import type { BrowserPanel } from './browser-panel';
import { createTabPages } from './tab-pages';

type Port = Browser.runtime.Port;

/** A command waits this long for the panel it opened to load and ask for it (capture-note on a closed panel). */
const PENDING_COMMAND_MS = 10_000;

export interface PanelHubDeps {
  panel: BrowserPanel;
  storage: StorageAreaLike;
  snapshot(): Promise<ConnectionSnapshot | null>;
  /** Whether the tab still exists (a panel closed with its tab was not closed by the user). */
  tabExists(tabId: number): Promise<boolean>;
  /** A tab's record changed: passive capture, and what Alt+Shift+E escalates. */
  onPage(tabId: number, view: PageView | null): void;
  /** Injects the content script into a tab again (Headway shown again on a site it was hidden on). */
  reinject(tabId: number): Promise<void>;
  post(port: Port, message: LiveMessage): void;
  now?: () => number;
}

/**
 * The background's side of the side panel: which record each CRM tab shows (tab-pages.ts), which panel watches
 * which tab, the keyboard commands, and the per-site choices (collapsed, hidden). The panel itself is a page of
 * the extension (entrypoints/panel) that renders what it is sent here.
 */
export function createPanelHub(deps: PanelHubDeps) {
  const { panel } = deps;
  const now = deps.now ?? Date.now;
  const watchers = new Map<Port, number>();
  const pending = new Map<number, { command: CommandName; at: number }>();
  const prefs = new Map<string, SitePrefs>();
  // Closes the background makes itself (the tab left the CRM, the site was hidden) are not the user's choice.
  const closingForUs = new Set<number>();
  const prefsLoaded = deps.storage.get(null as unknown as string).then(
    (all) => {
      for (const [key, value] of Object.entries(all)) if (key.startsWith(sitePrefsKey(''))) prefs.set(key.slice(sitePrefsKey('').length), parseSitePrefs(value));
    },
    () => undefined,
  );
  const prefsOf = (origin: string | undefined) => (origin ? (prefs.get(origin) ?? DEFAULT_SITE_PREFS) : DEFAULT_SITE_PREFS);
  function setPrefs(origin: string, change: Partial<SitePrefs>): void {
    const next = { ...prefsOf(origin), ...change };
    prefs.set(origin, next);
    void saveSitePrefs(deps.storage, origin, next).catch(() => undefined);
    for (const tabId of pages.tabIds()) if (pages.origin(tabId) === origin) tellPage(tabId);
  }

  const pages = createTabPages({
    snapshot: deps.snapshot,
    onChange(tabId, view) {
      if (view && !prefsOf(pages.origin(tabId)).hidden) void panel.enable(tabId).catch(() => undefined);
      for (const [port, watched] of watchers) if (watched === tabId) deps.post(port, { type: 'page', tabId, view });
      deps.onPage(tabId, view);
    },
    onLeft(tabId) {
      // The tab went on to a page that is not a CRM's: the panel stands aside there, so that site keeps its width.
      closingForUs.add(tabId);
      void panel.disable(tabId).catch(() => undefined).finally(() => closingForUs.delete(tabId));
    },
  });

  /** Tells a tab's pages whether a click there should open the panel. */
  function tellPage(tabId: number): void {
    const openOnClick = panel.opensFromPage && !panel.isOpen(tabId) && !prefsOf(pages.origin(tabId)).collapsed;
    pages.post(tabId, { type: 'panel', openOnClick });
  }

  panel.onChange((tabId, open) => {
    tellPage(tabId);
    if (open || closingForUs.has(tabId)) return;
    const origin = pages.origin(tabId);
    // Closed by the user (the browser's own close button, say) on a tab that still shows the CRM: remembered for
    // the site, so its record pages stop opening it; a panel closed with its tab says nothing about the site.
    if (origin) void deps.tabExists(tabId).then((exists) => exists && pages.origin(tabId) === origin && setPrefs(origin, { collapsed: true }));
  });

  function deliver(tabId: number, command: CommandName): void {
    const port = [...watchers].find(([, watched]) => watched === tabId)?.[0];
    if (port) deps.post(port, { type: 'command', command });
    else pending.set(tabId, { command, at: now() });
  }

  /** Opens the panel beside the tab; synchronously in a user gesture's handler, before anything is awaited. */
  function open(tabId: number): Promise<boolean> {
    const origin = pages.origin(tabId);
    const opened = panel.open(tabId).then(
      () => true,
      () => false,
    );
    if (origin && prefsOf(origin).collapsed) setPrefs(origin, { collapsed: false });
    return opened;
  }

  return {
    /** A content script's page port. */
    connectPage(port: Port): void {
      pages.connect(port);
      const tabId = port.sender?.tab?.id;
      if (tabId !== undefined) void prefsLoaded.then(() => tellPage(tabId));
    },

    /** A panel's live port said which tab it shows: it gets that tab's record now and whenever it changes. */
    watch(port: Port, tabId: number): void {
      watchers.set(port, tabId);
      port.onDisconnect.addListener(() => watchers.delete(port));
      const view = pages.view(tabId);
      if (view !== undefined) deps.post(port, { type: 'page', tabId, view });
      const waiting = pending.get(tabId);
      pending.delete(tabId);
      if (waiting && now() - waiting.at < PENDING_COMMAND_MS) deps.post(port, { type: 'command', command: waiting.command });
    },

    /**
     * A keyboard command in `tabId`. Called in the command's handler: the panel is opened or closed first, in the
     * same tick, while the browser still counts the key press as a user gesture.
     */
    command(command: CommandName, tabId: number, tabUrl: string | undefined): void {
      if (command === 'toggle-sidebar') {
        if (panel.isOpen(tabId)) void this.close(tabId);
        else void this.openAsked(tabId, tabUrl);
      } else if (command === 'capture-note' && pages.view(tabId) !== undefined) {
        void open(tabId);
        deliver(tabId, command);
      }
    },

    /** Whether the panel can show something beside the tab: a CRM page reported there, or Headway is hidden on its site. */
    async available(tabId: number, tabUrl: string | undefined): Promise<boolean> {
      await prefsLoaded;
      const origin = originOf(tabUrl);
      return pages.view(tabId) !== undefined || Boolean(origin && prefsOf(origin).hidden);
    },

    /**
     * The user asked for the panel beside a tab (Alt+Shift+H, the popup's button); in the gesture's handler. On a
     * CRM tab it opens; on a site where Headway is hidden, Headway comes back there; elsewhere nothing happens.
     */
    openAsked(tabId: number, tabUrl: string | undefined): Promise<boolean> {
      if (pages.view(tabId) !== undefined) return open(tabId);
      const origin = originOf(tabUrl);
      if (!origin || !prefsOf(origin).hidden) return Promise.resolve(false);
      const opened = open(tabId);
      setPrefs(origin, { hidden: false, collapsed: false });
      void deps.reinject(tabId).catch(() => undefined);
      return opened;
    },

    /** A click on a CRM record page. */
    open,

    /** The panel's own close button: closed, and remembered for the site. */
    async close(tabId: number): Promise<boolean> {
      const origin = pages.origin(tabId);
      if (origin) setPrefs(origin, { collapsed: true });
      await panel.close(tabId).catch(() => undefined);
      return true;
    },

    /** Hides Headway on the tab's site: every panel of it closes, every page of it stops. */
    async hideSite(tabId: number): Promise<boolean> {
      const origin = pages.origin(tabId);
      if (!origin) return false;
      setPrefs(origin, { hidden: true });
      for (const other of pages.tabIds()) {
        if (pages.origin(other) !== origin) continue;
        pages.post(other, { type: 'stand-aside' });
        closingForUs.add(other);
        await panel.disable(other).catch(() => undefined);
        closingForUs.delete(other);
        pages.removed(other);
      }
      return true;
    },

    /** Shows Headway again on a site it was hidden on; its open tabs get the content script again. */
    async showSite(origin: string): Promise<boolean> {
      await prefsLoaded;
      if (!prefsOf(origin).hidden) return false;
      setPrefs(origin, { hidden: false });
      return true;
    },

    /** The connection changed: pages re-recognise what they show (new instances, a switched-off adapter). */
    stateChanged(snapshot: ConnectionSnapshot): void {
      pages.post(null, { type: 'state', snapshot });
    },

    tabRemoved(tabId: number): void {
      pending.delete(tabId);
      pages.removed(tabId);
    },
  };
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
