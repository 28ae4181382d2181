// Imported first by the content script: `npm run bench` times from here, before the rest of the bundle runs (its
// modules' top-level code included), not from inside main(). A user-timing mark, visible to the page and DevTools.
import { browser } from 'wxt/browser';
import { readFirstState, type FirstState } from '../../extension/snapshot-cache';

performance.mark('headway:start');

/** Started before the rest of the bundle runs, so the storage round trip overlaps its start-up. */
export const firstState: Promise<FirstState> = readFirstState(browser.storage.local, location.origin);
