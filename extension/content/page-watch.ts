import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Browser, WxtBrowser } from 'wxt/browser';
import { askStateLite, openPanelLite, reportAdapterMissLite } from '../content-client';
import { readCrmPage, type CrmPageRead } from '../crm-page';
import type { ConnectionSnapshot } from '../messages';
import { looksLikePageMessage, PAGE_PORT, type PageReport } from '../protocol';
import type { FirstState } from '../snapshot-cache';

/**
 * All that runs in a CRM tab: it recognises the record, reads it, follows single-page navigation, and reports
 * to the background, which routes the record to the tab's side panel. Nothing is drawn on the CRM page.
 *
 * How it follows single-page CRMs without polling hard:
 * - Chromium's Navigation API fires `currententrychange` on pushState, replaceState, hash changes and Back, and
 *   its events reach content scripts (pushState itself is invisible from the isolated world): no polling there.
 * - Elsewhere (Firefox) the MutationObserver below compares location.href on every DOM batch, which catches SPAs
 *   as they render the new record; a slow poll covers a pushState that changes nothing on screen.
 * - After a URL change the CRM renders the record a little later: DOM batches re-read it for SETTLE_MS, and
 *   timed re-reads catch values set without a mutation (an input's value).
 * A CRM that replaces <body> (EspoCRM while it boots) takes nothing of Headway with it: there is nothing of ours in
 * the page, and the observer watches the document, not body.
 */
const FALLBACK_POLL_MS = 500;
const SETTLE_MS = 3000;
/** Settle-window re-reads are this far apart at most, so a page that mutates on every frame costs few reads. */
const SETTLE_READ_MS = 32;
const REREAD_DELAYS_MS = [300, 1500, 3000];
/** A recognised record with no readable field this long after the URL changed is reported as an adapter miss. */
const MISS_AFTER_MS = 1500;
/** After the background's worker restarted, the page port comes back this much later. */
const RECONNECT_MS = 1000;

type PageBrowser = Pick<WxtBrowser, 'runtime'>;

export async function watchCrmPage(ctx: ContentScriptContext, browser: PageBrowser, firstState: Promise<FirstState>): Promise<void> {
  // `headway:start` is marked by entrypoints/crm.content/start.ts, which also began `firstState`'s storage read.
  const first = await firstState;
  // Hidden on this site: Headway stands aside and does nothing here.
  if (first.prefs.hidden || !ctx.isValid) return;
  // Nothing cached yet (just installed or updated): the background's answer it is, this once.
  let snapshot: ConnectionSnapshot | null = first.snapshot ?? (await askStateLite(browser));
  if (!ctx.isValid) return;

  // Bitrix24 opens records in a same-origin slider iframe, and the script runs in every frame there: a sub-frame
  // reports only a Bitrix24 record in it, and the top frame stands aside (reports nothing) while a slider is open.
  const inFrame = window !== window.top;
  const sliders = document.getElementsByClassName('side-panel-iframe');
  let bitrixTop = false;
  function read(href: string): CrmPageRead | null {
    const page = readCrmPage(href, document, { instances: snapshot?.instances ?? [], disabledAdapters: snapshot?.disabledAdapters ?? [] });
    const bitrix = page?.detected.crm === 'bitrix24';
    bitrixTop = bitrix && !inFrame;
    if (inFrame) return bitrix && page.detected.id ? page : null;
    return bitrixTop && sliders.length > 0 ? null : page;
  }
  // Any other frame of such a page (widgets, editors) reports nothing and opens no port.
  if (inFrame && !read(location.href)) return;

  let port: Browser.runtime.Port | undefined;
  let reported = 'none';
  let current: CrmPageRead | null = null;
  function report(page: CrmPageRead | null): void {
    const message: PageReport = page ? { type: 'page', href: location.href, fields: page.fields } : { type: 'page', href: null };
    const json = JSON.stringify(message);
    current = page;
    if (json === reported) return;
    reported = json;
    try {
      port?.postMessage(message);
    } catch {
      // The port closed between our check and the post; connect() reports again.
    }
    if (page && !performance.getEntriesByName('headway:reported').length) performance.mark('headway:reported');
    armOpenOnClick();
  }

  // A click on a record page opens the side panel when it is closed and the user did not close it on this site:
  // the click is the user gesture the browser asks for, and it has already done whatever it did on the page.
  let openOnClick = false;
  let armed = false;
  const onClick = (event: MouseEvent) => {
    if (!event.isTrusted || !openOnClick || !current?.detected.id) return;
    openOnClick = false;
    disarm();
    openPanelLite(browser);
  };
  function armOpenOnClick(): void {
    const wanted = openOnClick && Boolean(current?.detected.id);
    if (wanted === armed) return;
    armed = wanted;
    if (wanted) window.addEventListener('click', onClick, { capture: true, passive: true });
    else window.removeEventListener('click', onClick, { capture: true });
  }
  const disarm = () => {
    openOnClick = false;
    armOpenOnClick();
  };

  let lastHref = '';
  let settleUntil = 0;
  let lastRead = 0;
  let trailingRead: number | undefined;
  let missReported = '';
  let rereads: ReturnType<typeof setTimeout>[] = [];
  function redetect(force = false): void {
    if (!force && location.href === lastHref) return;
    lastHref = location.href;
    settleUntil = performance.now() + SETTLE_MS;
    rereads.forEach(clearTimeout);
    rereads = REREAD_DELAYS_MS.map((delay) => setTimeout(() => reread(lastHref, delay >= MISS_AFTER_MS), delay));
    // The first DOM batch after a URL change is usually the new record's render: it is read at once.
    lastRead = 0;
    report(read(lastHref));
  }
  // A trailing read catches the batch that arrived too soon after the last one.
  function settleRead(): void {
    const wait = lastRead + SETTLE_READ_MS - performance.now();
    if (wait > 0) {
      trailingRead ??= ctx.setTimeout(() => {
        trailingRead = undefined;
        settleRead();
      }, wait);
      return;
    }
    lastRead = performance.now();
    report(read(lastHref));
  }
  function reread(href: string, settled: boolean): void {
    if (!ctx.isValid || location.href !== href) return;
    report(read(href));
    const page = current;
    // The adapter knew the record from its URL but read nothing of it: the CRM's markup probably changed.
    if (settled && missReported !== href && page?.detected.recordType && page.detected.id && !page.disabledReason && Object.keys(page.fields).length === 0) {
      missReported = href;
      reportAdapterMissLite(browser, page.detected.crm, page.detected.recordType);
    }
  }

  let stopped = false;
  const observer = new MutationObserver(() => {
    if (location.href !== lastHref) redetect();
    else if (performance.now() < settleUntil) settleRead();
    else if (bitrixTop && (current === null) !== sliders.length > 0) report(read(lastHref));
  });
  function stop(): void {
    if (stopped) return;
    stopped = true;
    observer.disconnect();
    rereads.forEach(clearTimeout);
    disarm();
    port?.disconnect();
    port = undefined;
  }
  ctx.onInvalidated(stop);

  // The port tells the background which tab and frame this is, and its closing that the page went away. After a
  // worker restart it comes back and reports again, so the background never needs to keep tabs in storage.
  function connect(): void {
    if (stopped || !ctx.isValid) return;
    let opened: Browser.runtime.Port;
    try {
      opened = browser.runtime.connect({ name: PAGE_PORT });
    } catch {
      return; // the extension was reloaded or removed: nothing to report to any more
    }
    port = opened;
    opened.onMessage.addListener((message: unknown) => {
      if (!looksLikePageMessage(message)) return;
      if (message.type === 'stand-aside') return stop();
      if (message.type === 'panel') {
        openOnClick = message.openOnClick;
        return armOpenOnClick();
      }
      const before = JSON.stringify([snapshot?.instances, snapshot?.disabledAdapters]);
      snapshot = message.snapshot;
      // New instances or a switched-off adapter can change what this page is.
      if (JSON.stringify([snapshot.instances, snapshot.disabledAdapters]) !== before) redetect(true);
    });
    opened.onDisconnect.addListener(() => {
      port = undefined;
      reported = 'none';
      if (!stopped) ctx.setTimeout(connect, RECONNECT_MS);
    });
    reported = 'none';
    report(current);
  }

  // The record is read before the port opens, so its first message already carries it.
  redetect(true);
  connect();
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  const navigation = (window as { navigation?: EventTarget }).navigation;
  if (navigation) {
    ctx.addEventListener(navigation, 'currententrychange', () => redetect());
  } else {
    ctx.addEventListener(window, 'popstate', () => redetect());
    ctx.addEventListener(window, 'hashchange', () => redetect());
    ctx.setInterval(() => redetect(), FALLBACK_POLL_MS);
  }
}
