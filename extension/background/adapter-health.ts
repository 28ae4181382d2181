import { pathOf } from '../../core/api/route';
import { routes } from '../../core/api/routes';
import type { AdapterMissReport } from '../../core/schema';
import type { StorageAreaLike } from '../session';

/**
 * Adapter miss reports: a record page the adapter recognised by its URL but could not read a single field of. The
 * server sums them per (crm, origin, recordType, day) for the admin (`GET /api/adapter-health`, `adapter reports`),
 * who can switch a broken adapter off meanwhile. One report per key per day is all the admin needs, so this browser
 * sends each at most once a day, remembered in storage.local because MV3 may stop the worker between two pages.
 */
export const ADAPTER_MISSES_KEY = 'headway.adapterMisses';

/** Key of a report → the UTC day it was last sent. */
type SentReports = Record<string, string>;

export interface AdapterMissDeps {
  storage: StorageAreaLike;
  /** Sends one report to the server; throws when it was not accepted (then it is tried again next time). */
  send(report: AdapterMissReport): Promise<void>;
  now?: () => Date;
}

export type AdapterMissOutcome = 'sent' | 'already-sent-today' | 'failed';

const reportKey = (report: AdapterMissReport) => `${report.crm} ${report.origin} ${report.recordType}`;

export function createAdapterMissReporter(deps: AdapterMissDeps) {
  const now = deps.now ?? (() => new Date());
  // Two tabs of one broken page report at once: the second waits for the first and finds it sent.
  let queue: Promise<unknown> = Promise.resolve();

  async function report(miss: AdapterMissReport): Promise<AdapterMissOutcome> {
    const today = now().toISOString().slice(0, 10);
    const stored = (await deps.storage.get(ADAPTER_MISSES_KEY))[ADAPTER_MISSES_KEY];
    const sent: SentReports = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as SentReports) : {};
    const key = reportKey(miss);
    if (sent[key] === today) return 'already-sent-today';
    try {
      await deps.send(miss);
    } catch {
      return 'failed';
    }
    // Only today's entries are worth keeping: older days can never suppress a report again.
    const kept: SentReports = { [key]: today };
    for (const [other, day] of Object.entries(sent)) if (day === today) kept[other] = day;
    await deps.storage.set({ [ADAPTER_MISSES_KEY]: kept });
    return 'sent';
  }

  return {
    report(miss: AdapterMissReport): Promise<AdapterMissOutcome> {
      const run = queue.then(() => report(miss));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** POST /api/adapter-health/misses with the device token; anything but 204 counts as not sent. */
export async function postAdapterMiss(
  session: { serverUrl: string; token: string },
  report: AdapterMissReport,
  doFetch: typeof fetch = globalThis.fetch,
): Promise<void> {
  const response = await doFetch(`${session.serverUrl}${pathOf(routes.reportMiss)}`, {
    method: routes.reportMiss.method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
    body: JSON.stringify(report),
    signal: AbortSignal.timeout(8000),
  });
  if (response.status !== 204) throw new Error(`adapter miss report answered ${response.status}`);
}
