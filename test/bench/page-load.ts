// One page load in real Chromium, observed without disturbing it: the bench does not touch the page (no
// Playwright evaluate, whose injected script would compile on the page's main thread) until the observation
// window has closed, and long tasks come from a Chromium trace rather than from PerformanceObserver('longtask'),
// which misses tasks that run script only through extension API callbacks (our content script's awaits).
import type { BrowserContext, Page } from 'playwright-core';

/** A task on the page's main thread at least this long is a long task (the web's definition). */
const LONG_TASK_MS = 50;

export interface ObservedLoad {
  /** `painted` minus `start` user-timing marks, in ms; null when no marks were asked for. */
  paintMs: number | null;
  /** Durations (ms) of the page's main-thread tasks ≥ 50 ms, from its first script to the end of the window. */
  longTasks: number[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
}

/**
 * Runs before the page's first script. Marks the renderer in the trace, and closes the observation window
 * `windowMs` after the awaited mark (a sidebar's "painted"), or after the load event when none is awaited, so
 * the work a sidebar does after its first paint (page offset, live state, formatting) is inside the window.
 * Source text rather than a function: tsx would wrap a function's inner functions in helpers the page lacks.
 * Content-script marks land in the same performance timeline as the page's, so a page observer sees them.
 */
const beforePageScripts = (awaitMark: string | null, windowMs: number) => `
  performance.mark('bench:init');
  const closeWindow = () => setTimeout(() => {
    performance.mark('bench:window-end');
    console.debug('bench:window-end');
  }, ${windowMs});
  const awaitMark = ${JSON.stringify(awaitMark)};
  if (awaitMark === null) addEventListener('load', closeWindow, { once: true });
  else {
    const observer = new PerformanceObserver((list) => {
      if (!list.getEntries().some((entry) => entry.name === awaitMark)) return;
      observer.disconnect();
      closeWindow();
    });
    observer.observe({ type: 'mark', buffered: true });
  }`;

/** Top-level task slices of the thread that ran `bench:init`, overlapping [init, window end]. */
function longTasksOf(events: TraceEvent[]): number[] {
  const init = events.find((event) => event.name === 'bench:init');
  const end = events.find((event) => event.name === 'bench:window-end');
  if (!init || !end) throw new Error('The trace holds no bench marks: the page did not run its init script.');
  const tasks = events
    .filter((event) => event.pid === init.pid && event.tid === init.tid && event.ph === 'X' && (event.name === 'ThreadControllerImpl::RunTask' || event.name === 'RunTask'))
    .filter((event) => event.ts + (event.dur ?? 0) >= init.ts && event.ts <= end.ts)
    .sort((a, b) => a.ts - b.ts);
  // Both names may be recorded for one task, one nested in the other: keep the outer one.
  const outer: TraceEvent[] = [];
  for (const task of tasks) {
    const last = outer.at(-1);
    if (last && task.ts < last.ts + (last.dur ?? 0)) continue;
    outer.push(task);
  }
  return outer.map((task) => (task.dur ?? 0) / 1000).filter((ms) => ms >= LONG_TASK_MS);
}

/**
 * Loads `url` in a new tab of `context` while tracing, waits for the window to close, then reads the marks.
 * `marks` names the start and painted marks a sidebar sets; without them the window follows the load event.
 * `check` then looks at the page (that the sidebar shows the right record, say).
 */
export async function observeLoad(
  context: BrowserContext,
  url: string,
  options: { marks: { start: string; painted: string } | null; windowMs: number; check?: (page: Page) => Promise<void> },
): Promise<ObservedLoad> {
  const page = await context.newPage();
  try {
    await page.addInitScript({ content: beforePageScripts(options.marks?.painted ?? null, options.windowMs) });
    const cdp = await context.newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    // toplevel: every task of every thread; blink.user_timing: the marks that say which thread is the page's.
    await cdp.send('Tracing.start', { categories: 'toplevel,blink.user_timing', transferMode: 'ReportEvents' });
    const windowClosed = page.waitForEvent('console', { predicate: (message) => message.text() === 'bench:window-end', timeout: 30_000 });
    await page.goto(url, { waitUntil: 'commit' });
    await windowClosed.catch(() => {
      throw new Error(`${url}: ${options.marks ? `no ${options.marks.painted} mark` : 'no load event'} within 30 s.`);
    });
    await cdp.send('Tracing.end');
    await complete;
    const paintMs = options.marks
      ? await page.evaluate(
          ([start, painted]) => performance.getEntriesByName(painted!)[0]!.startTime - performance.getEntriesByName(start!)[0]!.startTime,
          [options.marks.start, options.marks.painted],
        )
      : null;
    await options.check?.(page);
    return { paintMs, longTasks: longTasksOf(events) };
  } finally {
    await page.close();
  }
}
