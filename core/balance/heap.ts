/**
 * Managers ordered by a score that only ever goes down (a receiver's room left under the target, a donor's
 * utilisation), highest first, ties to the lower index, so that each move costs O(log managers) instead of a scan. Each manager sits in the heap once and is
 * sifted down in place when their score drops, so there are no stale entries and nothing is allocated per move.
 */
export class ShrinkingScoreHeap {
  private readonly heap: Int32Array;
  private readonly position: Int32Array;

  constructor(
    private readonly score: ArrayLike<number>,
    members: readonly number[],
    managerCount: number,
  ) {
    this.heap = Int32Array.from(members);
    this.position = new Int32Array(managerCount).fill(-1);
    this.heap.forEach((m, i) => (this.position[m] = i));
    for (let i = (this.heap.length >>> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** The manager with the highest score, or -1 when empty. */
  top(): number {
    return this.heap.length > 0 ? this.heap[0]! : -1;
  }

  /** Call after a member's score went down; a non-member is ignored. */
  decreased(manager: number): void {
    const i = this.position[manager]!;
    if (i >= 0) this.down(i);
  }

  private first(a: number, b: number): boolean {
    const sa = this.score[a]!;
    const sb = this.score[b]!;
    return sa > sb || (sa === sb && a < b);
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.first(heap[child + 1]!, heap[child]!)) child += 1;
      if (!this.first(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      this.position[heap[i]!] = i;
      i = child;
    }
    heap[i] = item;
    this.position[item] = i;
  }
}
