import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ESCALATIONS_CHANGED } from '../../extension/escalation/messages';

/** Several changes arrive together after one pull; one reload answers them all. */
const SETTLE_MS = 150;

/**
 * Calls `onChange` when the background says escalations arrived or changed (after a pull, an answer, a join), so an
 * open page follows without a reload and without asking the server on a timer of its own.
 */
export function useEscalationChanges(onChange: () => void): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener = (message: unknown) => {
      if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== ESCALATIONS_CHANGED) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, SETTLE_MS);
      // No answer: returning nothing leaves the message to whoever else listens.
    };
    browser.runtime.onMessage.addListener(listener);
    return () => {
      clearTimeout(timer);
      browser.runtime.onMessage.removeListener(listener);
    };
  }, []);
}
