/**
 * A binary heap ordered by `before(a, b)` (true when a should come out first). Used for "most loaded donor" and
 * "receiver with the most room", so that each move costs O(log managers) instead of a scan.
 */
export class Heap<T> {
  private readonly items: T[];

  constructor(
    private readonly before: (a: T, b: T) => boolean,
    items: T[] = [],
  ) {
    this.items = items;
    for (let i = (items.length >>> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const items = this.items;
    const item = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!this.before(item, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(items[child + 1]!, items[child]!)) child += 1;
      if (!this.before(items[child]!, item)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = item;
  }
}

/**
 * Managers ordered by a score that only ever goes down (room left under the target), highest first, ties to the
 * lower index. Each manager sits in the heap once and is sifted down in place when their score drops, so there are
 * no stale entries and nothing is allocated per move.
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
