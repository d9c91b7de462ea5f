/**
 * ColumnStore: bar history as columns (time, open, high, low, close, volume, oi) in one
 * SharedArrayBuffer, appended by one thread and read by any number of worker threads without
 * copying (a backtest sweep hands every worker the same buffer).
 */
import { alignUp, CACHE_LINE_BYTES } from './layout';
import type { MemoryStat } from './memoryStats';

/** One bar, for `append`. Prices in the instrument's wire unit; time in ms since the Unix epoch (UTC). */
export interface Bar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly oi: number;
}

/** Everything another thread needs to wrap the same store (plain data; structured-clone safe). */
export interface ColumnStoreDescriptor {
  readonly kind: 'columnStore';
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer;
}

const LENGTH = 0;
const CAPACITY = 1;
const HEADER_BYTES = CACHE_LINE_BYTES;

/**
 * Up to `capacity` bars, append-only.
 *
 * Layout (byte offsets; each column starts on a 64-byte line):
 * - 0: length (Int32; bars published), capacity (Int32).
 * - 64: time, Float64 x capacity.
 * - then open, high, low, close: Int32 x capacity each (wire-unit prices).
 * - then volume, oi: Float64 x capacity each.
 *
 * Threading: one writer thread (append, appendColumns) for the life of the store. Readers on any
 * thread read `length` once, then any bar below it: a published bar is never written again. The
 * column arrays are writable views (JavaScript has no read-only SharedArrayBuffer); readers must
 * not write them. A reader's `length` may be stale by the bars appended since it loaded it.
 */
export class ColumnStore {
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer;
  readonly time: Float64Array;
  readonly open: Int32Array;
  readonly high: Int32Array;
  readonly low: Int32Array;
  readonly close: Int32Array;
  readonly volume: Float64Array;
  readonly oi: Float64Array;
  private readonly header: Int32Array;

  /** Bytes of SharedArrayBuffer a store of `capacity` bars needs. */
  static byteLength(capacity: number): number {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 2 ** 27) {
      throw new RangeError(`column store capacity must be an integer in [1, 2^27] (got ${capacity})`);
    }
    return HEADER_BYTES + 3 * alignUp(capacity * 8) + 4 * alignUp(capacity * 4);
  }

  /** Allocates the store's buffer. Allocates; call once. */
  static create(capacity: number): ColumnStore {
    const buffer = new SharedArrayBuffer(ColumnStore.byteLength(capacity));
    new Int32Array(buffer, 0, 2)[CAPACITY] = capacity;
    return new ColumnStore({ kind: 'columnStore', capacity, buffer });
  }

  /** Wraps a store another thread created. Allocates the views; call once per thread. */
  static attach(descriptor: ColumnStoreDescriptor): ColumnStore {
    return new ColumnStore(descriptor);
  }

  private constructor(d: ColumnStoreDescriptor) {
    const need = ColumnStore.byteLength(d.capacity);
    if (d.buffer.byteLength < need) throw new RangeError(`column store buffer needs ${need} bytes`);
    this.header = new Int32Array(d.buffer, 0, HEADER_BYTES / 4);
    if (this.header[CAPACITY] !== d.capacity)
      throw new RangeError('column store descriptor does not match its buffer');
    this.capacity = d.capacity;
    this.buffer = d.buffer;
    const n = d.capacity;
    let at = HEADER_BYTES;
    const f64 = (): Float64Array => {
      const a = new Float64Array(d.buffer, at, n);
      at += alignUp(n * 8);
      return a;
    };
    const i32 = (): Int32Array => {
      const a = new Int32Array(d.buffer, at, n);
      at += alignUp(n * 4);
      return a;
    };
    this.time = f64();
    this.open = i32();
    this.high = i32();
    this.low = i32();
    this.close = i32();
    this.volume = f64();
    this.oi = f64();
  }

  /** The descriptor to post to another thread, which wraps it with `ColumnStore.attach`. */
  describe(): ColumnStoreDescriptor {
    return { kind: 'columnStore', capacity: this.capacity, buffer: this.buffer };
  }

  /** Bars published. Any thread; may be stale by the bars appended since. */
  get length(): number {
    return Atomics.load(this.header, LENGTH);
  }

  /** Writer thread only. Appends one bar and publishes it; false when the store is full. */
  append(bar: Bar): boolean {
    const i = this.header[LENGTH] ?? 0;
    if (i >= this.capacity) return false;
    this.time[i] = bar.time;
    this.open[i] = bar.open;
    this.high[i] = bar.high;
    this.low[i] = bar.low;
    this.close[i] = bar.close;
    this.volume[i] = bar.volume;
    this.oi[i] = bar.oi;
    Atomics.store(this.header, LENGTH, i + 1);
    return true;
  }

  /**
   * Writer thread only. Appends `count` bars whose fields were already written at indices
   * `length .. length + count - 1` of the columns (bulk loads write the columns directly, then
   * publish them in one store). Throws past capacity.
   */
  publish(count: number): void {
    const next = (this.header[LENGTH] ?? 0) + count;
    if (count < 0 || next > this.capacity)
      throw new RangeError(`cannot publish ${count} bars past capacity ${this.capacity}`);
    Atomics.store(this.header, LENGTH, next);
  }

  /** Bars used against capacity. Any thread; allocates the result. */
  stats(name: string): MemoryStat {
    const length = this.length;
    return {
      name,
      kind: 'columns',
      capacity: this.capacity,
      used: length,
      highWater: length,
      overflows: 0,
      waits: 0,
      stale: 0,
      bytes: this.buffer.byteLength,
    };
  }
}
