import type { SyncDb } from './db.idb';
import type { FetchLike, HttpOutcome } from './http';

/** What a push or pull round needs from the client that runs it: where to send, as whom, and how to fail. */
export type SyncSession = {
  db: SyncDb;
  fetch: FetchLike;
  /** Server origin without a trailing slash. */
  baseUrl: string;
  /** Read at each request: re-pairing replaces the token between rounds. */
  token: () => string;
  timeoutMs: number;
  log: (message: string, details?: unknown) => void;
  /** Records a failed round (backoff, or the stop on a refused token); the round then ends. */
  fail: (outcome: Exclude<HttpOutcome, { kind: 'ok' }>, what: 'push' | 'pull') => Promise<void>;
};
