import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShrinkingScoreHeap } from '../../../core/balance/heap';

/** The top by a scan: highest score, ties to the lower index. */
function scanTop(score: Float64Array, members: number[]): number {
  let best = -1;
  for (const m of members) if (best < 0 || score[m]! > score[best]! || (score[m] === score[best] && m < best)) best = m;
  return best;
}

describe('ShrinkingScoreHeap', () => {
  it('always tops the member a scan would pick, though it is never told which scores dropped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 5 })), { maxLength: 60 }),
        (scores, drops) => {
          const score = Float64Array.from(scores);
          // Every other manager is a member, so that non-members' scores change too.
          const members = scores.map((_, i) => i).filter((i) => i % 2 === 0);
          const heap = new ShrinkingScoreHeap(score, members);
          expect(heap.top()).toBe(scanTop(score, members));
          for (const [who, by] of drops) {
            score[who % scores.length]! -= by;
            expect(heap.top()).toBe(scanTop(score, members));
          }
        },
      ),
    );
  });

  it('is empty without members', () => {
    expect(new ShrinkingScoreHeap(new Float64Array(3), []).top()).toBe(-1);
  });
});
