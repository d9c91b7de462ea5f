// The limit order book of one instrument: price-time priority over integer prices, nothing allocated
// per operation. Orders live in struct-of-arrays storage indexed by a slot ("handle") taken from a
// free list; each price level is an intrusive doubly-linked FIFO of slots, so a cancel is O(1); the
// best bid and ask come from a two-level bitmap over the tick indices of the price band.
import { TickSet } from './tickSet';

/** Buy or sell, as stored in the book. Plain numbers so the hot path compares integers. */
export const BUY = 0;
/** See `BUY`. */
export const SELL = 1;
/** `BUY` or `SELL`. */
export type BookSide = typeof BUY | typeof SELL;

/** A handle that names no order (nothing rested, or the order is gone). */
export const NO_ORDER = -1;

/**
 * Receives every fill of a match as plain numbers, so a match allocates nothing. Called during
 * `match`, before it returns: the sink must not call back into the same book (queue the reaction and
 * act on it after the call returns).
 */
export interface FillSink {
  /**
   * The resting order `makerRef` traded `quantity` at `price` with the incoming order `takerRef`;
   * `makerLeft` is what the resting order still has (0: it left the book and its handle is free).
   */
  onFill(makerRef: number, takerRef: number, price: number, quantity: number, makerLeft: number): void;
}

/** The shape of a book: its tick and the band of prices it accepts, all in the wire unit. */
export interface BookBand {
  /** Tick size in the wire unit (5 = 0.05 rupee in paise). */
  readonly tick: number;
  /** Lowest price an order may carry (lower circuit), a multiple of `tick`. */
  readonly lower: number;
  /** Highest price an order may carry (upper circuit), a multiple of `tick`. */
  readonly upper: number;
}

const FREE = 255;

/**
 * One instrument's book. Single-threaded; not re-entrant from the fill sink. Prices passed in must
 * be multiples of the tick inside the band (the caller validates; see `priceError`). Storage grows by
 * doubling when every slot is in use: that, and the constructor, are the only allocations.
 */
export class OrderBook {
  readonly tick: number;
  readonly lower: number;
  readonly upper: number;
  /** Number of price levels in the band. */
  readonly levels: number;

  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly levelQuantity: Float64Array;
  private readonly levelOrders: Int32Array;
  private readonly bids: TickSet;
  private readonly asks: TickSet;
  private bestBidLevel = -1;
  private bestAskLevel = -1;

  private capacity: number;
  private side: Uint8Array;
  private level: Int32Array;
  private left: Float64Array;
  private ref: Float64Array;
  private next: Int32Array;
  private prev: Int32Array;
  private freeHead = NO_ORDER;
  private resting = 0;
  /** Resting quantity per side, kept as orders come and go (Kite's total buy/sell quantity). */
  private readonly sideQuantity = new Float64Array(2);

  /** Allocates the levels of `band` and storage for `capacity` resting orders. */
  constructor(
    band: BookBand,
    private readonly sink: FillSink,
    capacity = 1024,
  ) {
    if (band.tick <= 0 || band.lower % band.tick !== 0 || band.upper % band.tick !== 0) {
      throw new RangeError(`band ${band.lower}..${band.upper} is not on the tick ${band.tick}`);
    }
    if (band.upper < band.lower || band.lower <= 0) throw new RangeError('empty or non-positive band');
    this.tick = band.tick;
    this.lower = band.lower;
    this.upper = band.upper;
    this.levels = (band.upper - band.lower) / band.tick + 1;
    this.head = new Int32Array(this.levels).fill(NO_ORDER);
    this.tail = new Int32Array(this.levels).fill(NO_ORDER);
    this.levelQuantity = new Float64Array(this.levels);
    this.levelOrders = new Int32Array(this.levels);
    this.bids = new TickSet(this.levels);
    this.asks = new TickSet(this.levels);
    this.capacity = Math.max(1, capacity);
    this.side = new Uint8Array(this.capacity);
    this.level = new Int32Array(this.capacity);
    this.left = new Float64Array(this.capacity);
    this.ref = new Float64Array(this.capacity);
    this.next = new Int32Array(this.capacity);
    this.prev = new Int32Array(this.capacity);
    this.threadFreeList(0);
  }

  /** Highest bid price, or 0 when there is no bid. */
  bestBid(): number {
    return this.bestBidLevel < 0 ? 0 : this.lower + this.bestBidLevel * this.tick;
  }

  /** Lowest ask price, or 0 when there is no ask. */
  bestAsk(): number {
    return this.bestAskLevel < 0 ? 0 : this.lower + this.bestAskLevel * this.tick;
  }

  /** Number of resting orders. */
  get restingOrders(): number {
    return this.resting;
  }

  /** Total resting quantity on one side of the book. */
  totalQuantity(side: BookSide): number {
    return this.sideQuantity[side] ?? 0;
  }

  /** Total resting quantity at `price` on `side`. */
  quantityAt(side: BookSide, price: number): number {
    const l = (price - this.lower) / this.tick;
    if (l < 0 || l >= this.levels) return 0;
    const set = side === BUY ? this.bids : this.asks;
    return set.has(l) ? (this.levelQuantity[l] ?? 0) : 0;
  }

  /**
   * Trades an incoming order against the other side up to `limitPrice` (a buy takes asks at or below
   * it, a sell bids at or above it), best price first and oldest first within a price. Reports each
   * fill to the sink and returns the quantity left unfilled.
   */
  match(takerRef: number, side: BookSide, limitPrice: number, quantity: number): number {
    let want = quantity;
    if (side === BUY) {
      const limit = Math.floor((limitPrice - this.lower) / this.tick);
      while (want > 0 && this.bestAskLevel >= 0 && this.bestAskLevel <= limit) {
        const l = this.bestAskLevel;
        want = this.takeLevel(l, takerRef, want);
        if (this.head[l] === NO_ORDER) {
          this.asks.delete(l);
          this.bestAskLevel = this.asks.lowestAtOrAbove(l + 1);
        }
      }
    } else {
      const limit = Math.ceil((limitPrice - this.lower) / this.tick);
      while (want > 0 && this.bestBidLevel >= 0 && this.bestBidLevel >= limit) {
        const l = this.bestBidLevel;
        want = this.takeLevel(l, takerRef, want);
        if (this.head[l] === NO_ORDER) {
          this.bids.delete(l);
          this.bestBidLevel = this.bids.highestAtOrBelow(l - 1);
        }
      }
    }
    return want;
  }

  /**
   * Puts an order at the back of the queue at `price` without matching it (call `match` first).
   * Returns its handle, valid until the order fills completely or is cancelled.
   */
  rest(ref: number, side: BookSide, price: number, quantity: number): number {
    if (this.freeHead === NO_ORDER) this.grow();
    const h = this.freeHead;
    this.freeHead = this.next[h] ?? NO_ORDER;
    const l = (price - this.lower) / this.tick;
    this.side[h] = side;
    this.level[h] = l;
    this.left[h] = quantity;
    this.ref[h] = ref;
    this.append(h, l);
    this.resting++;
    this.sideQuantity[side] = (this.sideQuantity[side] ?? 0) + quantity;
    if (side === BUY) {
      if (this.levelOrders[l] === 1) this.bids.add(l);
      if (l > this.bestBidLevel) this.bestBidLevel = l;
    } else {
      if (this.levelOrders[l] === 1) this.asks.add(l);
      if (this.bestAskLevel < 0 || l < this.bestAskLevel) this.bestAskLevel = l;
    }
    return h;
  }

  /** `match` then `rest` of what is left: a DAY limit order. Returns the handle, or NO_ORDER. */
  limit(ref: number, side: BookSide, price: number, quantity: number): number {
    const left = this.match(ref, side, price, quantity);
    return left > 0 ? this.rest(ref, side, price, left) : NO_ORDER;
  }

  /** Removes a resting order. Returns the quantity it still had (0 if the handle is not live). */
  cancel(handle: number): number {
    if (handle < 0 || handle >= this.capacity || this.side[handle] === FREE) return 0;
    const l = this.level[handle] ?? 0;
    const q = this.left[handle] ?? 0;
    const side = this.side[handle];
    this.unlink(handle, l);
    this.levelQuantity[l] = (this.levelQuantity[l] ?? 0) - q;
    const s = side === BUY ? BUY : SELL;
    this.sideQuantity[s] = (this.sideQuantity[s] ?? 0) - q;
    this.release(handle);
    if (this.head[l] === NO_ORDER) {
      if (side === BUY) {
        this.bids.delete(l);
        if (l === this.bestBidLevel) this.bestBidLevel = this.bids.highestAtOrBelow(l - 1);
      } else {
        this.asks.delete(l);
        if (l === this.bestAskLevel) this.bestAskLevel = this.asks.lowestAtOrAbove(l + 1);
      }
    }
    return q;
  }

  /** Lowers a resting order's quantity in place, keeping its time priority. `quantity` must be > 0. */
  reduce(handle: number, quantity: number): void {
    const old = this.leftOf(handle);
    if (quantity <= 0 || quantity > old) throw new RangeError(`cannot reduce ${old} to ${quantity}`);
    const l = this.level[handle] ?? 0;
    this.left[handle] = quantity;
    this.levelQuantity[l] = (this.levelQuantity[l] ?? 0) - (old - quantity);
    const s = this.side[handle] === BUY ? BUY : SELL;
    this.sideQuantity[s] = (this.sideQuantity[s] ?? 0) - (old - quantity);
  }

  /** What a live order still has to fill, or 0. */
  leftOf(handle: number): number {
    if (handle < 0 || handle >= this.capacity || this.side[handle] === FREE) return 0;
    return this.left[handle] ?? 0;
  }

  /** The caller's reference of a live order, or -1. */
  refOf(handle: number): number {
    if (handle < 0 || handle >= this.capacity || this.side[handle] === FREE) return -1;
    return this.ref[handle] ?? -1;
  }

  /**
   * Writes up to `out.prices.length` levels of one side, best first, into the caller's buffers and
   * returns how many it wrote. Allocates nothing.
   */
  depth(side: BookSide, out: { prices: Float64Array; quantities: Float64Array; orders: Int32Array }): number {
    const set = side === BUY ? this.bids : this.asks;
    let l = side === BUY ? this.bestBidLevel : this.bestAskLevel;
    let n = 0;
    while (l >= 0 && n < out.prices.length) {
      out.prices[n] = this.lower + l * this.tick;
      out.quantities[n] = this.levelQuantity[l] ?? 0;
      out.orders[n] = this.levelOrders[l] ?? 0;
      n++;
      l = side === BUY ? set.highestAtOrBelow(l - 1) : set.lowestAtOrAbove(l + 1);
    }
    return n;
  }

  /** The refs resting at `price` on `side`, oldest first. Allocates; for tests and snapshots. */
  queueAt(side: BookSide, price: number): { ref: number; left: number }[] {
    const l = (price - this.lower) / this.tick;
    const out: { ref: number; left: number }[] = [];
    if (l < 0 || l >= this.levels) return out;
    for (let h = this.head[l] ?? NO_ORDER; h !== NO_ORDER; h = this.next[h] ?? NO_ORDER) {
      if (this.side[h] === side) out.push({ ref: this.ref[h] ?? -1, left: this.left[h] ?? 0 });
    }
    return out;
  }

  private takeLevel(l: number, takerRef: number, quantity: number): number {
    const price = this.lower + l * this.tick;
    const makerSide = this.side[this.head[l] ?? 0] === BUY ? BUY : SELL;
    let want = quantity;
    let h = this.head[l] ?? NO_ORDER;
    while (h !== NO_ORDER && want > 0) {
      const have = this.left[h] ?? 0;
      const fill = have < want ? have : want;
      const makerLeft = have - fill;
      want -= fill;
      this.levelQuantity[l] = (this.levelQuantity[l] ?? 0) - fill;
      const makerRef = this.ref[h] ?? -1;
      const nextH = this.next[h] ?? NO_ORDER;
      if (makerLeft === 0) {
        this.unlink(h, l);
        this.release(h);
      } else {
        this.left[h] = makerLeft;
      }
      this.sink.onFill(makerRef, takerRef, price, fill, makerLeft);
      h = nextH;
    }
    this.sideQuantity[makerSide] = (this.sideQuantity[makerSide] ?? 0) - (quantity - want);
    return want;
  }

  private append(h: number, l: number): void {
    const t = this.tail[l] ?? NO_ORDER;
    this.prev[h] = t;
    this.next[h] = NO_ORDER;
    if (t === NO_ORDER) this.head[l] = h;
    else this.next[t] = h;
    this.tail[l] = h;
    this.levelQuantity[l] = (this.levelQuantity[l] ?? 0) + (this.left[h] ?? 0);
    this.levelOrders[l] = (this.levelOrders[l] ?? 0) + 1;
  }

  private unlink(h: number, l: number): void {
    const p = this.prev[h] ?? NO_ORDER;
    const n = this.next[h] ?? NO_ORDER;
    if (p === NO_ORDER) this.head[l] = n;
    else this.next[p] = n;
    if (n === NO_ORDER) this.tail[l] = p;
    else this.prev[n] = p;
    this.levelOrders[l] = (this.levelOrders[l] ?? 0) - 1;
  }

  private release(h: number): void {
    this.side[h] = FREE;
    this.left[h] = 0;
    this.next[h] = this.freeHead;
    this.freeHead = h;
    this.resting--;
  }

  private threadFreeList(from: number): void {
    for (let i = this.capacity - 1; i >= from; i--) {
      this.side[i] = FREE;
      this.next[i] = this.freeHead;
      this.freeHead = i;
    }
  }

  /** Doubles the order storage. Allocates: the one place the book does after construction. */
  private grow(): void {
    const old = this.capacity;
    this.capacity = old * 2;
    const copy = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.capacity);
      b.set(a);
      return b;
    };
    this.side = copy(this.side, (n) => new Uint8Array(n));
    this.level = copy(this.level, (n) => new Int32Array(n));
    this.left = copy(this.left, (n) => new Float64Array(n));
    this.ref = copy(this.ref, (n) => new Float64Array(n));
    this.next = copy(this.next, (n) => new Int32Array(n));
    this.prev = copy(this.prev, (n) => new Int32Array(n));
    this.threadFreeList(old);
  }
}
