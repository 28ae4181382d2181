import type { Browser, WxtBrowser } from 'wxt/browser';
import { createSidebarInsight } from '../components/Sidebar/insight';
import { detectRecord } from '../core/crm';
import { createAdapterMissReporter, postAdapterMiss } from './adapter-health';
import { createConnection } from './connection';
import { answerPageApi } from './page-api-handler';
import { syncCrmContentScript } from './content-scripts';
import { startSync } from './sync/background-sync';
import { createEscalationRequests } from './escalation/background';
import { CONTENT_ESCALATION_TYPES, ESCALATION_REQUEST_TYPES, type EscalationRequest } from './escalation/messages';
import { createSnapshotCache } from './snapshot-cache';
import { BackgroundRequest, LIVE_PORT, type BackgroundFailure, type CommandName, type ConnectionSnapshot, type LiveMessage } from './messages';

const REFRESH_ALARM = 'headway-refresh-config';
const REFRESH_MINUTES = 5;
/** While a sidebar is open, a stopped server should show as offline within a few seconds. */
export const HEARTBEAT_MS = 3000;
const HEARTBEAT_TIMEOUT_MS = 2500;

/** Requests that change the connection; only extension pages (options, popup) may send them, never a content script. */
const PRIVILEGED = new Set<BackgroundRequest['type']>(['connect', 'disconnect', 'api-get', 'api-post']);

/** A content script runs beside an untrusted page, so it may read the state but never change the connection. */
export function senderMay(type: BackgroundRequest['type'], senderUrl: string | undefined, extensionBaseUrl: string): boolean {
  if (!PRIVILEGED.has(type) && !(ESCALATION_REQUEST_TYPES.has(type) && !CONTENT_ESCALATION_TYPES.has(type))) return true;
  // A prefix, not URL.origin: for chrome-extension:// and moz-extension:// URLs, origin is "null" outside the browser.
  const base = extensionBaseUrl.endsWith('/') ? extensionBaseUrl : `${extensionBaseUrl}/`;
  return senderUrl !== undefined && senderUrl.startsWith(base);
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
    void cacheSnapshot(snapshot);
    broadcast({ type: 'state', snapshot });
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

  async function syncRegistration(snapshot?: ConnectionSnapshot): Promise<void> {
    const instances = (snapshot ?? (await connection.snapshot())).instances;
    registeredFor = JSON.stringify(instances);
    await syncCrmContentScript(browser, instances).catch((error: unknown) => console.warn('Headway: content script registration failed', error));
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

  // Owner, load and plan lines for sidebars, worded here so the content script stays small.
  const insight = createSidebarInsight({ session: () => connection.session() });

  async function handle(request: BackgroundRequest, sender?: Browser.runtime.MessageSender): Promise<unknown> {
    if (request.type === 'page-record' && sender?.tab?.id !== undefined) void escalations.rememberPage(sender.tab.id, request);
    if (sync.handles(request)) return sync.handle(request);
    if (ESCALATION_REQUEST_TYPES.has(request.type)) return escalations.handle(request as EscalationRequest);
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
      case 'permissions-changed': {
        const snapshot = await connection.snapshot();
        await syncRegistration(snapshot);
        return snapshot;
      }
      case 'open-options':
        await browser.runtime.openOptionsPage();
        return { opened: true };
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
    }
  }

  const extensionBaseUrl = browser.runtime.getURL('/');

  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.runtime.MessageSender) => {
    const parsed = BackgroundRequest.safeParse(message);
    if (!parsed.success) return Promise.resolve<BackgroundFailure>({ failure: 'Headway did not understand that request.' });
    if (!senderMay(parsed.data.type, sender.url, extensionBaseUrl)) {
      return Promise.resolve<BackgroundFailure>({ failure: 'Only Headway’s own pages may change the connection or read the server directly.' });
    }
    return handle(parsed.data, sender).catch((error: unknown): BackgroundFailure => {
      console.error('Headway background request failed', error);
      return { failure: 'Headway hit an unexpected problem. Try again.' };
    });
  });

  function beat(): void {
    void heartbeatConnection.check().catch(() => undefined);
  }

  let pageRefresh: Promise<unknown> | null = null;
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== LIVE_PORT) return;
    ports.add(port);
    port.onDisconnect.addListener(() => {
      ports.delete(port);
      if (ports.size === 0 && heartbeat !== undefined) {
        clearInterval(heartbeat);
        heartbeat = undefined;
      }
    });
    void connection.snapshot().then((snapshot) => {
      void cacheSnapshot(snapshot);
      post(port, { type: 'state', snapshot });
    });
    sync.portConnected((summary) => post(port, { type: 'sync', sync: summary }));
    // A page (re)load re-reads the workspace config, so an adapter the admin just switched off is off there;
    // the frames of one page connect together and share one read.
    pageRefresh ??= connection
      .refresh()
      .catch(() => undefined)
      .finally(() => (pageRefresh = null));
    heartbeat ??= setInterval(beat, HEARTBEAT_MS);
  });

  browser.commands.onCommand.addListener((command: string, tab?: Browser.tabs.Tab) => {
    void forwardCommand(command, tab);
  });

  async function forwardCommand(command: string, tab?: Browser.tabs.Tab): Promise<void> {
    if (!['toggle-sidebar', 'capture-note', 'escalate'].includes(command)) return;
    const tabId = tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
    if (tabId === undefined) return;
    if (command === 'escalate') void escalations.escalateTab(tabId);
    for (const port of ports) {
      if (port.sender?.tab?.id === tabId) post(port, { type: 'command', command: command as CommandName });
    }
  }

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REFRESH_ALARM) void refreshAndRegister();
  });
  browser.runtime.onStartup.addListener(() => void refreshAndRegister());
  browser.runtime.onInstalled.addListener(() => void refreshAndRegister());
  // A grant from the options page, or a host the user withheld in the browser's own settings.
  browser.permissions.onAdded.addListener(() => void syncRegistration());
  browser.permissions.onRemoved.addListener(() => void syncRegistration());

  // After an update the cache may predate this version, or be missing: rewrite it from the stored session.
  void connection.snapshot().then(cacheSnapshot, () => undefined);

  void browser.alarms.get(REFRESH_ALARM).then((existing) => {
    if (!existing) void browser.alarms.create(REFRESH_ALARM, { periodInMinutes: REFRESH_MINUTES });
  });
}
