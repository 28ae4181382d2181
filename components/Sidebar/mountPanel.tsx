import { effect, signal } from '@preact/signals';
import { render, type ComponentChildren } from 'preact';
import { LocaleContext, pageLocale } from '../locale';
import { browser } from 'wxt/browser';
import { openOptionsLite } from '../../extension/content-client';
import { openLivePort } from '../../extension/live-port';
import type { ConnectionSnapshot, PageView } from '../../extension/messages';
import { looksLikeLiveMessage } from '../../extension/protocol';
import { readLastView } from '../../extension/panel/last-view';
import { readCachedSnapshot } from '../../extension/snapshot-cache';
import type { SyncSummary } from '../../extension/sync/messages';
import { followPanelTab } from './panelTab';
import { loadShortcuts } from './shortcuts';
import { Sidebar } from './Sidebar';

interface ChromiumSidePanel {
  getLayout?(): Promise<{ side: 'left' | 'right' }>;
}

/**
 * The side panel page: it shows the record its tab's content script reported, as the background routes it here
 * (extension/panel/panel-hub.ts). Its first frame paints the record as soon as it has one — the tab's last record
 * read from session storage, or the background's answer to the live port's `watch`, whichever comes first — and
 * marks `headway:painted` then (npm run bench times it from the panel's navigation start); the rest of the panel
 * renders in the task after that frame. No zod here: it is the panel's largest import, and every
 * message comes from the background, which parsed it.
 */
export function mountPanel(root: HTMLElement): void {
  const view = signal<PageView | null | undefined>(undefined);
  const snapshot = signal<ConnectionSnapshot | null>(null);
  const sync = signal<SyncSummary | null>(null);
  const captureWanted = signal(false);
  const complete = signal(false);
  const side = signal<'left' | 'right' | null>(null);
  let tabId: number | null = null;

  void readCachedSnapshot(browser.storage.local).then((cached) => (snapshot.value ??= cached));
  void loadShortcuts(browser);
  const sidePanel = (globalThis as { chrome?: { sidePanel?: ChromiumSidePanel } }).chrome?.sidePanel;
  void sidePanel?.getLayout?.().then((layout) => (side.value = layout.side), () => undefined);

  function paintedThenComplete(): void {
    if (complete.peek()) return;
    // Asked before rendering the record, so it runs right after the frame that paints it. A timer queued from a
    // frame callback runs once that frame is painted.
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark('headway:painted');
        complete.value = true;
      }),
    );
  }

  const port = openLivePort(
    browser,
    looksLikeLiveMessage,
    (message) => {
      if (message.type === 'state') snapshot.value = message.snapshot;
      else if (message.type === 'sync') sync.value = message.sync;
      else if (message.type === 'page') {
        if (message.tabId === tabId) show(message.view);
      } else if (message.type === 'command' && message.command === 'capture-note') captureWanted.value = true;
    },
    () => (tabId === null ? null : { type: 'watch', tabId }),
  );

  // The page message's own effect, whether the live port brings the view or the tab's last one is read first.
  function show(next: PageView | null): void {
    if (next && !complete.peek()) paintedThenComplete();
    if (JSON.stringify(next) !== JSON.stringify(view.peek())) view.value = next;
  }

  void followPanelTab(browser, location.search, (next) => {
    if (next === tabId) return;
    tabId = next;
    view.value = undefined;
    port.post({ type: 'watch', tabId: next });
    // Painted from the tab's last record without waiting for the service worker's answer (extension/panel/last-view.ts).
    void readLastView(browser.storage.session, next).then((last) => {
      if (last && tabId === next && view.peek() === undefined) show(last);
    });
  });

  const firefoxSidebar = (browser as unknown as { sidebarAction?: { close(): Promise<void> } }).sidebarAction;
  // The signed-in user's language once the snapshot names it (the cached one comes first), the browser's until then.
  // The document says it too: screen readers follow it, and so does the panel's "background not answering" message
  // (extension/background-answer/silence.ts), which has no snapshot to ask.
  effect(() => {
    document.documentElement.lang = pageLocale(snapshot.value?.user?.locale);
  });
  const PanelLocale = ({ children }: { children: ComponentChildren }) => (
    <LocaleContext.Provider value={pageLocale(snapshot.value?.user?.locale)}>{children}</LocaleContext.Provider>
  );
  render(
    <PanelLocale>
    <Sidebar
      view={view}
      complete={complete}
      snapshot={snapshot}
      sync={sync}
      captureWanted={captureWanted}
      side={side}
      onClose={() => {
        // Firefox closes its sidebar only from the click's own handler; Chromium's panel closes per tab.
        if (firefoxSidebar) void firefoxSidebar.close();
        else if (tabId !== null) void browser.runtime.sendMessage({ type: 'panel-close', tabId }).catch(() => undefined);
      }}
      onHideSite={() => tabId !== null && void browser.runtime.sendMessage({ type: 'site-hide', tabId }).catch(() => undefined)}
      onChangeSide={sidePanel ? () => void browser.tabs.create({ url: 'chrome://settings/appearance' }) : null}
      onOpenOptions={() => openOptionsLite(browser)}
    />
    </PanelLocale>,
    root,
  );
}
