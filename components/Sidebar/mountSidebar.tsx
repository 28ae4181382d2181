import { effect, signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { askStateLite, openOptionsLite, reportAdapterMissLite } from '../../extension/content-client';
import { readCrmPage } from '../../extension/crm-page';
import { openLivePort } from '../../extension/live-port';
import type { ConnectionSnapshot } from '../../extension/messages';
import { looksLikeLiveMessage } from '../../extension/protocol';
import { saveSitePrefs, type SitePrefs } from '../../extension/site-prefs';
import type { FirstState } from '../../extension/snapshot-cache';
import type { PageView } from './model';
import { warmUpFonts } from './fontWarmUp';
import { mountShadowHost } from './shadowHost';
import { setPageOffset } from './pageOffset';
import { Sidebar } from './Sidebar';

/**
 * How the sidebar follows single-page CRMs without polling hard:
 * - Chromium's Navigation API fires `currententrychange` on pushState, replaceState, hash changes and Back, and
 *   its events reach content scripts (pushState itself is invisible from the isolated world): no polling there.
 * - Elsewhere (Firefox) the MutationObserver below compares location.href on every DOM batch, which catches SPAs
 *   as they render the new record; a slow poll covers a pushState that changes nothing on screen.
 * - After a URL change the CRM renders the record a little later: DOM batches re-read it for SETTLE_MS, and
 *   timed re-reads catch values set without a mutation (an input's value).
 */
const FALLBACK_POLL_MS = 500;
const SETTLE_MS = 3000;
/** Settle-window re-reads are this far apart at most, so a page that mutates on every frame costs few reads. */
const SETTLE_READ_MS = 32;
const REREAD_DELAYS_MS = [300, 1500, 3000];
/** A recognised record with no readable field this long after the URL changed is reported as an adapter miss. */
const MISS_AFTER_MS = 1500;

/** The sidebar's CSS: what its first frame shows, and the rest of the panel (sidebar.css, sidebar-details.css). */
export interface SidebarCss {
  firstFrame: string;
  details: string;
}

/**
 * Mounts the Headway sidebar on a CRM page and keeps it in step with the page and the background.
 * The first paint waits for one storage read only (DESIGN.md: painted from cache in ≤ 50 ms on a 5,000-node page):
 * the connection snapshot the background last cached, not an answer from a service worker that may be asleep;
 * the live port brings the current state right after. What costs a frame on a big page waits until the panel is
 * on screen: narrowing the page (it relays out every node). Nothing on the page's tab uses Intl: its first
 * formatter loads ICU data in a long task (core/format/money.ts).
 */
export async function mountSidebar(ctx: ContentScriptContext, css: SidebarCss, firstState: Promise<FirstState>): Promise<void> {
  // `headway:start` is marked by entrypoints/crm.content/start.ts, which also began `firstState`'s storage read.
  const origin = location.origin;
  const snapshot = signal<ConnectionSnapshot | null>(null);
  const view = signal<PageView | null>(null);
  // While the snapshot is read: fetching fonts blocks the tab, and here it overlaps a wait rather than the first frame.
  warmUpFonts(document);
  const first = await firstState;
  // Nothing cached yet (just installed or updated): the background's answer it is, this once.
  const firstSnapshot = first.snapshot ?? (await askStateLite(browser));
  if (!ctx.isValid) return;
  const prefs = signal<SitePrefs>(first.prefs);
  snapshot.value = firstSnapshot;

  // Bitrix24 opens records in a same-origin slider iframe, and the script runs in every frame there: a sub-frame
  // shows the sidebar only for a Bitrix24 record in it, and the top frame stands aside while a slider is open.
  const inFrame = window !== window.top;
  const sliders = document.getElementsByClassName('side-panel-iframe');
  let bitrixTop = false;
  function read(href: string): PageView | null {
    const current = snapshot.value;
    const page = readCrmPage(href, document, { instances: current?.instances ?? [], disabledAdapters: current?.disabledAdapters ?? [] });
    const bitrix = page?.detected.crm === 'bitrix24';
    bitrixTop = bitrix && !inFrame;
    if (inFrame) return bitrix && page.detected.id ? page : null;
    return bitrixTop && sliders.length > 0 ? null : page;
  }
  // Any other frame of such a page (widgets, editors) gets no sidebar and no connection to the background.
  if (inFrame && !read(location.href)) return;
  function show(next: PageView | null): void {
    if (JSON.stringify(next) !== JSON.stringify(view.value)) view.value = next;
  }

  let lastHref = '';
  let settleUntil = 0;
  let lastRead = 0;
  let trailingRead: number | undefined;
  let reported = '';
  let rereads: ReturnType<typeof setTimeout>[] = [];
  function redetect(force = false): void {
    if (!force && location.href === lastHref) return;
    lastHref = location.href;
    settleUntil = performance.now() + SETTLE_MS;
    rereads.forEach(clearTimeout);
    rereads = REREAD_DELAYS_MS.map((delay) => setTimeout(() => reread(lastHref, delay >= MISS_AFTER_MS), delay));
    // The first DOM batch after a URL change is usually the new record's render: it is read at once.
    lastRead = 0;
    show(read(lastHref));
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
    show(read(lastHref));
  }
  function reread(href: string, settled: boolean): void {
    if (!ctx.isValid || location.href !== href) return;
    show(read(href));
    const page = view.value;
    // The adapter knew the record from its URL but read nothing of it: the CRM's markup probably changed.
    if (settled && reported !== href && page?.detected.recordType && page.detected.id && !page.disabledReason && Object.keys(page.fields).length === 0) {
      reported = href;
      reportAdapterMissLite(browser, page.detected.crm, page.detected.recordType);
    }
  }

  function updatePrefs(next: SitePrefs): void {
    prefs.value = next;
    void saveSitePrefs(browser.storage.local, origin, next).catch(() => undefined);
  }
  const toggle = () => updatePrefs({ ...prefs.value, collapsed: !prefs.value.collapsed });

  // The record is read before the first render, so the panel paints with it rather than empty.
  redetect(true);
  const { container, addStyles } = mountShadowHost(ctx, css.firstFrame);
  // The first frame shows the panel with the record; the rest of it (escalation, load, plan, notes) renders in
  // the task after that frame, where its render and its effects' messages cost no first-paint time.
  const complete = signal(false);
  let stopOffset = () => {};
  // Asked before rendering, so this runs right after the frame that paints the panel, ahead of the effects
  // Preact queues the same way. A timer queued from a frame callback runs once that frame is painted.
  requestAnimationFrame(() =>
    ctx.setTimeout(() => {
      if (container.firstChild) performance.mark('headway:painted');
      stopOffset = effect(() => setPageOffset(document, view.value && !prefs.value.collapsed ? prefs.value.side : null));
      // In its own task, apart from the frame that relays the page out for the offset; its CSS comes with it.
      ctx.setTimeout(() => {
        addStyles(css.details);
        complete.value = true;
      });
    }),
  );
  render(
    <Sidebar
      view={view}
      complete={complete}
      snapshot={snapshot}
      prefs={prefs}
      onToggle={toggle}
      onSwitchSide={() => updatePrefs({ ...prefs.value, side: prefs.value.side === 'right' ? 'left' : 'right' })}
      onOpenOptions={() => openOptionsLite(browser)}
    />,
    container,
  );
  ctx.onInvalidated(() => render(null, container));

  const closePort = openLivePort(browser, looksLikeLiveMessage, (message) => {
    if (message.type === 'state') {
      const before = JSON.stringify([snapshot.value?.instances, snapshot.value?.disabledAdapters]);
      snapshot.value = message.snapshot;
      // New instances or a switched-off adapter can change what this page is.
      if (JSON.stringify([message.snapshot.instances, message.snapshot.disabledAdapters]) !== before) redetect(true);
    } else if (message.type === 'command' && message.command === 'toggle-sidebar' && view.value) {
      toggle();
    }
  });
  ctx.onInvalidated(() => {
    closePort();
    rereads.forEach(clearTimeout);
    stopOffset();
    setPageOffset(document, null);
  });
  const observer = new MutationObserver(() => {
    if (location.href !== lastHref) redetect();
    else if (performance.now() < settleUntil) settleRead();
    else if (bitrixTop && (view.value === null) !== sliders.length > 0) show(read(lastHref));
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  ctx.onInvalidated(() => observer.disconnect());
  const navigation = (window as { navigation?: EventTarget }).navigation;
  if (navigation) {
    ctx.addEventListener(navigation, 'currententrychange', () => redetect());
  } else {
    ctx.addEventListener(window, 'popstate', () => redetect());
    ctx.addEventListener(window, 'hashchange', () => redetect());
    ctx.setInterval(() => redetect(), FALLBACK_POLL_MS);
  }
}
