import { describe, expect, it } from 'vitest';
import { Pace } from '../../../server/connectors/bitrix24/rest';

// Bitrix24's documented leaky bucket (b24restdocs limits.md): 50 requests at once, then 2 a second.
describe('Bitrix24 request pacing', () => {
  it('lets a burst of 50 through, then one request every 500 ms', () => {
    let now = 1_000_000;
    const pace = new Pace(50, 2, () => now);
    const waits = Array.from({ length: 54 }, () => pace.take());
    expect(waits.slice(0, 50).every((ms) => ms === 0)).toBe(true);
    // Each further request waits half a second after the one before (a recorded wait counts as time gone by).
    expect(waits.slice(50)).toEqual([500, 500, 500, 500]);
  });

  it('drains while time passes, and counts a wait that was slept only once', () => {
    let now = 0;
    const pace = new Pace(50, 2, () => now);
    for (let i = 0; i < 50; i++) pace.take();
    now += 5_000; // ten requests' worth drained
    expect(Array.from({ length: 10 }, () => pace.take())).toEqual(Array(10).fill(0));
    const wait = pace.take();
    expect(wait).toBe(500);
    now += wait; // slept for real
    expect(pace.take()).toBe(500);
  });
});
