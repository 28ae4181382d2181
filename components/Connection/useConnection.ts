import { useSignal, type Signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { askBackground } from '../../extension/client';
import { openLivePort } from '../../extension/live-port';
import { LiveMessage, type ConnectionSnapshot } from '../../extension/messages';

/** The live connection state for an extension page: asked once, then pushed by the background (which broadcasts refreshes). */
export function useConnectionSnapshot({ refresh = false } = {}): { snapshot: Signal<ConnectionSnapshot | null>; problem: Signal<string | null> } {
  const snapshot = useSignal<ConnectionSnapshot | null>(null);
  const problem = useSignal<string | null>(null);
  useEffect(() => {
    askBackground(browser, { type: 'get-state' }).then(
      (answer) => {
        snapshot.value = answer;
        // The options page shows instances and grants: make them current rather than up to 5 minutes old.
        if (refresh && answer.state !== 'unpaired') void askBackground(browser, { type: 'refresh' }).catch(() => undefined);
      },
      (error: Error) => (problem.value = error.message),
    );
    return openLivePort(browser, (message): message is LiveMessage => LiveMessage.safeParse(message).success, (message) => {
      if (message.type === 'state') snapshot.value = message.snapshot;
    });
  }, []);
  return { snapshot, problem };
}
