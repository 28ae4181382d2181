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
export async function catchUpOpenTabs(apis: CatchUpApis, patterns: readonly string[], framePatterns: ReadonlySet<string>): Promise<number> {
  if (patterns.length === 0) return 0;
  let injected = 0;
  for (const pattern of patterns) {
    const tabs = await apis.tabs.query({ url: [pattern] }).catch(() => []);
    for (const { id } of tabs) {
      if (id === undefined) continue;
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
