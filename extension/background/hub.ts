import type { Browser, WxtBrowser } from 'wxt/browser';
import { createSidebarInsight } from './insight/sidebar-insight';
import { detectRecord, recordRefOf } from '../../core/crm';
import { createAdapterMissReporter, postAdapterMiss } from './adapter-health';
import { createConnection } from './connection';
import { answerPageApi } from './page-api-handler';
import { CRM_SCRIPT_FILE, framePatterns, syncCrmContentScript } from './content-scripts';
import { catchUpOpenTabs, LateLoads } from './content-script-catch-up';
import { chromiumSidePanel, firefoxSidebar, type BrowserPanel } from '../panel/browser-panel';
import { rememberView } from '../panel/last-view';
import { createPanelHub } from '../panel/panel-hub';
import { PAGE_PORT } from '../protocol';
import { clientSays, followReader } from '../reader-language';
import { startSync } from './sync/background-sync';
import { createEscalationRequests } from './escalation/requests';
import { ESCALATION_MESSAGES, type EscalationRequest } from '../escalation/messages';
import { SYNC_MESSAGES, type SyncRequest } from '../sync/messages';
import { createSnapshotCache } from '../snapshot-cache';
import { BackgroundRequest, CommandName, LIVE_PORT, MESSAGES, PanelWatch, type BackgroundFailure, type ConnectionSnapshot, type LiveMessage, type MessageType } from '../messages';

const REFRESH_ALARM = 'headway-refresh-config';
const REFRESH_MINUTES = 5;
/** While a sidebar is open, a stopped server should show as offline within a few seconds. */
export const HEARTBEAT_MS = 3000;
const HEARTBEAT_TIMEOUT_MS = 2500;

/** Whether the sender is one of Headway's own pages; a prefix, not URL.origin, which is "null" for extension URLs outside the browser. */
function fromExtensionPage(senderUrl: string | undefined, extensionBaseUrl: string): boolean {
  const base = extensionBaseUrl.endsWith('/') ? extensionBaseUrl : `${extensionBaseUrl}/`;
  return senderUrl !== undefined && senderUrl.startsWith(base);
}

/**
 * Who may send a request is the message table's word (extension/messages.ts MESSAGES, `from`): a content script runs
 * beside an untrusted page, so it may read the state but never change the connection.
 */
export function senderMay(type: MessageType, senderUrl: string | undefined, extensionBaseUrl: string): boolean {
  return MESSAGES[type].from === 'any' || fromExtensionPage(senderUrl, extensionBaseUrl);
}

const isSyncRequest = (request: BackgroundRequest): request is SyncRequest => Object.hasOwn(SYNC_MESSAGES, request.type);
const isEscalationRequest = (request: BackgroundRequest): request is EscalationRequest => Object.hasOwn(ESCALATION_MESSAGES, request.type);
function unhandled(request: never): never {
  throw new Error(`no handler for ${(request as { type: string }).type}`);
}

/**
 * The background's whole job, wired to the browser: the messaging hub, live ports with heartbeat, alarms,
 * commands and content-script registration. entrypoints/background.ts only calls this.
 */
export function startBackground(browser: WxtBrowser, deviceName: string): void {
  const ports = new Set<Browser.runtime.Port>();
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  // Sidebars paint their first frame from this copy instead of waiting for this worker (snapshot-cache.ts).
  const cacheSnapshot = createSnapshotCache(browser.storage.local);
  let registeredFor: string | null = null;
  function onChange(snapshot: ConnectionSnapshot): void {
    followReader(snapshot);
    void cacheSnapshot(snapshot);
    // Disconnect keeps nothing of the workspace, the sidebar's last-known figures included.
    if (snapshot.state === 'unpaired') void insight.forget();
    broadcast({ type: 'state', snapshot });
    panels.stateChanged(snapshot);
    sync.connectionChanged(snapshot);
    // Whichever call noticed new instances (a heartbeat back from offline, say), the registration follows.
    const instances = JSON.stringify(snapshot.instances);
    if (registeredFor !== null && instances !== registeredFor) void syncRegistration(snapshot);
  }

  const connection = createConnection({ storage: browser.storage.local, deviceName, timeoutMs: 8000, onChange });
  // The heartbeat gets a shorter timeout so "offline" shows quickly; pairing and config get a patient one.
  const heartbeatConnection = createConnection({ storage: browser.storage.local, deviceName, timeoutMs: HEARTBEAT_TIMEOUT_MS, onChange });

  function post(port: Browser.runtime.Port, message: LiveMessage): void {
    try {
      port.postMessage(message);
    } catch {
      ports.delete(port); // the tab went away between our check and the post
    }
  }

  function broadcast(message: LiveMessage): void {
    for (const port of ports) post(port, message);
  }

  const lateLoads = new LateLoads();
  async function syncRegistration(snapshot?: ConnectionSnapshot): Promise<void> {
    const instances = (snapshot ?? (await connection.snapshot())).instances;
    registeredFor = JSON.stringify(instances);
    const granted = await syncCrmContentScript(browser, instances).catch((error: unknown) => {
      console.warn('Headway: content script registration failed', error);
      return [];
    });
    // Tabs opened before the registration existed (the first second after a browser start) catch up now. On a site
    // where Headway is hidden the script stops at once, as it does on a page load there.
    const frames = framePatterns(instances);
    lateLoads.arm(granted, frames);
    await catchUpOpenTabs(browser, granted, frames);
  }

  async function refreshAndRegister(): Promise<ConnectionSnapshot> {
    const snapshot = await connection.refresh();
    await syncRegistration(snapshot);
    return snapshot;
  }

  // Notes, outbox and sync status; its summaries go to every open sidebar.
  const sync = startSync(browser, (summary) => {
    broadcast({ type: 'sync', sync: summary });
    escalations.afterSync();
  });
  const escalations = createEscalationRequests({
    browser,
    session: () => connection.session(),
    runner: sync.runner,
    storage: browser.storage.local,
    tabStorage: browser.storage.session ?? browser.storage.local,
    badge: sync.badge,
  });

  const adapterMisses = createAdapterMissReporter({
    storage: browser.storage.local,
    async send(report) {
      const session = await connection.session();
      if (!session || session.state === 'unauthorized') throw new Error('not connected');
      await postAdapterMiss(session, report);
    },
  });

  // Owner, load and plan lines for the side panel, worded here.
  const insight = createSidebarInsight({ session: () => connection.session(), storage: browser.storage.local });

  // The side panel beside each CRM tab, and which record each tab shows.
  const sidePanel = (globalThis as { chrome?: { sidePanel?: Parameters<typeof chromiumSidePanel>[0] } }).chrome?.sidePanel;
  const sidebarAction = (browser as unknown as { sidebarAction?: Parameters<typeof firefoxSidebar>[0] }).sidebarAction;
  const browserPanel: BrowserPanel = sidePanel ? chromiumSidePanel(sidePanel) : firefoxSidebar(sidebarAction!);
  const panels = createPanelHub({
    panel: browserPanel,
    storage: browser.storage.local,
    snapshot: () => connection.snapshot(),
    tabExists: (tabId) => browser.tabs.get(tabId).then(() => true, () => false),
    onPage(tabId, view) {
      void rememberView(browser.storage.session, tabId, view);
      const record = view && !view.disabledReason ? recordRefOf(view.detected) : null;
      if (!view || !record) return;
      // What Alt+Shift+E escalates in this tab, and passive capture of what the page shows.
      void escalations.rememberPage(tabId, { record, fields: view.fields, url: view.href });
      if (Object.keys(view.fields).length > 0) void sync.handle({ type: 'page-record', record, fields: view.fields, url: view.href }).catch(() => undefined);
    },
    async reinject(tabId) {
      await browser.scripting.executeScript({ target: { tabId }, files: [`/${CRM_SCRIPT_FILE}` as "/content-scripts/crm.js"] });
    },
    post,
  });

  async function handle(request: BackgroundRequest, sender?: Browser.runtime.MessageSender): Promise<unknown> {
    if (isSyncRequest(request)) return sync.handle(request);
    if (isEscalationRequest(request)) return escalations.handle(request);
    switch (request.type) {
      case 'get-state':
        return connection.snapshot();
      case 'connect': {
        const result = await connection.connect(request.serverUrl, request.code);
        if (result.ok) await syncRegistration(result.snapshot);
        return result;
      }
      case 'disconnect': {
        const snapshot = await connection.disconnect();
        // Disconnect answers once nothing of the session is left in storage, its cached snapshot included.
        await cacheSnapshot(snapshot);
        await syncRegistration(snapshot);
        return snapshot;
      }
      case 'refresh':
        return refreshAndRegister();
      case 'set-locale':
        return connection.setLocale(request.locale);
      case 'permissions-changed': {
        const snapshot = await connection.snapshot();
        await syncRegistration(snapshot);
        return snapshot;
      }
      case 'open-options':
        await browser.runtime.openOptionsPage();
        return { opened: true };
      case 'open-panel': {
        // A content script opens its own tab's panel; only an extension page (the popup) names another tab. (A
        // popup shown in a tab of its own has a sender tab too: the extension page's own, never the CRM's.)
        // Nothing is awaited before the panel opens: the gesture the message carries lasts only this tick.
        const fromPage = fromExtensionPage(sender?.url, extensionBaseUrl);
        if (!fromPage && sender?.tab?.id !== undefined) return { opened: await panels.open(sender.tab.id) };
        if (request.tabId === undefined || !fromPage) return { opened: false };
        return { opened: await panels.openAsked(request.tabId, request.url) };
      }
      case 'panel-available':
        return { available: await panels.available(request.tabId, request.url) };
      case 'panel-close':
        return { closed: await panels.close(request.tabId) };
      case 'site-hide':
        return { hidden: await panels.hideSite(request.tabId) };
      case 'site-show':
        return { shown: await panels.showSite(request.origin) };
      case 'api-get':
      case 'api-post':
        return answerPageApi(connection, request);
      case 'sidebar-insight':
        return insight.answer(request);
      case 'adapter-miss': {
        // Only a content script in a CRM tab reports, and the origin is the frame's own, not one the message names.
        const snapshot = await connection.snapshot();
        const page = sender?.tab && sender.url ? detectRecord(sender.url, { instances: snapshot.instances }) : null;
        if (!page || page.crm !== request.crm || snapshot.state === 'unpaired') return { outcome: 'ignored' };
        const origin = new URL(sender!.url!).origin;
        return { outcome: await adapterMisses.report({ crm: request.crm, origin, recordType: request.recordType }) };
      }
      default:
        // Every type of the message table has its case: a new one fails the compile here until it is handled.
        return unhandled(request);
    }
  }

  const extensionBaseUrl = browser.runtime.getURL('/');

  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.runtime.MessageSender) => {
    const parsed = BackgroundRequest.safeParse(message);
    if (!parsed.success) return Promise.resolve<BackgroundFailure>({ failure: clientSays('requestUnclear') });
    if (!senderMay(parsed.data.type, sender.url, extensionBaseUrl)) {
      return Promise.resolve<BackgroundFailure>({ failure: clientSays('pagesOnly') });
    }
    return handle(parsed.data, sender).catch((error: unknown): BackgroundFailure => {
      console.error('Headway background request failed', error);
      return { failure: clientSays('unexpected') };
    });
  });

  function beat(): void {
    void heartbeatConnection.check().catch(() => undefined);
  }

  let pageRefresh: Promise<unknown> | null = null;
  browser.runtime.onConnect.addListener((port) => {
    if (port.name === PAGE_PORT) {
      panels.connectPage(port);
      // A page (re)load re-reads the workspace config, so an adapter the admin just switched off is off there;
      // the frames of one page connect together and share one read.
      pageRefresh ??= connection
        .refresh()
        .catch(() => undefined)
        .finally(() => (pageRefresh = null));
      return;
    }
    if (port.name !== LIVE_PORT) return;
    // Extension pages only: a content script's live port would see every tab's record.
    if (!fromExtensionPage(port.sender?.url, extensionBaseUrl)) return void port.disconnect();
    ports.add(port);
    port.onMessage.addListener((message: unknown) => {
      const watch = PanelWatch.safeParse(message);
      if (watch.success) panels.watch(port, watch.data.tabId);
    });
    port.onDisconnect.addListener(() => {
      ports.delete(port);
      if (ports.size === 0 && heartbeat !== undefined) {
        clearInterval(heartbeat);
        heartbeat = undefined;
      }
    });
    void connection.snapshot().then((snapshot) => {
      void cacheSnapshot(snapshot);
    // Disconnect keeps nothing of the workspace, the sidebar's last-known figures included.
    if (snapshot.state === 'unpaired') void insight.forget();
      post(port, { type: 'state', snapshot });
    });
    sync.portConnected((summary) => post(port, { type: 'sync', sync: summary }));
    heartbeat ??= setInterval(beat, HEARTBEAT_MS);
  });

  // Commands arrive with their tab. The panel opens or closes in this very handler, before anything is awaited:
  // the browser honours the key press as a user gesture only there.
  browser.commands.onCommand.addListener((name: string, tab?: Browser.tabs.Tab) => {
    const command = CommandName.safeParse(name);
    if (!command.success || tab?.id === undefined) return;
    if (command.data === 'escalate') void escalations.escalateTab(tab.id);
    else panels.command(command.data, tab.id, tab.url);
  });
  browser.tabs.onRemoved.addListener((tabId: number) => panels.tabRemoved(tabId));
  // Tabs that were still loading while the open ones caught up (content-script-catch-up.ts, LateLoads).
  browser.tabs.onUpdated.addListener((tabId: number, change: Browser.tabs.OnUpdatedInfo) => {
    if (change.status === 'complete') void lateLoads.loaded(browser, tabId);
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REFRESH_ALARM) void refreshAndRegister();
  });
  // At a browser start or an install the registration is made again at once from the stored session (Chromium may
  // have dropped it), and only then is the server asked what changed: CRM tabs open now must not wait for it.
  const startAndRegister = () => void syncRegistration().finally(() => void refreshAndRegister());
  browser.runtime.onStartup.addListener(startAndRegister);
  browser.runtime.onInstalled.addListener(({ reason }) => {
    startAndRegister();
    // A new user lands where they pair (README, "Load the extension and connect it"); an update or a browser
    // update leaves their tabs alone.
    if (reason === 'install') void browser.runtime.openOptionsPage().catch(() => undefined);
  });
  // A grant from the options page, or a host the user withheld in the browser's own settings.
  browser.permissions.onAdded.addListener(() => void syncRegistration());
  browser.permissions.onRemoved.addListener(() => void syncRegistration());

  // After an update the cache may predate this version, or be missing: rewrite it from the stored session. The
  // background's own texts follow the stored user's language from here on (reader-language.ts).
  void connection.snapshot().then((snapshot) => {
    followReader(snapshot);
    return cacheSnapshot(snapshot);
  }, () => undefined);

  void browser.alarms.get(REFRESH_ALARM).then((existing) => {
    if (!existing) void browser.alarms.create(REFRESH_ALARM, { periodInMinutes: REFRESH_MINUTES });
  });
}
