/**
 * Managers ordered by a score that only ever goes down (a receiver's room left under the target, a donor's
 * utilisation), highest first, ties to the lower index, so that finding the top costs O(log managers) instead of a
 * scan. Each manager sits in the heap once, nothing is allocated per move, and nobody tells the heap that a score
 * dropped: it orders members by the score they had when last placed, which is never below the score they have now.
 * So when the top member's score is still the one it was placed with, it is the true top (everyone else's score is at
 * most what they were placed with, which is at most the top's); when it dropped, it is placed again, and the check
 * repeats. A receiver sits in a heap per segment key it serves and takes a deal from one of them at a time: only the
 * heaps that reach it at their top pay for its drop, rather than every heap on every move.
 */
export class ShrinkingScoreHeap {
  private readonly heap: Int32Array;
  /** The score each position's member had when it was placed there. */
  private readonly placed: Float64Array;

  constructor(
    private readonly score: ArrayLike<number>,
    members: readonly number[],
  ) {
    this.heap = Int32Array.from(members);
    this.placed = Float64Array.from(members, (m) => score[m]!);
    for (let i = (this.heap.length >>> 1) - 1; i >= 0; i--) this.down(i, this.heap[i]!, this.placed[i]!);
  }

  /** The manager with the highest score, or -1 when empty. */
  top(): number {
    const { heap, placed, score } = this;
    if (heap.length === 0) return -1;
    for (;;) {
      const m = heap[0]!;
      const now = score[m]!;
      if (placed[0] === now) return m;
      this.down(0, m, now);
    }
  }

  /** Places member m with score s at position i or below, moving the members above it up. */
  private down(i: number, m: number, s: number): void {
    const { heap, placed } = this;
    const n = heap.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (placed[right]! > placed[child]! || (placed[right] === placed[child] && heap[right]! < heap[child]!))) child = right;
      const c = placed[child]!;
      if (!(c > s || (c === s && heap[child]! < m))) break;
      heap[i] = heap[child]!;
      placed[i] = c;
      i = child;
    }
    heap[i] = m;
    placed[i] = s;
  }
}
