/**
 * The browser's own side panel, where Headway shows the record beside the CRM. It narrows the CRM's real
 * viewport, so the CRM's media queries, fixed headers and side menus lay out as the CRM intends, and a CRM that
 * re-renders <body> cannot remove it (README: "Where this departs from DESIGN.md").
 * - Chromium (`chrome.sidePanel`): one panel per CRM tab, `panel.html?tab=<id>`, enabled only on tabs whose content
 *   script reported a CRM page, so no other site is narrowed. It follows its tab's navigations.
 * - Firefox (`sidebar_action`): one sidebar per window that shows the active tab's record (panel.html without a
 *   tab); the browser remembers whether it is open, and it opens at install.
 * Browsers only open a panel in answer to a user gesture: `open` must be called in the gesture's handler before
 * anything is awaited.
 */
export interface BrowserPanel {
  /** A click on the CRM page may open the panel (Chromium honours the gesture a content script's message carries). */
  readonly opensFromPage: boolean;
  /** The panel may be shown beside this tab; idempotent (the same options again do not reload an open panel). */
  enable(tabId: number): Promise<void>;
  /** No panel beside this tab any more (it left the CRM, or Headway is hidden on its site); closes an open one. */
  disable(tabId: number): Promise<void>;
  /** Call synchronously in a user gesture's handler. Enables the tab first, in the same tick. */
  open(tabId: number): Promise<void>;
  close(tabId: number): Promise<void>;
  /** Opens a closed panel and closes an open one; synchronously in a user gesture's handler. */
  toggle(tabId: number): Promise<'opened' | 'closed'>;
  isOpen(tabId: number): boolean;
  /** The panel beside `tabId` opened or closed, whoever did it (the browser's own close button included). */
  onChange(listener: (tabId: number, open: boolean) => void): void;
}

/** The path of the panel page for one tab; the panel reads its tab from it. */
export const panelPath = (tabId: number) => `panel.html?tab=${tabId}`;

interface SidePanelApi {
  setOptions(options: { tabId?: number; path?: string; enabled?: boolean }): Promise<void>;
  open(options: { tabId?: number; windowId?: number }): Promise<void>;
  close?(options: { tabId?: number; windowId?: number }): Promise<void>;
  onOpened?: { addListener(listener: (info: { tabId?: number; windowId: number }) => void): void };
  onClosed?: { addListener(listener: (info: { tabId?: number; windowId: number }) => void): void };
}

interface SidebarActionApi {
  open(): Promise<void>;
  close(): Promise<void>;
  toggle?(): Promise<void>;
  isOpen(details: object): Promise<boolean>;
}

/**
 * Opens the panel beside `tabId` from an extension page's click handler (the toolbar popup), in that same tick.
 * Chromium does not carry an extension page's gesture through a message to the worker (the worker's open() then
 * resolves without opening anything), so the page opens the panel itself and tells the background afterwards.
 */
export function openPanelFromPage(scope: { chrome?: { sidePanel?: SidePanelApi }; browser?: { sidebarAction?: SidebarActionApi } }, tabId: number): Promise<void> {
  const sidePanel = scope.chrome?.sidePanel;
  if (sidePanel) {
    void sidePanel.setOptions({ tabId, path: panelPath(tabId), enabled: true }).catch(() => undefined);
    return sidePanel.open({ tabId });
  }
  return scope.browser?.sidebarAction?.open() ?? Promise.resolve();
}

export function chromiumSidePanel(sidePanel: SidePanelApi): BrowserPanel {
  const open = new Set<number>();
  const listeners: ((tabId: number, open: boolean) => void)[] = [];
  const changed = (tabId: number, isOpen: boolean) => {
    if (open.has(tabId) === isOpen) return;
    if (isOpen) open.add(tabId);
    else open.delete(tabId);
    for (const listener of listeners) listener(tabId, isOpen);
  };
  sidePanel.onOpened?.addListener(({ tabId }) => tabId !== undefined && changed(tabId, true));
  sidePanel.onClosed?.addListener(({ tabId }) => tabId !== undefined && changed(tabId, false));
  const enable = (tabId: number) => sidePanel.setOptions({ tabId, path: panelPath(tabId), enabled: true });
  const panel: BrowserPanel = {
    opensFromPage: true,
    enable,
    async disable(tabId) {
      await sidePanel.setOptions({ tabId, enabled: false });
      changed(tabId, false);
    },
    open(tabId) {
      // Both calls in this tick: the browser takes them in order, and the gesture is still there for open().
      void enable(tabId).catch(() => undefined);
      return sidePanel.open({ tabId }).then(() => changed(tabId, true));
    },
    async close(tabId) {
      // sidePanel.close arrived in Chrome 141; before it, disabling and enabling again closes the panel.
      if (sidePanel.close) await sidePanel.close({ tabId });
      else await sidePanel.setOptions({ tabId, enabled: false }).then(() => enable(tabId));
      changed(tabId, false);
    },
    async toggle(tabId) {
      if (open.has(tabId)) {
        await panel.close(tabId);
        return 'closed';
      }
      await panel.open(tabId);
      return 'opened';
    },
    isOpen: (tabId) => open.has(tabId),
    onChange: (listener) => void listeners.push(listener),
  };
  return panel;
}

/**
 * Firefox's sidebar is one per window and follows the active tab; it cannot be opened from a page's click, only
 * from a shortcut, the toolbar or the View menu, and the browser itself remembers whether it is open.
 */
export function firefoxSidebar(sidebarAction: SidebarActionApi): BrowserPanel {
  const listeners: ((tabId: number, open: boolean) => void)[] = [];
  let openNow = false;
  const refresh = (tabId: number) =>
    void sidebarAction.isOpen({}).then((isOpen) => {
      if (isOpen === openNow) return;
      openNow = isOpen;
      for (const listener of listeners) listener(tabId, isOpen);
    }, () => undefined);
  return {
    opensFromPage: false,
    enable: async () => undefined,
    disable: async () => undefined,
    open: (tabId) => sidebarAction.open().finally(() => refresh(tabId)),
    close: (tabId) => sidebarAction.close().finally(() => refresh(tabId)),
    async toggle(tabId) {
      await (sidebarAction.toggle ? sidebarAction.toggle() : openNow ? sidebarAction.close() : sidebarAction.open());
      refresh(tabId);
      return (await sidebarAction.isOpen({})) ? 'opened' : 'closed';
    },
    isOpen: () => openNow,
    onChange: (listener) => void listeners.push(listener),
  };
}
