/**
 * SpscByteRing: a single-producer single-consumer ring of variable-length byte messages in a
 * SharedArrayBuffer (raw packets, encoded frames). Same header discipline as SpscRing; indices
 * count bytes.
 */
import { alignUp, CACHE_LINE_BYTES } from './layout';
import type { MemoryStat } from './memoryStats';
import type { WaitResult } from './spscRing';
import { DEFAULT_SPINS } from './spscRing';

/** Everything another thread needs to wrap the same byte ring (plain data; structured-clone safe). */
export interface SpscByteRingDescriptor {
  readonly kind: 'spscByteRing';
  /** Data bytes; a power of two, at least 64. */
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer;
}

const WRITE = 0;
const OVERFLOWS = 1;
const HIGH_WATER = 2;
const WRITER_WAITS = 3;
const MESSAGES = 4;
const READ = CACHE_LINE_BYTES / 4;
const READER_WAITS = READ + 1;
const READER_PARKED = (2 * CACHE_LINE_BYTES) / 4;
const WRITER_PARKED = READER_PARKED + 1;
const CAPACITY = (3 * CACHE_LINE_BYTES) / 4;
const HEADER_BYTES = 4 * CACHE_LINE_BYTES;
/** A length word of -1 means "the rest of the buffer is padding; the next message is at 0". */
const PAD = -1;

/**
 * A ring of `capacity` data bytes carrying messages of 0 to `maxMessageBytes` bytes. The overflow
 * policy is `refuse` (counted): variable-length messages cannot be conflated in place; a
 * conflating feed uses SpscRing with `overwrite`.
 *
 * Layout (byte offsets):
 * - 0: producer line: write index, refused messages, high-water bytes, producer waits, messages published (Int32 each).
 * - 64: consumer line: read index, consumer waits.
 * - 128: park flags: consumer parked, producer parked.
 * - 192: capacity.
 * - 256: data. Each message is an Int32 length then the payload, padded to 4 bytes. A message
 *   never wraps: when it does not fit before the end, the producer writes a length of -1 (PAD)
 *   and starts the message at offset 0.
 *
 * Threading: one producer thread (claim, publish, push, waitForSpaceSync) and one consumer thread (next, consume,
 * pop, waitForData), for life. stats() and occupancy may run anywhere and may be one update stale.
 */
export class SpscByteRing {
  readonly capacity: number;
  /** The largest message `claim` and `push` accept. */
  readonly maxMessageBytes: number;
  readonly buffer: SharedArrayBuffer;
  /** The data region. A message's payload starts at the offset `claim` or `next` gives. */
  readonly u8: Uint8Array;
  private readonly words: Int32Array;
  private readonly header: Int32Array;
  private readonly mask: number;
  private writePos = 0;
  private pending = 0;
  private pendingMessages = 0;
  private readCache = 0;
  private readPos = 0;
  private writeCache = 0;
  private messageEnd = 0;
  /** Consumer thread only: after `next()` returned a length, the payload's offset in `u8`. */
  offset = 0;

  /** Bytes of SharedArrayBuffer a byte ring of `capacity` data bytes needs. */
  static byteLength(capacity: number): number {
    if (
      !Number.isSafeInteger(capacity) ||
      capacity < 64 ||
      capacity > 1 << 30 ||
      (capacity & (capacity - 1)) !== 0
    ) {
      throw new RangeError(`byte ring capacity must be a power of two in [64, 2^30] (got ${capacity})`);
    }
    return HEADER_BYTES + capacity;
  }

  /** Allocates the ring's buffer. Allocates; call once. */
  static create(capacity: number): SpscByteRing {
    const buffer = new SharedArrayBuffer(SpscByteRing.byteLength(capacity));
    new Int32Array(buffer, 0, HEADER_BYTES / 4)[CAPACITY] = capacity;
    return new SpscByteRing({ kind: 'spscByteRing', capacity, buffer });
  }

  /** Wraps a byte ring another thread created. Allocates the views; call once per thread. */
  static attach(descriptor: SpscByteRingDescriptor): SpscByteRing {
    return new SpscByteRing(descriptor);
  }

  private constructor(d: SpscByteRingDescriptor) {
    const need = SpscByteRing.byteLength(d.capacity);
    if (d.buffer.byteLength < need) throw new RangeError(`byte ring buffer needs ${need} bytes`);
    this.header = new Int32Array(d.buffer, 0, HEADER_BYTES / 4);
    if (this.header[CAPACITY] !== d.capacity)
      throw new RangeError('byte ring descriptor does not match its buffer');
    this.capacity = d.capacity;
    this.maxMessageBytes = d.capacity / 2 - 8;
    this.buffer = d.buffer;
    this.mask = d.capacity - 1;
    this.u8 = new Uint8Array(d.buffer, HEADER_BYTES, d.capacity);
    this.words = new Int32Array(d.buffer, HEADER_BYTES, d.capacity / 4);
    this.writePos = Atomics.load(this.header, WRITE);
    this.readPos = Atomics.load(this.header, READ);
    this.readCache = this.readPos;
    this.writeCache = this.writePos;
    this.messageEnd = this.readPos;
  }

  /** The descriptor to post to the other thread, which wraps it with `SpscByteRing.attach`. */
  describe(): SpscByteRingDescriptor {
    return { kind: 'spscByteRing', capacity: this.capacity, buffer: this.buffer };
  }

  /**
   * Producer thread only. Claims room for a message of `length` bytes and returns the offset in
   * `u8` to write its payload at, or -1 when the ring is full (counted). Throws when `length`
   * exceeds `maxMessageBytes`. Claims accumulate until `publish()`.
   */
  claim(length: number): number {
    if (length < 0 || length > this.maxMessageBytes) {
      throw new RangeError(`message of ${length} bytes exceeds ${this.maxMessageBytes}`);
    }
    const need = 4 + alignUp(length, 4);
    const pos = (this.writePos + this.pending) | 0;
    const at = pos & this.mask;
    const tail = this.capacity - at;
    const total = need <= tail ? need : tail + need;
    if (this.capacity - ((pos - this.readCache) | 0) < total) {
      this.readCache = Atomics.load(this.header, READ);
      if (this.capacity - ((pos - this.readCache) | 0) < total) {
        Atomics.add(this.header, OVERFLOWS, 1);
        return -1;
      }
    }
    let start = at;
    if (need > tail) {
      this.words[at >> 2] = PAD;
      start = 0;
    }
    this.words[start >> 2] = length;
    this.pending += total;
    this.pendingMessages++;
    return start + 4;
  }

  /** Producer thread only. Makes every claimed message visible and wakes the consumer if parked. */
  publish(): void {
    if (this.pending === 0) return;
    const header = this.header;
    this.writePos = (this.writePos + this.pending) | 0;
    this.pending = 0;
    Atomics.add(header, MESSAGES, this.pendingMessages);
    this.pendingMessages = 0;
    Atomics.store(header, WRITE, this.writePos);
    const used = (this.writePos - this.readCache) | 0;
    if (used > (header[HIGH_WATER] ?? 0)) Atomics.store(header, HIGH_WATER, used);
    if (Atomics.load(header, READER_PARKED) !== 0) Atomics.notify(header, WRITE);
  }

  /** Producer thread only. Copies `length` bytes of `src` from `start` as one message and publishes it; false if refused. Allocates nothing. */
  push(src: Uint8Array, start = 0, length = src.length - start): boolean {
    const at = this.claim(length);
    if (at < 0) return false;
    const u8 = this.u8;
    for (let i = 0; i < length; i++) u8[at + i] = src[start + i] ?? 0;
    this.publish();
    return true;
  }

  /**
   * Consumer thread only. The length of the oldest unconsumed message, its payload at `u8[offset]`,
   * or -1 when there is none. Calling it again before `consume()` returns the same message.
   */
  next(): number {
    let pos = this.readPos;
    if (((this.writeCache - pos) | 0) === 0) {
      this.writeCache = Atomics.load(this.header, WRITE);
      if (((this.writeCache - pos) | 0) === 0) return -1;
    }
    let at = pos & this.mask;
    let length = this.words[at >> 2] ?? 0;
    if (length === PAD) {
      pos = (pos + this.capacity - at) | 0;
      at = 0;
      length = this.words[0] ?? 0;
    }
    this.offset = at + 4;
    this.messageEnd = (pos + 4 + alignUp(length, 4)) | 0;
    return length;
  }

  /** Consumer thread only. Releases the message `next()` returned. */
  consume(): void {
    this.readPos = this.messageEnd;
    Atomics.store(this.header, READ, this.readPos);
    if (Atomics.load(this.header, WRITER_PARKED) !== 0) Atomics.notify(this.header, READ);
  }

  /** Consumer thread only. Copies the oldest message into `dst` and consumes it; its length, or -1 when empty. Throws if `dst` is too small. */
  pop(dst: Uint8Array): number {
    const length = this.next();
    if (length < 0) return -1;
    if (length > dst.length) throw new RangeError(`message of ${length} bytes does not fit in ${dst.length}`);
    const u8 = this.u8;
    const at = this.offset;
    for (let i = 0; i < length; i++) dst[i] = u8[at + i] ?? 0;
    this.consume();
    return length;
  }

  /** Consumer thread only. Resolves when a message is available (or after `timeoutMs`); spins, then parks with Atomics.waitAsync. Allocates a promise when it parks. */
  async waitForData(timeoutMs = Infinity, spins = DEFAULT_SPINS): Promise<WaitResult> {
    const header = this.header;
    const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const write = Atomics.load(header, WRITE);
      this.writeCache = write;
      if (((write - this.readPos) | 0) !== 0) return 'ready';
      if (i < spins) continue;
      const left = deadline - Date.now();
      if (left <= 0) return 'timed-out';
      Atomics.store(header, READER_PARKED, 1);
      if (Atomics.load(header, WRITE) === write) {
        Atomics.add(header, READER_WAITS, 1);
        const r = Atomics.waitAsync(header, WRITE, write, left);
        if (r.async) await r.value;
      }
      Atomics.store(header, READER_PARKED, 0);
    }
  }

  /** Consumer thread only, where blocking is allowed (a worker). Like waitForData, with Atomics.wait; allocates nothing. */
  waitForDataSync(timeoutMs = Infinity, spins = DEFAULT_SPINS): WaitResult {
    const header = this.header;
    const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const write = Atomics.load(header, WRITE);
      this.writeCache = write;
      if (((write - this.readPos) | 0) !== 0) return 'ready';
      if (i < spins) continue;
      const left = deadline - Date.now();
      if (left <= 0) return 'timed-out';
      Atomics.store(header, READER_PARKED, 1);
      if (Atomics.load(header, WRITE) === write) {
        Atomics.add(header, READER_WAITS, 1);
        Atomics.wait(header, WRITE, write, left);
      }
      Atomics.store(header, READER_PARKED, 0);
    }
  }

  /**
   * Producer thread only, where blocking is allowed (a worker). Waits until a message of `length`
   * bytes fits (or `timeoutMs` passes): spins, then parks with Atomics.wait. Allocates nothing.
   */
  waitForSpaceSync(length: number, timeoutMs = Infinity, spins = DEFAULT_SPINS): WaitResult {
    const header = this.header;
    // Room for the message and the worst-case padding before it.
    const need =
      4 + alignUp(length, 4) + (this.capacity - (((this.writePos + this.pending) | 0) & this.mask));
    const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const read = Atomics.load(header, READ);
      this.readCache = read;
      if (this.capacity - ((this.writePos + this.pending - read) | 0) >= Math.min(need, this.capacity))
        return 'ready';
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

  /** Bytes in the ring right now, padding included. Any thread; may be one update stale. */
  get occupancy(): number {
    return (Atomics.load(this.header, WRITE) - Atomics.load(this.header, READ)) | 0;
  }

  /** Messages published since creation (mod 2^32). Any thread. */
  get published(): number {
    return Atomics.load(this.header, MESSAGES) >>> 0;
  }

  /** Occupancy (bytes), high-water mark, refused messages and parks. Any thread; allocates the result. */
  stats(name: string): MemoryStat {
    const h = this.header;
    return {
      name,
      kind: 'byteRing',
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
