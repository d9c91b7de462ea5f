/**
 * SlabPool: fixed-size records in a SharedArrayBuffer, stored field by field (struct of arrays),
 * handed out and taken back in O(1) through a lock-free free list. Several threads may share one
 * pool; every method below is safe on any thread that holds a view of the same buffer.
 */
import { alignUp, CACHE_LINE_BYTES } from './layout';
import type { MemoryStat } from './memoryStats';

/** The element type of one field: 32-bit signed, 32-bit unsigned, or 64-bit float. */
export type FieldType = 'i32' | 'u32' | 'f64';

/** A record's fields, in layout order. Prices in wire units belong in `i32`, quantities in `f64`. */
export type RecordSchema = Readonly<Record<string, FieldType>>;

/** The typed array that holds one field of every record. */
export type FieldArray<T extends FieldType> = T extends 'f64'
  ? Float64Array
  : T extends 'i32'
    ? Int32Array
    : Uint32Array;

/** One typed array per field, indexed by `pool.index(handle)`. */
export type FieldArrays<S extends RecordSchema> = { readonly [K in keyof S]: FieldArray<S[K]> };

/** The value `acquire` returns when the pool is empty. Never a valid handle. */
export const NO_HANDLE = -1;

/** Everything another thread needs to wrap the same pool (plain data; structured-clone safe). */
export interface SlabPoolDescriptor<S extends RecordSchema = RecordSchema> {
  readonly kind: 'slabPool';
  readonly schema: S;
  readonly capacity: number;
  readonly threadCache: number;
  readonly buffer: SharedArrayBuffer;
}

/** The largest pool: indices and the generation share a 30-bit small-integer handle. */
export const MAX_POOL_CAPACITY = (1 << 20) - 1;

/** The most views (threads) one pool can have at once; each gets its own counter line until it detaches. */
export const MAX_POOL_VIEWS = 32;

const LINE = CACHE_LINE_BYTES / 4;
// Header, in Int32 slots. Line 0: the free-list head, the one word every thread CASes.
const HEAD = 0;
// Line 1: records out of the shared free list (in use or in a thread's cache), and its peak.
const OUTSTANDING = LINE;
const HIGH_WATER = LINE + 1;
// Then the counters of views that detached, folded in so that their lines can be reused.
const RETIRED = LINE + 2;
// Line 2: geometry, written once; and the count of views handed out.
const CAPACITY = 2 * LINE;
const THREAD_CACHE = 2 * LINE + 1;
/** Bit v set while view line v is taken. */
const VIEWS = 2 * LINE + 2;
// Lines 3 .. 3 + MAX_POOL_VIEWS: one per view, written only by that view's thread.
const VIEW_LINES = 3 * LINE;
const ACQUIRES = 0;
const RELEASES = 1;
const FAILED = 2;
const STALE = 3;
const HEADER_BYTES = (3 + MAX_POOL_VIEWS) * CACHE_LINE_BYTES;

const ELEMENT_BYTES: Readonly<Record<FieldType, number>> = { i32: 4, u32: 4, f64: 8 };

/** Index bits needed so that all-ones (the "nil" index) is never a real slot. */
function indexBitsFor(capacity: number): number {
  return 32 - Math.clz32(capacity);
}

/** The default per-thread cache: big enough to make the hot path atomic-free, small against capacity. */
export function defaultThreadCache(capacity: number): number {
  return Math.min(32, Math.floor(capacity / 16));
}

/**
 * A pool of `capacity` records of schema `S` in one SharedArrayBuffer.
 *
 * Layout (byte offsets; every region starts on a 64-byte line):
 * - 0: free-list head, Int32 `(tag << indexBits) | index`; the tag is bumped on every push and pop,
 *   so a compare-and-swap against a head that was popped and pushed back in between fails (ABA).
 * - 64: records out of the shared list (Int32), its high-water mark, then the four counters below
 *   summed over views that detached.
 * - 128: capacity, thread-cache size, bitmask of view lines taken (Int32 each).
 * - 192 + 64 * v: view v's counters, written only by its thread: acquires, releases, failed
 *   acquires, stale releases (Int32 each, wrapping). MAX_POOL_VIEWS lines.
 * - then `next`, Int32 x capacity: the free-list link of each free slot.
 * - then `generation`, Int32 x capacity: odd while the slot is in use, even while free.
 * - then one region per field, in schema order: capacity elements of the field's type.
 *
 * Each view (one per thread) keeps a private cache of up to `threadCache` free slots, like a
 * malloc's thread cache: acquire and release touch only that cache, the slot's generation and the
 * view's own counter line, with no atomic read-modify-write; the shared lock-free list is touched
 * in batches of `threadCache / 2`. With `threadCache` 0 every call goes to the shared list.
 *
 * A handle is `(generation << indexBits) | index`, a non-negative integer below 2^30 (a V8 small
 * integer, so passing one around never allocates). Releasing or checking a handle whose generation
 * is not the slot's current one fails: a stale handle is detected, not silently reused. The
 * generation has `30 - indexBits` bits and advances twice per use, so detection is certain for
 * 2^(29 - indexBits) reuses of one slot (512 at the maximum capacity, 2^17 at capacity 4095).
 *
 * Threading: every method may run on any thread that made its own view (create or attach); a view
 * belongs to one thread. A handle may be released on another thread than the one that acquired it.
 * Releasing one live handle on two threads at the same instant is a caller bug the pool does not
 * promise to catch (a second release after the first completed is always caught). A record's
 * fields belong to whoever holds its handle; the pool does not guard them. Slots in a thread's
 * cache are free but invisible to other threads: a thread that is done with a pool calls
 * `detach()`, which drains its cache and frees its view line (a view that never detaches keeps its
 * line and cached slots until the buffer is dropped).
 */
export class SlabPool<S extends RecordSchema> {
  /** One typed array per field; read and write `fields.x[pool.index(handle)]`. */
  readonly fields: FieldArrays<S>;
  readonly capacity: number;
  /** Free slots this view may keep to itself. */
  readonly threadCache: number;
  readonly buffer: SharedArrayBuffer;
  readonly schema: S;
  private readonly header: Int32Array;
  private readonly next: Int32Array;
  private readonly generation: Int32Array;
  private readonly indexBits: number;
  private readonly nil: number;
  private readonly generationMask: number;
  /** This view's counter line, as an index into `header`. */
  private readonly mine: number;
  /** This thread's cache of free slots (private memory, not shared). */
  private readonly cache: Int32Array;
  private cached = 0;

  /** Bytes of SharedArrayBuffer a pool of `capacity` records of `schema` needs. */
  static byteLength(schema: RecordSchema, capacity: number): number {
    checkCapacity(capacity);
    let bytes = HEADER_BYTES + 2 * alignUp(capacity * 4);
    for (const type of Object.values(schema)) bytes += alignUp(capacity * ELEMENT_BYTES[type]);
    return bytes;
  }

  /**
   * Allocates the buffer and threads every slot onto the free list. `threadCache` (default
   * `defaultThreadCache(capacity)`) is the free slots each view may keep. Allocates; call once.
   */
  static create<S extends RecordSchema>(
    schema: S,
    capacity: number,
    threadCache: number = defaultThreadCache(capacity),
  ): SlabPool<S> {
    checkCapacity(capacity);
    if (!Number.isSafeInteger(threadCache) || threadCache < 0 || threadCache > 1024) {
      throw new RangeError(`threadCache must be an integer in [0, 1024] (got ${threadCache})`);
    }
    const buffer = new SharedArrayBuffer(SlabPool.byteLength(schema, capacity));
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    header[CAPACITY] = capacity;
    header[THREAD_CACHE] = threadCache;
    const next = new Int32Array(buffer, HEADER_BYTES, capacity);
    const nil = (1 << indexBitsFor(capacity)) - 1;
    for (let i = 0; i < capacity; i++) next[i] = i + 1 < capacity ? i + 1 : nil;
    Atomics.store(header, HEAD, 0);
    return new SlabPool({ kind: 'slabPool', schema, capacity, threadCache, buffer });
  }

  /** Wraps a pool another thread created, from its descriptor. Allocates the views; call once per thread. */
  static attach<S extends RecordSchema>(descriptor: SlabPoolDescriptor<S>): SlabPool<S> {
    return new SlabPool(descriptor);
  }

  private constructor(d: SlabPoolDescriptor<S>) {
    const { schema, capacity, buffer } = d;
    const need = SlabPool.byteLength(schema, capacity);
    if (buffer.byteLength < need)
      throw new RangeError(`pool buffer needs ${need} bytes (got ${buffer.byteLength})`);
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    if (this.header[CAPACITY] !== capacity || this.header[THREAD_CACHE] !== d.threadCache) {
      throw new RangeError('pool descriptor does not match the buffer it names');
    }
    this.mine = VIEW_LINES + takeViewLine(this.header) * LINE;
    this.schema = schema;
    this.capacity = capacity;
    this.threadCache = d.threadCache;
    this.cache = new Int32Array(d.threadCache + 1);
    this.buffer = buffer;
    this.indexBits = indexBitsFor(capacity);
    this.nil = (1 << this.indexBits) - 1;
    this.generationMask = (1 << (30 - this.indexBits)) - 1;
    let offset = HEADER_BYTES;
    this.next = new Int32Array(buffer, offset, capacity);
    offset += alignUp(capacity * 4);
    this.generation = new Int32Array(buffer, offset, capacity);
    offset += alignUp(capacity * 4);
    const fields: Record<string, Int32Array | Uint32Array | Float64Array> = {};
    for (const [name, type] of Object.entries(schema)) {
      fields[name] =
        type === 'f64'
          ? new Float64Array(buffer, offset, capacity)
          : type === 'i32'
            ? new Int32Array(buffer, offset, capacity)
            : new Uint32Array(buffer, offset, capacity);
      offset += alignUp(capacity * ELEMENT_BYTES[type]);
    }
    this.fields = fields as FieldArrays<S>;
  }

  /** The descriptor to post to another thread, which wraps it with `SlabPool.attach`. */
  describe(): SlabPoolDescriptor<S> {
    return {
      kind: 'slabPool',
      schema: this.schema,
      capacity: this.capacity,
      threadCache: this.threadCache,
      buffer: this.buffer,
    };
  }

  /**
   * Takes a free record and returns its handle, or NO_HANDLE (counted as a failed acquire) when
   * no record is free to this thread. This view's thread only. Allocates nothing; from the
   * thread's cache it does no atomic read-modify-write. The fields hold what the last owner left.
   */
  acquire(): number {
    let n = this.cached;
    if (n === 0) {
      n = this.refill();
      if (n === 0) {
        const h = this.header;
        h[this.mine + FAILED] = ((h[this.mine + FAILED] ?? 0) + 1) | 0;
        return NO_HANDLE;
      }
    }
    n--;
    this.cached = n;
    const index = this.cache[n] ?? 0;
    // Only the thread that took a free slot moves its generation to odd.
    const generation = ((this.generation[index] ?? 0) + 1) & this.generationMask;
    this.generation[index] = generation;
    const h = this.header;
    h[this.mine + ACQUIRES] = ((h[this.mine + ACQUIRES] ?? 0) + 1) | 0;
    return (generation << this.indexBits) | index;
  }

  /**
   * Returns the record to the pool. False (and counted as a stale release) when the handle is not
   * live: released already, from an older use of the slot, or not a handle at all. This view's
   * thread only; the handle may come from any thread. Allocates nothing.
   */
  release(handle: number): boolean {
    const index = handle & this.nil;
    const generation = handle >>> this.indexBits;
    const h = this.header;
    if (
      (handle | 0) !== handle ||
      handle < 0 ||
      index >= this.capacity ||
      (generation & 1) === 0 ||
      this.generation[index] !== generation
    ) {
      h[this.mine + STALE] = ((h[this.mine + STALE] ?? 0) + 1) | 0;
      return false;
    }
    this.generation[index] = (generation + 1) & this.generationMask;
    h[this.mine + RELEASES] = ((h[this.mine + RELEASES] ?? 0) + 1) | 0;
    const n = this.cached;
    this.cache[n] = index;
    this.cached = n + 1;
    if (n + 1 > this.threadCache) this.flush(n + 1 - (this.threadCache >> 1));
    return true;
  }

  /** Returns every slot in this thread's cache to the shared list. Call before the thread stops using the pool. */
  drain(): void {
    this.flush(this.cached);
  }

  /**
   * This view's thread, when it is done with the pool: drains the cache, folds this view's counters
   * into the pool's totals and frees its view line for another thread. The view must not be used
   * afterwards. Handles it acquired stay valid and may be released through other views.
   */
  detach(): void {
    this.drain();
    const h = this.header;
    for (let c = ACQUIRES; c <= STALE; c++) {
      Atomics.add(h, RETIRED + c, h[this.mine + c] ?? 0);
      Atomics.store(h, this.mine + c, 0);
    }
    const bit = 1 << ((this.mine - VIEW_LINES) / LINE);
    Atomics.and(h, VIEWS, ~bit);
  }

  /** Moves up to half a cache (at least one) of slots from the shared list into this thread's cache. */
  private refill(): number {
    const want = Math.max(1, this.threadCache >> 1);
    const header = this.header;
    const bits = this.indexBits;
    const nil = this.nil;
    let got = 0;
    while (got < want) {
      const head = Atomics.load(header, HEAD);
      const index = head & nil;
      if (index === nil) break;
      const next = Atomics.load(this.next, index);
      // The shift drops the tag's overflow, so the tag wraps by itself.
      const newHead = (((head >>> bits) + 1) << bits) | next;
      if (Atomics.compareExchange(header, HEAD, head, newHead) === head) this.cache[got++] = index;
    }
    this.cached = got;
    if (got > 0) {
      const out = Atomics.add(header, OUTSTANDING, got) + got;
      let high = Atomics.load(header, HIGH_WATER);
      while (out > high) {
        const seen = Atomics.compareExchange(header, HIGH_WATER, high, out);
        if (seen === high) break;
        high = seen;
      }
    }
    return got;
  }

  /** Pushes the `count` most recently cached slots back onto the shared list. */
  private flush(count: number): void {
    const header = this.header;
    const bits = this.indexBits;
    // Counted back before the slots are visible, so the peak never exceeds capacity (it may lag low).
    if (count > 0) Atomics.sub(header, OUTSTANDING, count);
    for (let k = 0; k < count; k++) {
      const index = this.cache[--this.cached] ?? 0;
      for (;;) {
        const head = Atomics.load(header, HEAD);
        Atomics.store(this.next, index, head & this.nil);
        const newHead = (((head >>> bits) + 1) << bits) | index;
        if (Atomics.compareExchange(header, HEAD, head, newHead) === head) break;
      }
    }
  }

  /** True while `handle` is the current, unreleased handle of its record. Any thread; may be stale by the time it returns if another thread releases it. */
  isLive(handle: number): boolean {
    const index = handle & this.nil;
    const generation = handle >>> this.indexBits;
    if ((handle | 0) !== handle || handle < 0 || index >= this.capacity || (generation & 1) === 0)
      return false;
    return Atomics.load(this.generation, index) === generation;
  }

  /** The record index of a handle, for `fields.x[index]`. Not checked: the hot path. Use `checkedIndex` where a stale handle is possible. */
  index(handle: number): number {
    return handle & this.nil;
  }

  /** The record index of a live handle; throws on a stale one. */
  checkedIndex(handle: number): number {
    if (!this.isLive(handle)) throw new RangeError(`stale or invalid pool handle ${handle}`);
    return handle & this.nil;
  }

  /** Records in use right now, over all threads. Any thread; may be stale by the operations in flight. */
  get inUse(): number {
    return this.sumCounter(ACQUIRES) - this.sumCounter(RELEASES);
  }

  private sumCounter(counter: number): number {
    // Lines of detached views are zero, so summing every line is right (a detach in flight may
    // be counted twice or not at all for an instant).
    let sum = Atomics.load(this.header, RETIRED + counter);
    for (let v = 0; v < MAX_POOL_VIEWS; v++) {
      sum = (sum + Atomics.load(this.header, VIEW_LINES + v * LINE + counter)) | 0;
    }
    return sum;
  }

  /**
   * Occupancy and failures of this pool over all threads. `highWater` is the peak of records out
   * of the shared list — in use or parked in thread caches — so it is an upper bound on the peak
   * in use, by at most `threadCache` per thread. Any thread; allocates the result.
   */
  stats(name: string): MemoryStat {
    return {
      name,
      kind: 'pool',
      capacity: this.capacity,
      used: this.inUse,
      highWater: Atomics.load(this.header, HIGH_WATER),
      overflows: this.sumCounter(FAILED),
      stale: this.sumCounter(STALE),
      waits: 0,
      bytes: this.buffer.byteLength,
    };
  }
}

function checkCapacity(capacity: number): void {
  if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > MAX_POOL_CAPACITY) {
    throw new RangeError(`pool capacity must be an integer in [1, ${MAX_POOL_CAPACITY}] (got ${capacity})`);
  }
}

/** Claims the lowest free view line; throws when all MAX_POOL_VIEWS are taken. */
function takeViewLine(header: Int32Array): number {
  for (;;) {
    const taken = Atomics.load(header, VIEWS);
    const free = ~taken;
    if (free === 0) throw new RangeError(`a pool supports at most ${MAX_POOL_VIEWS} views at once`);
    const v = 31 - Math.clz32(free & -free);
    if (Atomics.compareExchange(header, VIEWS, taken, taken | (1 << v)) === taken) return v;
  }
}
