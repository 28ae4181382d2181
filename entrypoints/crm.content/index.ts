import { firstState } from './start';
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { watchCrmPage } from '../../extension/content/page-watch';
import { WATCHING_FLAG } from '../../extension/protocol';

// Registered at run time by the background for configured CRM origins and known SaaS CRM hosts the user granted
// (extension/background/content-scripts.ts). It draws nothing on the CRM page: the record goes to the browser's side panel.
export default defineContentScript({
  registration: 'runtime',
  main(ctx) {
    (globalThis as Record<string, unknown>)[WATCHING_FLAG] = true;
    ctx.onInvalidated(() => delete (globalThis as Record<string, unknown>)[WATCHING_FLAG]);
    void watchCrmPage(ctx, browser, firstState);
  },
});
