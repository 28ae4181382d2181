import type { Browser } from 'wxt/browser';
import { DealFields } from '../../core/schema';
import { identifyCrmPage } from '../crm-page';
import type { ConnectionSnapshot, PageView } from '../messages';
import type { PageMessage } from '../protocol';

/**
 * What each CRM tab shows, from its content scripts' page ports (extension/content/page-watch.ts). One port per
 * frame that reports: the top frame, and on Bitrix24 the record slider's frame. A tab shows the top frame's record,
 * or, while the top frame stands aside (a slider is open), the slider's.
 *
 * A page port's messages come from a content script beside an untrusted page: the tab and frame are the port's,
 * the URL must stay on the frame's own origin, the record is recognised again here, and the fields are parsed
 * with zod, so the panel shows nothing a page could make up beyond the text its own record shows.
 */

/** After the last page of a tab went away, it has this long to come back (a full page load) before the tab counts as having left the CRM. */
export const LEFT_CRM_MS = 4000;

type Port = Browser.runtime.Port;

interface FramePage {
  port: Port;
  origin: string;
  view: PageView | null;
  /** Order of the last report, so the newest slider wins. */
  at: number;
  /** Reports are handled in order, each after the snapshot it is read against. */
  chain: Promise<void>;
}

export interface TabPagesDeps {
  /** The connection the page is recognised against (its instances and switched-off adapters). */
  snapshot(): Promise<ConnectionSnapshot | null>;
  /** The tab's record changed (null: it shows none, or left the CRM). */
  onChange(tabId: number, view: PageView | null): void;
  /** No content script came back to the tab within LEFT_CRM_MS of its last page going away. */
  onLeft(tabId: number): void;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export function createTabPages(deps: TabPagesDeps) {
  const setTimer = deps.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = deps.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const tabs = new Map<number, Map<number, FramePage>>();
  const shown = new Map<number, string>();
  const leaving = new Map<number, unknown>();
  let order = 0;

  async function viewOf(href: string, fields: unknown): Promise<PageView | null> {
    const snapshot = await deps.snapshot();
    const page = identifyCrmPage(href, { instances: snapshot?.instances ?? [], disabledAdapters: snapshot?.disabledAdapters ?? [] });
    if (!page) return null;
    const parsed = DealFields.partial().safeParse(fields);
    return { href, ...page, fields: parsed.success && !page.disabledReason ? parsed.data : {} };
  }

  /** The top frame's record, else the newest record a sub-frame reported; undefined when no frame reported yet. */
  function current(tabId: number): PageView | null | undefined {
    const frames = tabs.get(tabId);
    if (!frames || frames.size === 0) return undefined;
    const top = frames.get(0);
    if (top?.view) return top.view;
    const sub = [...frames.entries()].filter(([frameId, frame]) => frameId !== 0 && frame.view).sort(([, a], [, b]) => b.at - a.at)[0];
    return sub?.[1].view ?? null;
  }

  function publish(tabId: number): void {
    const view = current(tabId);
    if (view === undefined) return;
    const json = JSON.stringify(view);
    if (shown.get(tabId) === json) return;
    shown.set(tabId, json);
    deps.onChange(tabId, view);
  }

  function forget(tabId: number): void {
    tabs.delete(tabId);
    clearTimer(leaving.get(tabId));
    leaving.delete(tabId);
    if (shown.has(tabId)) {
      shown.delete(tabId);
      deps.onChange(tabId, null);
    }
  }

  return {
    /** A content script's page port connected. */
    connect(port: Port): void {
      const tabId = port.sender?.tab?.id;
      const frameId = port.sender?.frameId ?? 0;
      const senderUrl = port.sender?.url;
      if (tabId === undefined || !senderUrl) return void port.disconnect();
      const origin = originOf(senderUrl);
      if (!origin) return void port.disconnect();
      clearTimer(leaving.get(tabId));
      leaving.delete(tabId);
      const frames = tabs.get(tabId) ?? new Map<number, FramePage>();
      tabs.set(tabId, frames);
      const frame: FramePage = { port, origin, view: null, at: 0, chain: Promise.resolve() };
      frames.set(frameId, frame);
      port.onMessage.addListener((message: unknown) => {
        if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'page') return;
        const { href, fields } = message as { href?: unknown; fields?: unknown };
        frame.chain = frame.chain.then(async () => {
          let view: PageView | null = null;
          // A single-page CRM changes its path, never its origin; anything else is not this frame's page.
          if (typeof href === 'string' && href.length <= 4000 && originOf(href) === frame.origin) view = await viewOf(href, fields).catch(() => null);
          if (frames.get(frameId) !== frame) return;
          frame.view = view;
          frame.at = ++order;
          publish(tabId);
        });
      });
      port.onDisconnect.addListener(() => {
        if (frames.get(frameId) !== frame) return;
        frames.delete(frameId);
        if (frames.size > 0) return publish(tabId);
        // A full page load closes the old page's port before the new page's script connects: the panel keeps the
        // last record meanwhile, rather than flicker to nothing and back.
        leaving.set(
          tabId,
          setTimer(() => {
            leaving.delete(tabId);
            if (tabs.get(tabId)?.size) return;
            forget(tabId);
            deps.onLeft(tabId);
          }, LEFT_CRM_MS),
        );
      });
    },
    /** What the tab shows now: undefined while no content script of it has reported (yet, or since a worker restart). */
    view: (tabId: number): PageView | null | undefined => current(tabId) ?? (shown.has(tabId) ? (JSON.parse(shown.get(tabId)!) as PageView | null) : undefined),
    /** The origin of the tab's top frame, while it has one. */
    origin: (tabId: number): string | undefined => tabs.get(tabId)?.get(0)?.origin ?? tabs.get(tabId)?.values().next().value?.origin,
    /** Tabs with a reporting page right now. */
    tabIds: (): number[] => [...tabs.keys()],
    /** Sends `message` to every frame of the tab (or of every tab). */
    post(tabId: number | null, message: PageMessage): void {
      for (const [id, frames] of tabs) {
        if (tabId !== null && id !== tabId) continue;
        for (const frame of frames.values()) {
          try {
            frame.port.postMessage(message);
          } catch {
            // closing; its disconnect follows
          }
        }
      }
    },
    /** The tab was closed: forget it at once. */
    removed: forget,
  };
}
export type TabPages = ReturnType<typeof createTabPages>;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
