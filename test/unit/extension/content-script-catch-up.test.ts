import { describe, expect, it } from 'vitest';
import { catchUpOpenTabs, LATE_LOAD_WINDOW_MS, LateLoads, type CatchUpApis } from '../../../extension/background/content-script-catch-up';
import { CRM_SCRIPT_FILE } from '../../../extension/background/content-scripts';

const SUITE = 'http://127.0.0.1:8080/*';
const BITRIX = 'https://acme.bitrix24.de/*';

/**
 * Open tabs as the browser lists them: by pattern, only once their address is committed (a tab still loading its
 * first page has only a pendingUrl, which tabs.query does not match). `watching` says which run the script already.
 */
function fakeTabs(tabs: { id: number; pattern: string; committed?: boolean; watching?: boolean; failing?: boolean }[]) {
  const runs: { tabId: number; allFrames: boolean }[] = [];
  const apis: CatchUpApis = {
    tabs: { query: async ({ url }) => tabs.filter((tab) => tab.committed !== false && url.includes(tab.pattern)).map(({ id }) => ({ id })) },
    scripting: {
      async executeScript({ target, files, func }) {
        const tab = tabs.find((t) => t.id === target.tabId)!;
        if (tab.failing) throw new Error('Frame with ID 0 is showing error page');
        if (func) return [{ result: tab.watching === true }];
        expect(files).toEqual([CRM_SCRIPT_FILE]);
        runs.push({ tabId: target.tabId, allFrames: target.allFrames === true });
        tab.watching = true;
        return [{}];
      },
    },
  };
  return { apis, runs, tabs };
}

describe('catching up CRM tabs opened before the content script was registered', () => {
  it('runs the script once in each granted tab that lacks it, in every frame only where the CRM uses frames', async () => {
    const { apis, runs } = fakeTabs([
      { id: 1, pattern: SUITE },
      { id: 2, pattern: SUITE, watching: true },
      { id: 3, pattern: BITRIX },
      { id: 4, pattern: 'https://elsewhere.example/*' },
    ]);
    expect(await catchUpOpenTabs(apis, [SUITE, BITRIX], new Set([BITRIX]))).toBe(2);
    expect(runs).toEqual([{ tabId: 1, allFrames: false }, { tabId: 3, allFrames: true }]);
    // A second pass finds every tab running it: nothing runs twice.
    expect(await catchUpOpenTabs(apis, [SUITE, BITRIX], new Set([BITRIX]))).toBe(0);
  });

  it('goes on past a tab the browser keeps it out of', async () => {
    const { apis, runs } = fakeTabs([{ id: 1, pattern: SUITE, failing: true }, { id: 2, pattern: SUITE }]);
    expect(await catchUpOpenTabs(apis, [SUITE], new Set())).toBe(1);
    expect(runs.map((run) => run.tabId)).toEqual([2]);
  });

  it('catches up a tab that was still loading during the catch-up once it finishes loading, within the window', async () => {
    let now = 1_000_000;
    const late = new LateLoads(() => now);
    // Session restore: tab 7 has no committed address yet when the open tabs catch up, so it is missed.
    const { apis, runs, tabs } = fakeTabs([{ id: 7, pattern: SUITE, committed: false }, { id: 8, pattern: BITRIX, committed: false }]);
    late.arm([SUITE], new Set());
    expect(await catchUpOpenTabs(apis, [SUITE], new Set())).toBe(0);
    // It finishes loading a moment later: it gets the script, without a reload.
    tabs[0]!.committed = true;
    now += 800;
    expect(await late.loaded(apis, 7)).toBe(true);
    expect(runs).toEqual([{ tabId: 7, allFrames: false }]);
    // Loading again (its script runs already), or a tab of an ungranted tenant: nothing more runs.
    expect(await late.loaded(apis, 7)).toBe(false);
    tabs[1]!.committed = true;
    expect(await late.loaded(apis, 8)).toBe(false);
    expect(runs).toHaveLength(1);
  });

  it('stops probing page loads once the window has passed, and when nothing is granted', async () => {
    let now = 0;
    const late = new LateLoads(() => now);
    const { apis, runs } = fakeTabs([{ id: 1, pattern: SUITE }]);
    expect(await late.loaded(apis, 1)).toBe(false); // never armed
    late.arm([SUITE], new Set());
    now += LATE_LOAD_WINDOW_MS + 1;
    expect(await late.loaded(apis, 1)).toBe(false);
    late.arm([], new Set());
    expect(await late.loaded(apis, 1)).toBe(false);
    expect(runs).toEqual([]);
  });
});
