import type { RunningTarget } from '../../server/connectors/target';

/**
 * What a contract fake counts and the switches every test flips the same way: the requests it answered (kept to the
 * last 50,000), a proxy's rate limit on every nth request, a listing cut after so many more, notes denied, the API
 * switched off. Each fake extends it with its vendor's own state.
 */
export abstract class FakeTraffic<Entry, Limit extends { everyNth: number } = { everyNth: number; retryAfterSeconds: number }> {
  readonly log: Entry[] = [];
  requestCount = 0;
  /** After this many more listings every listing fails (connection reset); null: never. */
  failListingAfter: number | null = null;
  abstract settings: { rateLimit: Limit | null; notesDenied: boolean };

  record(entry: Entry): void {
    this.log.push(entry);
    if (this.log.length > 100_000) this.log.splice(0, 50_000);
  }

  /** Counts a request; true when the rate limit answers this one. */
  limited(): boolean {
    this.requestCount += 1;
    return this.settings.rateLimit !== null && this.requestCount % this.settings.rateLimit.everyNth === 0;
  }
}

/** The RunningTarget switches of a fake whose API can be switched off by a flag. */
export function targetSwitches(fake: FakeTraffic<unknown> & { settings: { apiOff: boolean } }): Pick<RunningTarget, 'denyNotes' | 'rateLimit' | 'failListingAfter' | 'switchApiOff'> {
  return {
    denyNotes(denied) {
      fake.settings.notesDenied = denied;
    },
    rateLimit(limit) {
      fake.settings.rateLimit = limit;
      fake.requestCount = 0;
    },
    failListingAfter(n) {
      fake.failListingAfter = n;
    },
    switchApiOff() {
      fake.settings.apiOff = true;
    },
  };
}
