import { CRM_SCRIPT_FILE } from './content-scripts';

/** The slice of browser.tabs / browser.scripting this needs (so unit tests can pass fakes). */
export interface CatchUpApis {
  tabs: { query(query: { url: string[] }): Promise<{ id?: number }[]> };
  scripting: {
    executeScript(injection: { target: { tabId: number; allFrames?: boolean }; files?: string[]; func?: () => unknown }): Promise<{ result?: unknown }[]>;
  };
}

/**
 * Runs the CRM content script in open tabs of `patterns` that do not run it yet.
 *
 * A runtime registration only reaches pages loaded after it exists, and at browser start it may not exist yet:
 * Chromium drops runtime registrations when it installs the extension again (an update, or every launch for an
 * extension loaded from the command line), and the worker re-registers only once it runs. A CRM tab restored or
 * opened in that first second had no Headway until reloaded (issue 15, item 13). So after every registration
 * the open tabs catch up. A page that got the script twice keeps the newer one (WXT stops the older copy).
 */
export async function catchUpOpenTabs(apis: CatchUpApis, patterns: readonly string[], framePatterns: ReadonlySet<string>, onlyTab?: number): Promise<number> {
  if (patterns.length === 0) return 0;
  let injected = 0;
  for (const pattern of patterns) {
    const tabs = await apis.tabs.query({ url: [pattern] }).catch(() => []);
    for (const { id } of tabs) {
      if (id === undefined || (onlyTab !== undefined && id !== onlyTab)) continue;
      try {
        const [top] = await apis.scripting.executeScript({ target: { tabId: id }, func: watching });
        if (top?.result === true) continue;
        await apis.scripting.executeScript({ target: { tabId: id, allFrames: framePatterns.has(pattern) }, files: [CRM_SCRIPT_FILE] });
        injected += 1;
      } catch {
        // The tab is loading another page, or is one the browser keeps extensions out of: its next page is covered.
      }
    }
  }
  return injected;
}

/** Runs in the tab's isolated world: does the CRM content script run there? (Serialised: WATCHING_FLAG spelt out.) */
function watching(): boolean {
  return (globalThis as Record<string, unknown>).headwayWatching === true;
}

/** How long after a registration a page that finishes loading is checked too (see LateLoads). */
export const LATE_LOAD_WINDOW_MS = 15_000;

/**
 * A tab that is still loading while the open tabs catch up is missed both ways: its address may not be committed
 * yet (so the query by pattern does not list it), or the script cannot run in it mid-navigation; and its document
 * started before the registration existed, so the registration does not reach it either. Session restore opens
 * every CRM tab at once in exactly that second. So for a short while after each registration, a tab that
 * finishes loading gets the same check (does it run the script? if not, run it) — one cheap probe per page load,
 * and only in that window.
 */
export class LateLoads {
  private until = 0;
  private patterns: readonly string[] = [];
  private frames: ReadonlySet<string> = new Set();

  constructor(private readonly now: () => number = Date.now) {}

  /** After a registration covering `patterns`: watch page loads for the next LATE_LOAD_WINDOW_MS. */
  arm(patterns: readonly string[], framePatterns: ReadonlySet<string>): void {
    this.patterns = patterns;
    this.frames = framePatterns;
    this.until = patterns.length > 0 ? this.now() + LATE_LOAD_WINDOW_MS : 0;
  }

  /** A tab finished loading: catch it up if the window is open. Resolves to whether the script was run there. */
  async loaded(apis: CatchUpApis, tabId: number): Promise<boolean> {
    if (this.now() > this.until) return false;
    return (await catchUpOpenTabs(apis, this.patterns, this.frames, tabId)) > 0;
  }
}
