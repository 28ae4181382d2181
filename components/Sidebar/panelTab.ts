import type { WxtBrowser } from 'wxt/browser';

/**
 * Which tab a side panel shows. Chromium opens one panel per CRM tab and names the tab in the panel's URL
 * (extension/panel/browser-panel.ts, panelPath). Firefox has one sidebar per window: it shows the window's active
 * tab and follows it. Calls `onTab` with the tab now and, in Firefox, whenever another tab becomes active.
 */
export async function followPanelTab(browser: Pick<WxtBrowser, 'tabs' | 'windows'>, search: string, onTab: (tabId: number) => void): Promise<void> {
  const named = Number(new URLSearchParams(search).get('tab'));
  if (Number.isInteger(named) && named > 0) return onTab(named);
  const window = await browser.windows.getCurrent();
  browser.tabs.onActivated.addListener(({ tabId, windowId }) => {
    if (windowId === window.id) onTab(tabId);
  });
  const [active] = await browser.tabs.query({ active: true, windowId: window.id });
  if (active?.id !== undefined) onTab(active.id);
}
