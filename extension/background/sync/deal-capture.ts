import { DealFields, MutationArgs } from '../../../core/schema';
import { recordKey } from '../../../core/sync';
import type { StorageAreaLike } from '../../session';
import type { SyncRequest } from '../../sync/messages';

/** Last captured fields per record, so revisiting an unchanged deal page queues nothing. */
export const CAPTURED_KEY = 'headway.captured';
/** Enough for a working week of deal pages; the oldest fall out first. */
const REMEMBERED = 500;

/** Stable across key order, so the same fields read twice compare equal. */
function fingerprint(fields: DealFields): string {
  return JSON.stringify(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Passive capture: a deal page the user opened tells the server what the CRM shows (amount, stage, owner…),
 * so plans and load hints stay current without an import. Queues `deal.capture` only for deals, only with
 * fields actually read, and only when they differ from the last capture of that record.
 */
export function captureDeal(
  storage: StorageAreaLike,
  request: Extract<SyncRequest, { type: 'page-record' }>,
  enqueue: (args: unknown) => Promise<unknown>,
): Promise<boolean> {
  // One at a time: the first read of a page and its re-read may arrive together with the same fields.
  const run = queue.then(() => captureOnce(storage, request, enqueue));
  queue = run.catch(() => undefined);
  return run;
}
let queue: Promise<unknown> = Promise.resolve();

async function captureOnce(
  storage: StorageAreaLike,
  request: Extract<SyncRequest, { type: 'page-record' }>,
  enqueue: (args: unknown) => Promise<unknown>,
): Promise<boolean> {
  if (request.record.recordType !== 'deal') return false;
  const fields = DealFields.safeParse(request.fields);
  // Adapters clamp what they read; anything that still does not fit is a misread, not a capture.
  if (!fields.success || Object.keys(fields.data).length === 0) return false;
  const args = MutationArgs['deal.capture'].safeParse({ record: request.record, fields: fields.data, url: request.url || null });
  if (!args.success) return false;
  const key = recordKey(request.record);
  const print = fingerprint(fields.data);
  const stored = (await storage.get(CAPTURED_KEY))[CAPTURED_KEY];
  const seen: [string, string][] = Array.isArray(stored) ? stored.filter((item): item is [string, string] => Array.isArray(item) && item.length === 2) : [];
  if (seen.some(([seenKey, seenPrint]) => seenKey === key && seenPrint === print)) return false;
  await enqueue(args.data);
  const next = [...seen.filter(([seenKey]) => seenKey !== key), [key, print] as [string, string]].slice(-REMEMBERED);
  await storage.set({ [CAPTURED_KEY]: next });
  return true;
}
