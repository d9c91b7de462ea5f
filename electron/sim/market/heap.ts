// A binary min-heap of scheduled agent actions, ordered by time and then by the order they were
// scheduled, so equal times always run in the same order.

/** One scheduled action. `seq` breaks ties; `orderId` is set for a noise trader's planned cancel. */
export interface Scheduled {
  readonly time: number;
  readonly seq: number;
  readonly kind: number;
  readonly slot: number;
  readonly orderId: string;
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** The schedule. */
export class Schedule {
  private readonly items: Scheduled[] = [];
  private seq = 0;

  /** Number of pending actions. */
  get size(): number {
    return this.items.length;
  }

  /** Adds an action. Allocates one small object. */
  push(time: number, kind: number, slot: number, orderId = ''): void {
    const item: Scheduled = { time, seq: this.seq++, kind, slot, orderId };
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent];
      if (p === undefined || !before(item, p)) break;
      a[i] = p;
      i = parent;
    }
    a[i] = item;
  }

  /** The earliest action's time, or Infinity. */
  peekTime(): number {
    return this.items[0]?.time ?? Infinity;
  }

  /** Removes and returns the earliest action. */
  pop(): Scheduled | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let best = last;
      const left = a[l];
      if (left !== undefined && before(left, best)) {
        m = l;
        best = left;
      }
      const right = a[r];
      if (right !== undefined && before(right, best)) {
        m = r;
        best = right;
      }
      if (m === i) break;
      a[i] = best;
      i = m;
    }
    a[i] = last;
    return top;
  }
}
