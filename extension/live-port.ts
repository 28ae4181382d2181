import type { Browser, WxtBrowser } from 'wxt/browser';
import type { LiveMessage } from './messages';
import { LIVE_PORT } from './protocol';

/** Closes the port for good when called; `post` sends on it while it is open. */
export type LivePort = (() => void) & { post(message: object): void };

/**
 * Keeps a live port to the background open and reopens it when MV3 restarts the worker.
 * `accept` checks each message (zod in most extension pages, a structural check in the side panel).
 * `hello` is posted on every (re)connect: the side panel says there which tab it shows.
 * Returns a function that closes it for good.
 */
export function openLivePort(
  browser: Pick<WxtBrowser, 'runtime'>,
  accept: (message: unknown) => message is LiveMessage,
  onMessage: (message: LiveMessage) => void,
  hello?: () => object | null,
): LivePort {
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
    const first = hello?.();
    if (first) port.postMessage(first);
  }

  connect();
  const close = () => {
    closed = true;
    clearTimeout(retry);
    port?.disconnect();
  };
  return Object.assign(close, {
    /** Posts to the background now, if the port is open (a reconnect posts `hello` again anyway). */
    post(message: object) {
      try {
        port?.postMessage(message);
      } catch {
        // closing; the reconnect says hello again
      }
    },
  });
}
