import type { Browser } from 'webextension-polyfill';

/**
 * The `browser` the CRM content script uses, aliased for `wxt/browser` in that build only (wxt.config.ts).
 * Chrome MV3 and Firefox both answer the calls the content script makes (runtime.sendMessage / connect,
 * storage.local) with promises natively, so it skips webextension-polyfill: ~3 KB gzipped of a 30 KB budget that
 * every CRM page pays. The background and extension pages keep the polyfill.
 */
const scope = globalThis as unknown as { browser?: Browser; chrome?: Browser };

export const browser: Browser = (scope.browser ?? scope.chrome) as Browser;
export type { Browser };
