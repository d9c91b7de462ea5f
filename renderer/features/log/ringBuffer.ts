/**
 * A fixed number of the latest items: allocated once, each push overwrites the oldest when full.
 * Main thread only.
 */
export class RingBuffer<T> {
  private readonly slots: (T | undefined)[];
  private next = 0;
  private count = 0;
  private pushed = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** Items held now (at most `capacity`). */
  get size(): number {
    return this.count;
  }

  /** Items ever pushed (the ones dropped too). */
  get total(): number {
    return this.pushed;
  }

  push(item: T): void {
    this.slots[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    this.pushed++;
  }

  /** The items newest first. Allocates the returned array. */
  newestFirst(): T[] {
    const out: T[] = [];
    for (let i = 1; i <= this.count; i++) {
      const item = this.slots[(this.next - i + this.capacity) % this.capacity];
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}
