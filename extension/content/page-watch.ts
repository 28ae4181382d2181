import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Browser, WxtBrowser } from 'wxt/browser';
import { askStateLite, openPanelLite, reportAdapterMissLite } from '../content-client';
import { adapterFor, type RecordFrames } from '../../core/crm';
import { readCrmPage, type CrmPageRead } from '../crm-page';
import type { ConnectionSnapshot } from '../messages';
import { looksLikePageMessage, PAGE_PORT, type PageReport } from '../protocol';
import type { FirstState } from '../snapshot-cache';
import { followNavigation } from './navigation';

/**
 * All that runs in a CRM tab: it recognises the record, reads it, and reports it to the background, which routes
 * the record to the tab's side panel. Nothing is drawn on the CRM page. When to read is navigation.ts's part.
 */
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

  // A CRM that opens records in a same-origin frame of its own page (Bitrix24's slider; its adapter's recordFrames)
  // gets the script in every frame: a sub-frame reports only a record of that CRM in it, and the top frame stands
  // aside (reports nothing) while such a frame is open.
  const inFrame = window !== window.top;
  let framesOverTop: RecordFrames | undefined;
  function read(href: string): CrmPageRead | null {
    const page = readCrmPage(href, document, { instances: snapshot?.instances ?? [], disabledAdapters: snapshot?.disabledAdapters ?? [] });
    const frames = page ? adapterFor(page.detected.crm)?.recordFrames : undefined;
    framesOverTop = inFrame ? undefined : frames;
    if (inFrame) return frames && page!.detected.id ? page : null;
    return frames?.open(document) ? null : page;
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

  let missReported = '';
  const navigation = followNavigation(ctx, {
    read(href, settled) {
      report(read(href));
      const page = current;
      // The adapter knew the record from its URL but read nothing of it: the CRM's markup probably changed.
      if (settled && missReported !== href && page?.detected.recordType && page.detected.id && !page.disabledReason && Object.keys(page.fields).length === 0) {
        missReported = href;
        reportAdapterMissLite(browser, page.detected.crm, page.detected.recordType);
      }
    },
    settledMutation(href) {
      if (framesOverTop && (current === null) !== framesOverTop.open(document)) report(read(href));
    },
  });

  let stopped = false;
  function stop(): void {
    if (stopped) return;
    stopped = true;
    navigation.stop();
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
      if (JSON.stringify([snapshot.instances, snapshot.disabledAdapters]) !== before) navigation.redetect(true);
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
  navigation.redetect(true);
  connect();
  navigation.start();
}
