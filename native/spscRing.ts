/**
 * SpscRing: a single-producer single-consumer ring of fixed-size records in a SharedArrayBuffer,
 * after padenot/ringbuf.js and the LMAX Disruptor: the buffer is allocated once, each thread wraps
 * its own view, the producer writes records in place and then publishes its index with
 * Atomics.store, the consumer reads in place and then releases the slots with Atomics.store.
 */
import { alignUp, CACHE_LINE_BYTES } from './layout';
import type { MemoryStat } from './memoryStats';

/**
 * What the producer does when the ring is full: `refuse` the record (the push fails and is
 * counted), or `overwrite` the oldest unread record (counted) — for conflating feeds, where the
 * newest value matters and an old one is worthless.
 */
export type OverflowPolicy = 'refuse' | 'overwrite';

/** Ring geometry and policy. */
export interface SpscRingOptions {
  /** Records; a power of two, at least 2. */
  readonly capacity: number;
  /** Bytes per record; a positive multiple of 8, so every record is Float64-aligned. */
  readonly recordBytes: number;
  readonly overflow: OverflowPolicy;
}

/** Everything another thread needs to wrap the same ring (plain data; structured-clone safe). */
export interface SpscRingDescriptor extends SpscRingOptions {
  readonly kind: 'spscRing';
  readonly buffer: SharedArrayBuffer;
}

/** What `waitForData` and `waitForSpace` resolve to. */
export type WaitResult = 'ready' | 'timed-out';

// Int32 slots. Line 0 is the producer's: written only by the producer.
const WRITE = 0;
const OVERFLOWS = 1;
const HIGH_WATER = 2;
const WRITER_WAITS = 3;
// Line 1 is the consumer's: written only by the consumer (and, under `overwrite`, by the producer
// through compare-and-swap when it drops the oldest record).
const READ = CACHE_LINE_BYTES / 4;
const READER_WAITS = READ + 1;
// Line 2: wake-up flags, written only by a thread about to park, so the hot lines stay quiet.
const READER_PARKED = (2 * CACHE_LINE_BYTES) / 4;
const WRITER_PARKED = READER_PARKED + 1;
// Line 3: geometry, written once at creation.
const CAPACITY = (3 * CACHE_LINE_BYTES) / 4;
const RECORD_BYTES = CAPACITY + 1;
const POLICY = CAPACITY + 2;
const HEADER_BYTES = 4 * CACHE_LINE_BYTES;

/** Spin iterations before a waiting thread parks, by default. */
export const DEFAULT_SPINS = 256;

/**
 * A ring of `capacity` records of `recordBytes` each.
 *
 * Layout (byte offsets):
 * - 0: producer line: write index, overflows, high-water mark, producer waits (Int32 each).
 * - 64: consumer line: read index, consumer waits.
 * - 128: park flags: consumer parked, producer parked.
 * - 192: capacity, recordBytes, policy (0 refuse, 1 overwrite).
 * - 256: `capacity` records of `recordBytes`; record at slot `s` starts at byte 256 + s * recordBytes.
 *
 * Indices count records since creation, modulo 2^32; a slot is `index & (capacity - 1)`. The ring
 * is empty when they are equal and full when they differ by `capacity`.
 *
 * Threading: one producer thread and one consumer thread, for the life of the ring. Producer
 * methods (claim, claimBatch, writeSlot, publish, waitForSpace) must only run on the producer;
 * consumer methods (available, readSlot, consume, waitForData) only on the consumer. stats() and
 * occupancy may run anywhere and may be one update stale.
 */
export class SpscRing {
  readonly capacity: number;
  readonly recordBytes: number;
  readonly overflow: OverflowPolicy;
  readonly buffer: SharedArrayBuffer;
  /** The records, as bytes. Record `s` starts at `s * recordBytes`. */
  readonly u8: Uint8Array;
  /** The records, as Int32. Record `s` starts at `s * i32Stride`. */
  readonly i32: Int32Array;
  /** The records, as Float64. Record `s` starts at `s * f64Stride`. */
  readonly f64: Float64Array;
  /** Int32 elements per record. */
  readonly i32Stride: number;
  /** Float64 elements per record. */
  readonly f64Stride: number;
  private readonly header: Int32Array;
  private readonly mask: number;
  private readonly overwrites: boolean;
  // Producer-local state (meaningful only in the producer's view).
  private writePos = 0;
  private claimed = 0;
  private readCache = 0;
  // Consumer-local state (meaningful only in the consumer's view).
  private readPos = 0;
  private writeCache = 0;

  /** Bytes of SharedArrayBuffer a ring with these options needs. */
  static byteLength(options: Pick<SpscRingOptions, 'capacity' | 'recordBytes'>): number {
    checkOptions(options.capacity, options.recordBytes);
    return HEADER_BYTES + alignUp(options.capacity * options.recordBytes);
  }

  /** Allocates the ring's buffer. Allocates; call once, then hand `describe()` to the other thread. */
  static create(options: SpscRingOptions): SpscRing {
    const buffer = new SharedArrayBuffer(SpscRing.byteLength(options));
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    header[CAPACITY] = options.capacity;
    header[RECORD_BYTES] = options.recordBytes;
    header[POLICY] = options.overflow === 'overwrite' ? 1 : 0;
    return new SpscRing({ kind: 'spscRing', buffer, ...options });
  }

  /** Wraps a ring another thread created. Allocates the views; call once per thread. */
  static attach(descriptor: SpscRingDescriptor): SpscRing {
    return new SpscRing(descriptor);
  }

  private constructor(d: SpscRingDescriptor) {
    checkOptions(d.capacity, d.recordBytes);
    const need = SpscRing.byteLength(d);
    if (d.buffer.byteLength < need)
      throw new RangeError(`ring buffer needs ${need} bytes (got ${d.buffer.byteLength})`);
    this.header = new Int32Array(d.buffer, 0, HEADER_BYTES / 4);
    if (
      this.header[CAPACITY] !== d.capacity ||
      this.header[RECORD_BYTES] !== d.recordBytes ||
      this.header[POLICY] !== (d.overflow === 'overwrite' ? 1 : 0)
    ) {
      throw new RangeError('ring descriptor does not match the buffer it names');
    }
    this.capacity = d.capacity;
    this.recordBytes = d.recordBytes;
    this.overflow = d.overflow;
    this.overwrites = d.overflow === 'overwrite';
    this.buffer = d.buffer;
    this.mask = d.capacity - 1;
    this.u8 = new Uint8Array(d.buffer, HEADER_BYTES, d.capacity * d.recordBytes);
    this.i32 = new Int32Array(d.buffer, HEADER_BYTES, (d.capacity * d.recordBytes) / 4);
    this.f64 = new Float64Array(d.buffer, HEADER_BYTES, (d.capacity * d.recordBytes) / 8);
    this.i32Stride = d.recordBytes / 4;
    this.f64Stride = d.recordBytes / 8;
    this.writePos = Atomics.load(this.header, WRITE);
    this.readPos = Atomics.load(this.header, READ);
    this.readCache = this.readPos;
    this.writeCache = this.writePos;
  }

  /** The descriptor to post to the other thread, which wraps it with `SpscRing.attach`. */
  describe(): SpscRingDescriptor {
    return {
      kind: 'spscRing',
      buffer: this.buffer,
      capacity: this.capacity,
      recordBytes: this.recordBytes,
      overflow: this.overflow,
    };
  }

  // ---- producer -------------------------------------------------------------------------------

  /**
   * Producer thread only. Claims the next record and returns its slot, or -1 when the ring is full
   * under `refuse` (counted as an overflow). Under `overwrite` it never fails: when full, the
   * oldest unread record is dropped (counted). Write the record, then `publish()`.
   */
  claim(): number {
    return this.claimBatch(1) === 1 ? (this.writePos + this.claimed - 1) & this.mask : -1;
  }

  /**
   * Producer thread only. Claims up to `n` more records and returns how many it claimed (all `n`
   * under `overwrite`, at most `capacity` in total). The k-th claimed record since the last publish
   * is at `writeSlot(k)`. Records refused under `refuse` are counted as overflows.
   */
  claimBatch(n: number): number {
    let free = this.capacity - ((this.writePos + this.claimed - this.readCache) | 0);
    if (free < n) {
      this.readCache = Atomics.load(this.header, READ);
      free = this.capacity - ((this.writePos + this.claimed - this.readCache) | 0);
    }
    if (free >= n) {
      this.claimed += n;
      return n;
    }
    if (!this.overwrites) {
      Atomics.add(this.header, OVERFLOWS, n - free);
      this.claimed += free;
      return free;
    }
    const want = Math.min(n, this.capacity - this.claimed);
    // Drop the oldest published records so the claim fits. The consumer may be releasing them at
    // the same moment, so move its index only by compare-and-swap.
    for (;;) {
      const read = this.readCache;
      const drop = want - (this.capacity - ((this.writePos + this.claimed - read) | 0));
      if (drop <= 0) break;
      const seen = Atomics.compareExchange(this.header, READ, read, (read + drop) | 0);
      if (seen === read) {
        this.readCache = (read + drop) | 0;
        Atomics.add(this.header, OVERFLOWS, drop);
        break;
      }
      this.readCache = seen;
    }
    this.claimed += want;
    return want;
  }

  /** Producer thread only. The slot of the k-th record claimed since the last publish. */
  writeSlot(k: number): number {
    return (this.writePos + k) & this.mask;
  }

  /** Producer thread only. Makes every claimed record visible to the consumer and wakes it if parked. */
  publish(): void {
    if (this.claimed === 0) return;
    const header = this.header;
    this.writePos = (this.writePos + this.claimed) | 0;
    this.claimed = 0;
    Atomics.store(header, WRITE, this.writePos);
    const used = (this.writePos - this.readCache) | 0;
    if (used > (header[HIGH_WATER] ?? 0)) Atomics.store(header, HIGH_WATER, used);
    if (Atomics.load(header, READER_PARKED) !== 0) Atomics.notify(header, WRITE);
  }

  /** Producer thread only. Copies one record from `src` (f64Stride values) and publishes it; false if refused. */
  pushF64(src: Float64Array): boolean {
    const slot = this.claim();
    if (slot < 0) return false;
    const base = slot * this.f64Stride;
    const f64 = this.f64;
    for (let i = 0; i < this.f64Stride; i++) f64[base + i] = src[i] ?? 0;
    this.publish();
    return true;
  }

  /**
   * Producer thread only. Resolves when at least `n` records can be claimed (or after `timeoutMs`):
   * spins `spins` times, then parks with Atomics.waitAsync until the consumer releases slots.
   * Allocates a promise when it parks.
   */
  async waitForSpace(n = 1, timeoutMs = Infinity, spins = DEFAULT_SPINS): Promise<WaitResult> {
    const header = this.header;
    const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const read = Atomics.load(header, READ);
      this.readCache = read;
      if (this.capacity - ((this.writePos + this.claimed - read) | 0) >= n) return 'ready';
      if (i < spins) continue;
      const left = deadline - Date.now();
      if (left <= 0) return 'timed-out';
      Atomics.store(header, WRITER_PARKED, 1);
      if (Atomics.load(header, READ) !== read) {
        Atomics.store(header, WRITER_PARKED, 0);
        continue;
      }
      Atomics.add(header, WRITER_WAITS, 1);
      const r = Atomics.waitAsync(header, READ, read, left);
      if (r.async) await r.value;
      Atomics.store(header, WRITER_PARKED, 0);
    }
  }

  // ---- consumer -------------------------------------------------------------------------------

  /** Consumer thread only. Records published and not yet consumed; read them, then `consume`. */
  available(): number {
    if (this.overwrites) {
      // The producer may have moved the read index past records it dropped.
      this.writeCache = Atomics.load(this.header, WRITE);
      this.readPos = Atomics.load(this.header, READ);
      return Math.min(this.capacity, (this.writeCache - this.readPos) | 0);
    }
    // One atomic load per batch: the consumer sees everything published so far.
    this.writeCache = Atomics.load(this.header, WRITE);
    return (this.writeCache - this.readPos) | 0;
  }

  /** Consumer thread only. The slot of the k-th readable record (k < available()). */
  readSlot(k: number): number {
    return (this.readPos + k) & this.mask;
  }

  /**
   * Consumer thread only. Releases the first `n` readable records to the producer. True when the
   * records were intact while read. Under `overwrite` it is false when the producer dropped any of
   * them meanwhile: every value read since `available()` may be torn and must be discarded; the
   * ring has moved on to the oldest record still present, and records not dropped are read again.
   */
  consume(n: number): boolean {
    const header = this.header;
    const next = (this.readPos + n) | 0;
    let intact = true;
    if (this.overwrites) {
      const seen = Atomics.compareExchange(header, READ, this.readPos, next);
      if (seen === this.readPos) this.readPos = next;
      else {
        this.readPos = seen;
        intact = false;
      }
    } else {
      this.readPos = next;
      Atomics.store(header, READ, next);
    }
    if (Atomics.load(header, WRITER_PARKED) !== 0) Atomics.notify(header, READ);
    return intact;
  }

  /** Consumer thread only. Copies the oldest record into `dst` (f64Stride values) and consumes it; false when empty. */
  popF64(dst: Float64Array): boolean {
    for (;;) {
      if (this.available() === 0) return false;
      const base = this.readSlot(0) * this.f64Stride;
      const f64 = this.f64;
      for (let i = 0; i < this.f64Stride; i++) dst[i] = f64[base + i] ?? 0;
      if (this.consume(1)) return true;
    }
  }

  /**
   * Consumer thread only. Resolves when a record is available (or after `timeoutMs`): spins
   * `spins` times, then parks with Atomics.waitAsync until the producer publishes. Allocates a
   * promise when it parks. On a worker that has nothing else to do, `waitForDataSync` is cheaper.
   */
  async waitForData(timeoutMs = Infinity, spins = DEFAULT_SPINS): Promise<WaitResult> {
    const header = this.header;
    const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      if (this.available() > 0) return 'ready';
      if (i < spins) continue;
      const left = deadline - Date.now();
      if (left <= 0) return 'timed-out';
      const write = this.writeCache;
      Atomics.store(header, READER_PARKED, 1);
      if (Atomics.load(header, WRITE) !== write) {
        Atomics.store(header, READER_PARKED, 0);
        continue;
      }
      Atomics.add(header, READER_WAITS, 1);
      const r = Atomics.waitAsync(header, WRITE, write, left);
      if (r.async) await r.value;
      Atomics.store(header, READER_PARKED, 0);
    }
  }

  /**
   * Consumer thread only, and only where blocking is allowed (a worker; never a renderer's main
   * thread). Like waitForData, but parks with Atomics.wait. Allocates nothing.
   */
  waitForDataSync(timeoutMs = Infinity, spins = DEFAULT_SPINS): WaitResult {
    const header = this.header;
    const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      if (this.available() > 0) return 'ready';
      if (i < spins) continue;
      const left = deadline - Date.now();
      if (left <= 0) return 'timed-out';
      const write = this.writeCache;
      Atomics.store(header, READER_PARKED, 1);
      if (Atomics.load(header, WRITE) === write) {
        Atomics.add(header, READER_WAITS, 1);
        Atomics.wait(header, WRITE, write, left);
      }
      Atomics.store(header, READER_PARKED, 0);
    }
  }

  /** Producer thread only, where blocking is allowed. Like waitForSpace, with Atomics.wait. */
  waitForSpaceSync(n = 1, timeoutMs = Infinity, spins = DEFAULT_SPINS): WaitResult {
    const header = this.header;
    const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const read = Atomics.load(header, READ);
      this.readCache = read;
      if (this.capacity - ((this.writePos + this.claimed - read) | 0) >= n) return 'ready';
      if (i < spins) continue;
      const left = deadline - Date.now();
      if (left <= 0) return 'timed-out';
      Atomics.store(header, WRITER_PARKED, 1);
      if (Atomics.load(header, READ) === read) {
        Atomics.add(header, WRITER_WAITS, 1);
        Atomics.wait(header, READ, read, left);
      }
      Atomics.store(header, WRITER_PARKED, 0);
    }
  }

  // ---- any thread -----------------------------------------------------------------------------

  /** Records in the ring right now. Any thread; may be one update stale. */
  get occupancy(): number {
    return (Atomics.load(this.header, WRITE) - Atomics.load(this.header, READ)) | 0;
  }

  /** Occupancy, high-water mark, overflows and parks. Any thread; allocates the result. */
  stats(name: string): MemoryStat {
    const h = this.header;
    return {
      name,
      kind: 'ring',
      capacity: this.capacity,
      used: this.occupancy,
      highWater: Atomics.load(h, HIGH_WATER),
      overflows: Atomics.load(h, OVERFLOWS),
      waits: Atomics.load(h, WRITER_WAITS) + Atomics.load(h, READER_WAITS),
      stale: 0,
      bytes: this.buffer.byteLength,
    };
  }
}

function checkOptions(capacity: number, recordBytes: number): void {
  if (
    !Number.isSafeInteger(capacity) ||
    capacity < 2 ||
    capacity > 1 << 30 ||
    (capacity & (capacity - 1)) !== 0
  ) {
    throw new RangeError(`ring capacity must be a power of two in [2, 2^30] (got ${capacity})`);
  }
  if (!Number.isSafeInteger(recordBytes) || recordBytes <= 0 || recordBytes % 8 !== 0) {
    throw new RangeError(`recordBytes must be a positive multiple of 8 (got ${recordBytes})`);
  }
}
