import type { RunningTarget } from '../../server/connectors/target';
import { FakeTraffic } from './http-util';

/**
 * What a contract fake counts and the switches every test flips the same way: the requests it answered (kept to the
 * last 50,000), a proxy's rate limit on every nth request, a listing cut after so many more, notes denied, the API
 * switched off. Each fake extends it with its vendor's own state.
 */
export abstract class SwitchableTraffic<Entry, Limit extends { everyNth: number } = { everyNth: number; retryAfterSeconds: number }> extends FakeTraffic<Entry> {
  abstract settings: { rateLimit: Limit | null; notesDenied: boolean };

  /** Counts a request; true when the fake's own rate limit answers this one. */
  override limited(limit: { everyNth: number } | null = this.settings.rateLimit): boolean {
    return super.limited(limit);
  }
}

/** The RunningTarget switches of a fake whose API can be switched off by a flag. */
export function targetSwitches(fake: SwitchableTraffic<unknown> & { settings: { apiOff: boolean } }): Pick<RunningTarget, 'denyNotes' | 'rateLimit' | 'failListingAfter' | 'switchApiOff'> {
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
