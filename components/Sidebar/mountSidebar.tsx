import { effect, signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { askStateLite, openOptionsLite } from '../../extension/content-client';
import { readCrmPage } from '../../extension/crm-page';
import { openLivePort } from '../../extension/live-port';
import type { ConnectionSnapshot } from '../../extension/messages';
import { looksLikeLiveMessage } from '../../extension/protocol';
import { DEFAULT_SITE_PREFS, loadSitePrefs, saveSitePrefs, type SitePrefs } from '../../extension/site-prefs';
import type { PageView } from './model';
import { setPageOffset } from './pageOffset';
import { Sidebar } from './Sidebar';

/** Single-page CRMs change records without a page load; comparing location.href is cheap enough to do often. */
const LOCATION_POLL_MS = 100;
/** SPA CRMs render the record after the URL changed: read the DOM again a little later if the title was missing. */
const REREAD_DELAYS_MS = [300, 1000, 3000];

/** Mounts the Headway sidebar on a CRM page and keeps it in step with the page and the background. */
export async function mountSidebar(ctx: ContentScriptContext, css: string): Promise<void> {
  const origin = location.origin;
  const snapshot = signal<ConnectionSnapshot | null>(null);
  const view = signal<PageView | null>(null);
  // Both reads at once: they sit between the page becoming idle and the sidebar's first paint.
  const [savedPrefs, first] = await Promise.all([
    loadSitePrefs(browser.storage.local, origin).catch(() => DEFAULT_SITE_PREFS),
    askStateLite(browser),
  ]);
  if (!ctx.isValid) return;
  const prefs = signal<SitePrefs>(savedPrefs);
  snapshot.value = first;

  let lastHref = '';
  let rereads: ReturnType<typeof setTimeout>[] = [];
  function redetect(force = false): void {
    if (!force && location.href === lastHref) return;
    lastHref = location.href;
    rereads.forEach(clearTimeout);
    rereads = [];
    const current = snapshot.value;
    view.value = readCrmPage(location.href, document, { instances: current?.instances ?? [], disabledAdapters: current?.disabledAdapters ?? [] });
    if (view.value?.detected.id && !view.value.fields.title) {
      rereads = REREAD_DELAYS_MS.map((delay) => setTimeout(() => reread(lastHref), delay));
    }
  }
  function reread(href: string): void {
    if (!ctx.isValid || location.href !== href || view.value?.fields.title) return;
    const current = snapshot.value;
    view.value = readCrmPage(href, document, { instances: current?.instances ?? [], disabledAdapters: current?.disabledAdapters ?? [] });
  }

  function updatePrefs(next: SitePrefs): void {
    prefs.value = next;
    void saveSitePrefs(browser.storage.local, origin, next).catch(() => undefined);
  }
  const toggle = () => updatePrefs({ ...prefs.value, collapsed: !prefs.value.collapsed });

  const ui = await createShadowRootUi(ctx, {
    name: 'headway-sidebar',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    css,
    // Keys typed in our panel must not trigger the CRM's own keyboard shortcuts.
    isolateEvents: true,
    onMount(container) {
      render(
        <Sidebar
          view={view}
          snapshot={snapshot}
          prefs={prefs}
          onToggle={toggle}
          onSwitchSide={() => updatePrefs({ ...prefs.value, side: prefs.value.side === 'right' ? 'left' : 'right' })}
          onOpenOptions={() => openOptionsLite(browser)}
        />,
        container,
      );
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  redetect(true);
  ui.mount();
  const stopOffset = effect(() => setPageOffset(document, view.value && !prefs.value.collapsed ? prefs.value.side : null));

  const closePort = openLivePort(browser, looksLikeLiveMessage, (message) => {
    if (message.type === 'state') {
      const before = JSON.stringify([snapshot.value?.instances, snapshot.value?.disabledAdapters]);
      snapshot.value = message.snapshot;
      // New instances or a switched-off adapter can change what this page is.
      if (JSON.stringify([message.snapshot.instances, message.snapshot.disabledAdapters]) !== before) redetect(true);
    } else if (message.command === 'toggle-sidebar' && view.value) {
      toggle();
    }
  });
  ctx.onInvalidated(() => {
    closePort();
    rereads.forEach(clearTimeout);
    stopOffset();
    setPageOffset(document, null);
  });
  ctx.addEventListener(window, 'popstate', () => redetect());
  ctx.addEventListener(window, 'hashchange', () => redetect());
  ctx.setInterval(() => redetect(), LOCATION_POLL_MS);
}
