import type { ContentScriptContext } from 'wxt/utils/content-script-context';

/**
 * Following a CRM tab's single-page navigation without polling hard, and telling the page watcher when to read:
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

export interface NavigationListener {
  /** Read what the page at `href` shows now. `settled`: late enough after the URL changed that nothing read is a miss. */
  read(href: string, settled: boolean): void;
  /** A DOM batch once the page settled, at the same URL (a CRM's record frame opening or closing, say). */
  settledMutation(href: string): void;
}

export interface PageNavigation {
  /** Reads the page as after a URL change; `force` even when the URL is the same (what the page is changed). */
  redetect(force?: boolean): void;
  /** Starts watching the document and the navigation events. */
  start(): void;
  stop(): void;
}

export function followNavigation(ctx: ContentScriptContext, listener: NavigationListener): PageNavigation {
  let lastHref = '';
  let settleUntil = 0;
  let lastRead = 0;
  let trailingRead: number | undefined;
  let rereads: ReturnType<typeof setTimeout>[] = [];
  let stopped = false;

  function redetect(force = false): void {
    if (stopped || (!force && location.href === lastHref)) return;
    lastHref = location.href;
    settleUntil = performance.now() + SETTLE_MS;
    rereads.forEach(clearTimeout);
    rereads = REREAD_DELAYS_MS.map((delay) => setTimeout(() => reread(lastHref, delay >= MISS_AFTER_MS), delay));
    // The first DOM batch after a URL change is usually the new record's render: it is read at once.
    lastRead = 0;
    listener.read(lastHref, false);
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
    listener.read(lastHref, false);
  }
  function reread(href: string, settled: boolean): void {
    if (!ctx.isValid || location.href !== href) return;
    listener.read(href, settled);
  }

  const observer = new MutationObserver(() => {
    if (location.href !== lastHref) redetect();
    else if (performance.now() < settleUntil) settleRead();
    else listener.settledMutation(lastHref);
  });

  return {
    redetect,
    start() {
      observer.observe(document, { childList: true, subtree: true, characterData: true });
      const navigation = (window as { navigation?: EventTarget }).navigation;
      if (navigation) {
        ctx.addEventListener(navigation, 'currententrychange', () => redetect());
      } else {
        ctx.addEventListener(window, 'popstate', () => redetect());
        ctx.addEventListener(window, 'hashchange', () => redetect());
        ctx.setInterval(() => redetect(), FALLBACK_POLL_MS);
      }
    },
    stop() {
      stopped = true;
      observer.disconnect();
      rereads.forEach(clearTimeout);
    },
  };
}
