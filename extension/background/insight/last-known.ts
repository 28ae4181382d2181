import type { StorageAreaLike } from '../../session';

/**
 * The last owner and plan lines the server gave, kept in storage.local so a sidebar that loses the server (offline,
 * or the worker restarted while it is) still shows them, dated, instead of dropping them. Keyed by server, user and
 * what they describe, so one person never sees another's; forgotten on Disconnect like everything else.
 */
export const LAST_KNOWN_KEY = 'headway.lastKnown';

/** Enough for the records one opens in a day; the oldest go first. */
const MAX_ENTRIES = 100;

export interface Remembered<T> {
  /** When the server said it (ISO). */
  at: string;
  value: T;
}

export interface LastKnown {
  recall<T>(key: string, check: (value: unknown) => value is T): Promise<Remembered<T> | null>;
  remember(key: string, value: unknown, at: string): Promise<void>;
  forget(): Promise<void>;
}

type Entries = Record<string, { at: string; value: unknown }>;

export function createLastKnown(storage: StorageAreaLike): LastKnown {
  // Writes are read-modify-write of one key: one at a time, so two answers arriving together both stay.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const read = async (): Promise<Entries> => {
    const stored = (await storage.get(LAST_KNOWN_KEY))[LAST_KNOWN_KEY];
    return stored && typeof stored === 'object' ? (stored as Entries) : {};
  };
  return {
    async recall(key, check) {
      try {
        const entry = (await read())[key];
        return entry && typeof entry.at === 'string' && check(entry.value) ? { at: entry.at, value: entry.value } : null;
      } catch {
        return null;
      }
    },
    remember(key, value, at) {
      return exclusive(async () => {
        const entries = await read();
        delete entries[key];
        entries[key] = { at, value };
        const keys = Object.keys(entries);
        // Insertion order is recency (a remembered key is moved to the end above).
        for (const stale of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete entries[stale];
        await storage.set({ [LAST_KNOWN_KEY]: entries });
      }).catch(() => undefined);
    },
    forget() {
      return exclusive(() => storage.remove(LAST_KNOWN_KEY)).catch(() => undefined);
    },
  };
}
