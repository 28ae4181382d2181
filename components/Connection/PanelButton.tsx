import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { openPanelFromPage } from '../../extension/panel/browser-panel';
import { useT } from '../locale';
import { connectionMessages } from './i18n';

/**
 * The toolbar popup's way to the side panel beside the current tab: on a CRM site where the user closed the panel
 * (a click there no longer opens it) or hid Headway, and for anyone who prefers the toolbar to Alt+Shift+H.
 * Shown only where the panel has something to show.
 */
export function PanelButton() {
  const t = useT(connectionMessages);
  const tab = useSignal<{ id: number; url?: string } | null>(null);
  useEffect(() => {
    void (async () => {
      // The last focused browser window: the popup is no window of its own.
      const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
      if (active?.id === undefined) return;
      const answer = (await browser.runtime.sendMessage({ type: 'panel-available', tabId: active.id, url: active.url }).catch(() => null)) as { available?: boolean } | null;
      if (answer?.available) tab.value = { id: active.id, url: active.url };
    })();
  }, []);
  if (!tab.value) return null;
  const { id, url } = tab.value;
  function open(): void {
    // Opened in the click's own handler, before anything is awaited; then the background remembers the choice for
    // the site and brings Headway back on a site it was hidden on.
    const opened = openPanelFromPage(globalThis as Parameters<typeof openPanelFromPage>[0], id).catch(() => undefined);
    void browser.runtime
      .sendMessage({ type: 'open-panel', tabId: id, url })
      .catch(() => undefined)
      .then(() => opened)
      .then(() => window.close());
  }
  return (
    <button type="button" class="hw-button hw-button--secondary hw-button--block" data-testid="open-panel" onClick={open}>
      {t('showBeside')}
    </button>
  );
}
