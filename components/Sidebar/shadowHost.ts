import type { ContentScriptContext } from 'wxt/utils/content-script-context';

/**
 * Events that must not leave the panel: a CRM's own keyboard shortcuts (Salesforce's "e" to edit, Pipedrive's
 * "/" to search…) and its unsaved-changes watchers listen on the document, and these events are composed, so
 * without this, typing a note would drive the CRM. Mouse events are left to bubble on purpose: a drag the CRM
 * started must still see its mouseup when the pointer is released over the panel.
 */
const ISOLATED_EVENTS = ['keydown', 'keyup', 'keypress', 'beforeinput', 'input'] as const;

export interface ShadowHost {
  /** What the sidebar renders into. */
  container: HTMLElement;
  /** Adds CSS for parts that render later, so the first frame only processes the first sheet's rules. */
  addStyles(css: string): void;
}

/**
 * The sidebar's home on the page: a `<headway-sidebar>` element appended to body with an open shadow root
 * (tests and assistive tech reach in; the page's CSS does not), our CSS, and a container to render into.
 * Hand-written rather than WXT's createShadowRootUi, which brings a custom-element name check, an anchor
 * waiter and its html/head/body scaffolding: ~1 KB gzipped of the 30 KB every CRM page pays (DESIGN.md budget).
 * Removed when the extension reloads or updates (ctx invalidated), as WXT's did.
 */
export function mountShadowHost(ctx: ContentScriptContext, css: string): ShadowHost {
  const host = document.createElement('headway-sidebar');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  // `all: initial` stops the CRM's inherited styles (font, colour, line-height) at the host.
  style.textContent = `:host{all:initial !important}${css}`;
  const container = document.createElement('div');
  for (const type of ISOLATED_EVENTS) container.addEventListener(type, (event) => event.stopPropagation());
  shadow.append(style, container);
  (document.body ?? document.documentElement).append(host);
  ctx.onInvalidated(() => host.remove());
  return {
    container,
    addStyles(more) {
      const sheet = document.createElement('style');
      sheet.textContent = more;
      style.after(sheet);
    },
  };
}
