/**
 * QuoteBoard: the latest market state of each instrument (L1 and 5 levels of depth, last trade,
 * OHLC, volume, OI) in one SharedArrayBuffer, written by one thread under a per-row seqlock and
 * read without locks by any number of threads. A reader never returns a torn update.
 */
import { alignUp, CACHE_LINE_BYTES } from './layout';
import type { MemoryStat } from './memoryStats';

/** Levels of depth per side. Level 0 is L1 (best bid, best ask). */
export const DEPTH_LEVELS = 5;

/**
 * Int32 fields of a row, as offsets from `i32Base(row)`. Prices are integers in the instrument's
 * wire unit (price x divisor, as in the Kite tick format: paise for most segments).
 */
export const QuoteI32 = {
  /** Seqlock sequence: odd while the writer is inside an update. Not a quote field. */
  seq: 0,
  /** Instrument token the row belongs to; set once by `addInstrument`. */
  token: 1,
  lastPrice: 2,
  averagePrice: 3,
  open: 4,
  high: 5,
  low: 6,
  /** Previous session's close, as Kite sends it. */
  close: 7,
  /** Bid prices, best first: bidPrice + level. */
  bidPrice: 8,
  askPrice: 8 + DEPTH_LEVELS,
  bidOrders: 8 + 2 * DEPTH_LEVELS,
  askOrders: 8 + 3 * DEPTH_LEVELS,
} as const;

/** Int32 slots per row. */
export const QUOTE_I32_COUNT = 8 + 4 * DEPTH_LEVELS;

/** Float64 fields of a row, as offsets from `f64Base(row)`. Quantities are exact integers up to 2^53; times are ms since the Unix epoch (UTC). */
export const QuoteF64 = {
  lastQuantity: 0,
  volume: 1,
  totalBuyQuantity: 2,
  totalSellQuantity: 3,
  lastTradeTime: 4,
  exchangeTime: 5,
  oi: 6,
  oiDayHigh: 7,
  oiDayLow: 8,
  /** Bid quantities, best first: bidQuantity + level. */
  bidQuantity: 9,
  askQuantity: 9 + DEPTH_LEVELS,
} as const;

/** Float64 slots per row. */
export const QUOTE_F64_COUNT = 9 + 2 * DEPTH_LEVELS;

const I32_BYTES = alignUp(QUOTE_I32_COUNT * 4, 8);
/** Bytes per row: the Int32 part, the Float64 part, padded to whole 64-byte lines so rows never share a line. */
export const QUOTE_ROW_BYTES = alignUp(I32_BYTES + QUOTE_F64_COUNT * 8);

// Row strides and the Float64 part's offset, in elements (integers, so index arithmetic stays in small integers).
const ROW_I32 = QUOTE_ROW_BYTES / 4;
const ROW_F64 = QUOTE_ROW_BYTES / 8;
const F64_OFFSET = I32_BYTES / 8;

// Header: line 0 holds the row count (writer-owned) and the capacity.
const ROWS = 0;
const CAPACITY = 1;
const HEADER_BYTES = CACHE_LINE_BYTES;

/** Everything another thread needs to wrap the same board (plain data; structured-clone safe). */
export interface QuoteBoardDescriptor {
  readonly kind: 'quoteBoard';
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer;
}

/** A reader's private copy of one row, filled by `QuoteBoard.read`. Allocate once per reader; reuse. */
export interface QuoteSnapshot {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
}

/**
 * A board of up to `capacity` instrument rows.
 *
 * Layout (byte offsets):
 * - 0: row count (Int32, writer-owned), capacity (Int32).
 * - 64 + row * QUOTE_ROW_BYTES: the row. Its first QUOTE_I32_COUNT Int32 slots are `QuoteI32`
 *   (slot 0 is the sequence), then, from byte 8-aligned offset, QUOTE_F64_COUNT Float64 slots
 *   (`QuoteF64`). Rows start on 64-byte lines.
 *
 * Seqlock: the writer makes the row's sequence odd (`beginUpdate`), writes the fields, then makes
 * it even again (`endUpdate`); both with Atomics. A reader loads the sequence, copies the row, and
 * loads it again; it keeps the copy only if both loads are equal and even, else it retries. The
 * sequence counts updates: a reader compares `version(row)` to decide whether a row changed.
 *
 * Threading: one writer thread (addInstrument, beginUpdate, endUpdate, and writes to `i32`/`f64`)
 * for the life of the board; any number of reader threads (read, version, findRow). A copy from
 * `read` is consistent but may be one update stale by the time it is used.
 */
export class QuoteBoard {
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer;
  /** Every row's Int32 slots; row r's fields at `i32Base(r) + QuoteI32.x`. Writer thread writes, others only through `read`. */
  readonly i32: Int32Array;
  /** Every row's Float64 slots; row r's fields at `f64Base(r) + QuoteF64.x`. */
  readonly f64: Float64Array;
  private readonly header: Int32Array;
  /** Torn reads retried by this thread's view since it was made. */
  retries = 0;

  /** Bytes of SharedArrayBuffer a board of `capacity` rows needs. */
  static byteLength(capacity: number): number {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 1 << 20) {
      throw new RangeError(`board capacity must be an integer in [1, 2^20] (got ${capacity})`);
    }
    return HEADER_BYTES + capacity * QUOTE_ROW_BYTES;
  }

  /** Allocates the board's buffer. Allocates; call once. */
  static create(capacity: number): QuoteBoard {
    const buffer = new SharedArrayBuffer(QuoteBoard.byteLength(capacity));
    new Int32Array(buffer, 0, 2)[CAPACITY] = capacity;
    return new QuoteBoard({ kind: 'quoteBoard', capacity, buffer });
  }

  /** Wraps a board another thread created. Allocates the views; call once per thread. */
  static attach(descriptor: QuoteBoardDescriptor): QuoteBoard {
    return new QuoteBoard(descriptor);
  }

  /** A reusable row copy for `read`. Allocates; once per reader. */
  static snapshot(): QuoteSnapshot {
    return { i32: new Int32Array(QUOTE_I32_COUNT), f64: new Float64Array(QUOTE_F64_COUNT) };
  }

  private constructor(d: QuoteBoardDescriptor) {
    const need = QuoteBoard.byteLength(d.capacity);
    if (d.buffer.byteLength < need) throw new RangeError(`board buffer needs ${need} bytes`);
    this.header = new Int32Array(d.buffer, 0, HEADER_BYTES / 4);
    if (this.header[CAPACITY] !== d.capacity)
      throw new RangeError('board descriptor does not match its buffer');
    this.capacity = d.capacity;
    this.buffer = d.buffer;
    this.i32 = new Int32Array(d.buffer, HEADER_BYTES, (d.capacity * QUOTE_ROW_BYTES) / 4);
    this.f64 = new Float64Array(d.buffer, HEADER_BYTES, (d.capacity * QUOTE_ROW_BYTES) / 8);
  }

  /** The descriptor to post to another thread, which wraps it with `QuoteBoard.attach`. */
  describe(): QuoteBoardDescriptor {
    return { kind: 'quoteBoard', capacity: this.capacity, buffer: this.buffer };
  }

  /** Rows in use. Any thread; may be one addition stale. */
  get rows(): number {
    return Atomics.load(this.header, ROWS);
  }

  /** Writer thread only. Gives `token` the next free row and returns it; throws when the board is full. */
  addInstrument(token: number): number {
    const row = this.header[ROWS] ?? 0;
    if (row >= this.capacity) throw new RangeError(`quote board is full (${this.capacity} rows)`);
    this.i32[this.i32Base(row) + QuoteI32.token] = token;
    Atomics.store(this.header, ROWS, row + 1);
    return row;
  }

  /** The row of `token`, or -1. Any thread; a linear scan that allocates nothing — build your own index once if you call it per tick. */
  findRow(token: number): number {
    const rows = Atomics.load(this.header, ROWS);
    // The slot is an Int32: a token of 2^31 or more is stored wrapped, so compare it wrapped too.
    const stored = token | 0;
    for (let r = 0; r < rows; r++) if (this.i32[r * ROW_I32 + QuoteI32.token] === stored) return r;
    return -1;
  }

  /** Index of row `row`'s first Int32 slot in `i32`. */
  i32Base(row: number): number {
    return row * ROW_I32;
  }

  /** Index of row `row`'s first Float64 slot in `f64`. */
  f64Base(row: number): number {
    return row * ROW_F64 + F64_OFFSET;
  }

  /** Writer thread only. Opens an update of `row`: readers retry until `endUpdate(row)`. */
  beginUpdate(row: number): void {
    Atomics.add(this.i32, row * ROW_I32, 1);
  }

  /** Writer thread only. Publishes the update of `row` opened by `beginUpdate`. */
  endUpdate(row: number): void {
    Atomics.add(this.i32, row * ROW_I32, 1);
  }

  /** Updates of `row` so far (twice its sequence). Any thread; compare with an earlier value to see a change. */
  version(row: number): number {
    return Atomics.load(this.i32, row * ROW_I32) >>> 1;
  }

  /**
   * Any thread. Copies a consistent `row` into `into` and returns the version it copied. Never
   * returns a torn row: it retries while the writer is inside an update. Allocates nothing.
   */
  read(row: number, into: QuoteSnapshot): number {
    const i32 = this.i32;
    const f64 = this.f64;
    const ib = row * ROW_I32;
    const fb = row * ROW_F64 + F64_OFFSET;
    const di = into.i32;
    const df = into.f64;
    for (;;) {
      const before = Atomics.load(i32, ib);
      if ((before & 1) === 0) {
        for (let k = 1; k < QUOTE_I32_COUNT; k++) di[k] = i32[ib + k] ?? 0;
        for (let k = 0; k < QUOTE_F64_COUNT; k++) df[k] = f64[fb + k] ?? 0;
        if (Atomics.load(i32, ib) === before) {
          di[0] = before;
          return before >>> 1;
        }
      }
      this.retries++;
    }
  }

  /** Rows used against capacity, and this view's torn-read retries as `stale`. Any thread; allocates the result. */
  stats(name: string): MemoryStat {
    const rows = this.rows;
    return {
      name,
      kind: 'board',
      capacity: this.capacity,
      used: rows,
      highWater: rows,
      overflows: 0,
      waits: 0,
      stale: this.retries,
      bytes: this.buffer.byteLength,
    };
  }
}
