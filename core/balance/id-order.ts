import type { Deal } from '../schema';

/**
 * Sorts deals[from … to) — deal indices — by deal id, as `<` orders strings (UTF-16 code units), stably. Each id is
 * read once into a scratch array, so a comparison touches no deal object; runs are sorted by insertion in blocks of
 * 16 and then merged, with no comparator callback and no allocation once the scratch arrays are big enough.
 * Several runs of one answer share one DealIdSorter and so its scratch arrays.
 */
export class DealIdSorter {
  private ids: string[] = [];
  private otherIds: string[] = [];
  private order = new Int32Array(0);
  private other = new Int32Array(0);

  constructor(private readonly dealList: readonly Deal[]) {}

  sort(deals: Int32Array, from: number, to: number): void {
    const size = to - from;
    if (size < 2) return;
    if (this.order.length < size) {
      const length = Math.max(size, 2 * this.order.length);
      this.order = new Int32Array(length);
      this.other = new Int32Array(length);
      this.ids = new Array<string>(length);
      this.otherIds = new Array<string>(length);
    }
    let { ids, otherIds, order, other } = this;
    for (let i = 0; i < size; i++) {
      order[i] = deals[from + i]!;
      ids[i] = this.dealList[order[i]!]!.id;
    }
    for (let block = 0; block < size; block += BLOCK) insertionSort(ids, order, block, Math.min(block + BLOCK, size));
    for (let width = BLOCK; width < size; width *= 2) {
      for (let left = 0; left < size; left += 2 * width) merge(ids, order, otherIds, other, left, Math.min(left + width, size), Math.min(left + 2 * width, size));
      const swapIds = ids;
      ids = otherIds;
      otherIds = swapIds;
      const swap = order;
      order = other;
      other = swap;
    }
    for (let i = 0; i < size; i++) deals[from + i] = order[i]!;
  }
}

const BLOCK = 16;

function insertionSort(ids: string[], order: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const id = ids[i]!;
    const d = order[i]!;
    let j = i - 1;
    for (; j >= from && ids[j]! > id; j--) {
      ids[j + 1] = ids[j]!;
      order[j + 1] = order[j]!;
    }
    ids[j + 1] = id;
    order[j + 1] = d;
  }
}

/** Merges [left, middle) and [middle, right) of ids/order into the same places of intoIds/into; ties keep the left. */
function merge(ids: string[], order: Int32Array, intoIds: string[], into: Int32Array, left: number, middle: number, right: number): void {
  let a = left;
  let b = middle;
  for (let k = left; k < right; k++) {
    if (a < middle && (b >= right || !(ids[b]! < ids[a]!))) {
      intoIds[k] = ids[a]!;
      into[k] = order[a++]!;
    } else {
      intoIds[k] = ids[b]!;
      into[k] = order[b++]!;
    }
  }
}
