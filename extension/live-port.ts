import type { Browser, WxtBrowser } from 'wxt/browser';
import type { LiveMessage } from './messages';
import { LIVE_PORT } from './protocol';

/**
 * Keeps a live port to the background open and reopens it when MV3 restarts the worker.
 * `accept` checks each message (zod in extension pages, a structural check in the content script).
 * Returns a function that closes it for good.
 */
export function openLivePort(
  browser: Pick<WxtBrowser, 'runtime'>,
  accept: (message: unknown) => message is LiveMessage,
  onMessage: (message: LiveMessage) => void,
): () => void {
  let port: Browser.runtime.Port | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  function connect(): void {
    if (closed) return;
    try {
      port = browser.runtime.connect({ name: LIVE_PORT });
    } catch {
      // The extension was reloaded or removed: this page's connection is gone for good.
      return;
    }
    port.onMessage.addListener((message: unknown) => {
      if (accept(message)) onMessage(message);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      if (!closed) retry = setTimeout(connect, 1000);
    });
  }

  connect();
  return () => {
    closed = true;
    clearTimeout(retry);
    port?.disconnect();
  };
}
