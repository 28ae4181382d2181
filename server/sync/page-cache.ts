import type { PullQuery, User } from '../../core/schema';
import { sameVersion, type DataVersion } from '../store/data-version';
import type { Store } from '../store/store';

// Bounds per process: pages are a few KiB to a few hundred (a head's first sync), so this stays within tens of MiB.
const pageLimit = 2000;
const charLimit = 32 * 2 ** 20;

/**
 * Encoded pull answers of this process, one per reader, cursor and page size, each given again only at the data
 * version it was read at: a change (a new high-water mark) or a write to people, tokens or settings (a new access
 * epoch, which also covers a reader's role) makes it useless. Keyed by the reader's own id, never by role: what a
 * page holds depends on who reads it (their deals, their notes, escalations routed to them).
 */
export interface PageCache {
  find(user: User, request: PullQuery, now: DataVersion): string | undefined;
  keep(user: User, request: PullQuery, readAt: DataVersion, answer: string): void;
}

const caches = new WeakMap<Store, PageCache>();

export function pageCacheOf(store: Store): PageCache {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = createPageCache()));
  return cache;
}

function createPageCache(): PageCache {
  // In order of last use, oldest first (a Map keeps insertion order).
  const pages = new Map<string, { version: DataVersion; answer: string }>();
  let chars = 0;
  const keyOf = (user: User, { cursor, limit }: PullQuery) => `${user.id}\u0001${cursor}\u0001${limit}`;
  const drop = (key: string) => {
    const page = pages.get(key);
    if (!page) return;
    chars -= page.answer.length;
    pages.delete(key);
  };
  return {
    find(user, request, now) {
      const key = keyOf(user, request);
      const page = pages.get(key);
      if (!page) return undefined;
      if (!sameVersion(page.version, now)) {
        drop(key);
        return undefined;
      }
      pages.delete(key);
      pages.set(key, page);
      return page.answer;
    },
    keep(user, request, readAt, answer) {
      if (answer.length > charLimit / 4) return;
      const key = keyOf(user, request);
      drop(key);
      pages.set(key, { version: readAt, answer });
      chars += answer.length;
      for (const oldest of pages.keys()) {
        if (pages.size <= pageLimit && chars <= charLimit) break;
        drop(oldest);
      }
    },
  };
}
