import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUY, NO_ORDER, OrderBook, SELL } from './orderBook';
import type { BookSide, FillSink } from './orderBook';
import { TickSet } from './tickSet';

interface Fill {
  maker: number;
  taker: number;
  price: number;
  quantity: number;
  makerLeft: number;
}

function recordingBook(band = { tick: 5, lower: 900, upper: 1100 }): { book: OrderBook; fills: Fill[] } {
  const fills: Fill[] = [];
  const sink: FillSink = {
    onFill: (maker, taker, price, quantity, makerLeft) => {
      fills.push({ maker, taker, price, quantity, makerLeft });
    },
  };
  return { book: new OrderBook(band, sink, 2), fills };
}

describe('TickSet', () => {
  it('answers next set levels like a linear scan', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 60 }),
        fc.nat(),
        (size, ops, probe) => {
          const set = new TickSet(size);
          const model = new Set<number>();
          for (const [add, raw] of ops) {
            const i = raw % size;
            if (add) {
              set.add(i);
              model.add(i);
            } else {
              set.delete(i);
              model.delete(i);
            }
          }
          const p = probe % size;
          let below = -1;
          let above = -1;
          for (const i of model) {
            if (i <= p && i > below) below = i;
            if (i >= p && (above < 0 || i < above)) above = i;
          }
          expect(set.highestAtOrBelow(p)).toBe(below);
          expect(set.lowestAtOrAbove(p)).toBe(above);
          expect(set.has(p)).toBe(model.has(p));
        },
      ),
      { seed: 11, numRuns: 5_000 },
    );
  });
});

describe('OrderBook', () => {
  it('rests a limit order and reports the touch', () => {
    const { book } = recordingBook();
    expect(book.bestBid()).toBe(0);
    book.limit(1, BUY, 995, 10);
    book.limit(2, SELL, 1005, 7);
    expect(book.bestBid()).toBe(995);
    expect(book.bestAsk()).toBe(1005);
    expect(book.quantityAt(BUY, 995)).toBe(10);
    expect(book.restingOrders).toBe(2);
  });

  it('fills best price first, then oldest first within a price', () => {
    const { book, fills } = recordingBook();
    book.limit(1, SELL, 1010, 5);
    book.limit(2, SELL, 1005, 5);
    book.limit(3, SELL, 1005, 5);
    const left = book.match(9, BUY, 1010, 12);
    expect(left).toBe(0);
    expect(fills).toEqual([
      { maker: 2, taker: 9, price: 1005, quantity: 5, makerLeft: 0 },
      { maker: 3, taker: 9, price: 1005, quantity: 5, makerLeft: 0 },
      { maker: 1, taker: 9, price: 1010, quantity: 2, makerLeft: 3 },
    ]);
    expect(book.bestAsk()).toBe(1010);
  });

  it('trades at the resting price, never beyond the limit', () => {
    const { book, fills } = recordingBook();
    book.limit(1, BUY, 1000, 5);
    book.limit(2, BUY, 990, 5);
    expect(book.match(3, SELL, 995, 20)).toBe(15);
    expect(fills).toEqual([{ maker: 1, taker: 3, price: 1000, quantity: 5, makerLeft: 0 }]);
  });

  it('cancels in O(1) from the middle of a queue and moves the touch', () => {
    const { book } = recordingBook();
    const a = book.limit(1, BUY, 1000, 1);
    const b = book.limit(2, BUY, 1000, 2);
    const c = book.limit(3, BUY, 1000, 3);
    expect(book.cancel(b)).toBe(2);
    expect(book.queueAt(BUY, 1000)).toEqual([
      { ref: 1, left: 1 },
      { ref: 3, left: 3 },
    ]);
    expect(book.cancel(b)).toBe(0);
    book.cancel(a);
    book.cancel(c);
    expect(book.bestBid()).toBe(0);
    expect(book.restingOrders).toBe(0);
  });

  it('keeps time priority when a quantity is reduced', () => {
    const { book, fills } = recordingBook();
    const a = book.limit(1, SELL, 1000, 10);
    book.limit(2, SELL, 1000, 10);
    book.reduce(a, 4);
    expect(book.quantityAt(SELL, 1000)).toBe(14);
    book.match(5, BUY, 1000, 5);
    expect(fills.map((f) => [f.maker, f.quantity])).toEqual([
      [1, 4],
      [2, 1],
    ]);
    // The order filled and left the book: its handle no longer names it.
    expect(book.leftOf(a)).toBe(0);
    expect(() => {
      book.reduce(a, 1);
    }).toThrow(RangeError);
  });

  it('grows its storage past the initial capacity', () => {
    const { book } = recordingBook();
    const handles: number[] = [];
    for (let i = 0; i < 100; i++) handles.push(book.limit(i, BUY, 900 + (i % 20) * 5, 1));
    expect(book.restingOrders).toBe(100);
    expect(new Set(handles).size).toBe(100);
    expect(book.bestBid()).toBe(995);
  });

  it('writes depth into caller buffers, best first', () => {
    const { book } = recordingBook();
    book.limit(1, SELL, 1010, 1);
    book.limit(2, SELL, 1005, 2);
    book.limit(3, SELL, 1005, 3);
    const out = { prices: new Float64Array(5), quantities: new Float64Array(5), orders: new Int32Array(5) };
    expect(book.depth(SELL, out)).toBe(2);
    expect([...out.prices.slice(0, 2)]).toEqual([1005, 1010]);
    expect([...out.quantities.slice(0, 2)]).toEqual([5, 1]);
    expect([...out.orders.slice(0, 2)]).toEqual([2, 1]);
  });

  it('refuses a band off the tick', () => {
    const sink: FillSink = { onFill: () => undefined };
    expect(() => new OrderBook({ tick: 5, lower: 901, upper: 1100 }, sink)).toThrow(RangeError);
  });
});

// ---- properties against a plain reference model ------------------------------------------------

type Op =
  | { kind: 'limit'; side: BookSide; level: number; quantity: number }
  | { kind: 'market'; side: BookSide; quantity: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'reduce'; pick: number; by: number };

const LEVELS = 21;
const BAND = { tick: 5, lower: 1000, upper: 1000 + (LEVELS - 1) * 5 };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('limit' as const),
      side: fc.constantFrom<BookSide>(BUY, SELL),
      level: fc.integer({ min: 0, max: LEVELS - 1 }),
      quantity: fc.integer({ min: 1, max: 50 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('market' as const),
      side: fc.constantFrom<BookSide>(BUY, SELL),
      quantity: fc.integer({ min: 1, max: 80 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reduce' as const),
      pick: fc.nat(),
      by: fc.integer({ min: 1, max: 40 }),
    }),
  },
);

interface ModelOrder {
  ref: number;
  side: BookSide;
  price: number;
  left: number;
}

/** The obvious implementation: one array in arrival order, scanned for the best price. */
function modelMatch(
  resting: ModelOrder[],
  side: BookSide,
  limit: number,
  quantity: number,
  out: Fill[],
  taker: number,
): number {
  let want = quantity;
  while (want > 0) {
    let best: ModelOrder | undefined;
    for (const o of resting) {
      if (o.side === side) continue;
      const ok = side === BUY ? o.price <= limit : o.price >= limit;
      if (!ok) continue;
      if (best === undefined || (side === BUY ? o.price < best.price : o.price > best.price)) best = o;
    }
    if (best === undefined) break;
    const q = Math.min(want, best.left);
    best.left -= q;
    want -= q;
    out.push({ maker: best.ref, taker, price: best.price, quantity: q, makerLeft: best.left });
    if (best.left === 0) resting.splice(resting.indexOf(best), 1);
  }
  return want;
}

/** Throws with `what` when `ok` is false; vitest's expect is too slow for 10^5 runs. */
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

function sameFills(a: readonly Fill[], b: readonly Fill[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.maker !== y.maker || x.taker !== y.taker || x.price !== y.price) return false;
    if (x.quantity !== y.quantity || x.makerLeft !== y.makerLeft) return false;
  }
  return true;
}

function run(ops: readonly Op[]): void {
  const { book, fills } = recordingBook(BAND);
  const modelFills: Fill[] = [];
  const resting: ModelOrder[] = [];
  const handles = new Map<number, number>();
  let ref = 0;
  let seen = 0;
  for (const op of ops) {
    ref++;
    if (op.kind === 'limit') {
      const price = BAND.lower + op.level * BAND.tick;
      const h = book.limit(ref, op.side, price, op.quantity);
      const left = modelMatch(resting, op.side, price, op.quantity, modelFills, ref);
      if (left > 0) resting.push({ ref, side: op.side, price, left });
      check((h !== NO_ORDER) === left > 0, 'rested iff something was left');
      if (h !== NO_ORDER) handles.set(ref, h);
    } else if (op.kind === 'market') {
      const limit = op.side === BUY ? BAND.upper : BAND.lower;
      const left = book.match(ref, op.side, limit, op.quantity);
      check(left === modelMatch(resting, op.side, limit, op.quantity, modelFills, ref), 'market leftover');
    } else if (resting.length > 0) {
      const victim = resting[op.pick % resting.length]!;
      const h = handles.get(victim.ref)!;
      if (op.kind === 'cancel') {
        check(book.cancel(h) === victim.left, 'cancel returns what was left');
        resting.splice(resting.indexOf(victim), 1);
      } else if (op.by < victim.left) {
        book.reduce(h, victim.left - op.by);
        victim.left -= op.by;
      }
    }
    // Drop handles of orders that left the book by filling.
    for (; seen < fills.length; seen++) if (fills[seen]!.makerLeft === 0) handles.delete(fills[seen]!.maker);
    // At rest the book is never crossed.
    const bid = book.bestBid();
    const ask = book.bestAsk();
    check(bid === 0 || ask === 0 || bid < ask, `crossed book ${bid} >= ${ask}`);
  }
  // Price-time priority: the same fills, in the same order, as the reference model.
  check(sameFills(fills, modelFills), 'fills differ from the price-time reference');
  let buyQuantity = 0;
  let sellQuantity = 0;
  for (const f of fills) {
    check(f.price % BAND.tick === 0, 'price off the tick');
    check(f.price >= BAND.lower && f.price <= BAND.upper, 'fill outside the band');
    // Each fill is a buy and a sell of the same quantity, whichever side was the taker.
    buyQuantity += f.quantity;
    sellQuantity += f.quantity;
  }
  check(buyQuantity === sellQuantity, 'buys and sells differ');
  // What rests is exactly what the model holds, level by level and in queue order.
  let total = 0;
  for (const o of resting) total += o.left;
  let bookTotal = 0;
  for (let l = 0; l < LEVELS; l++) {
    const price = BAND.lower + l * BAND.tick;
    bookTotal += book.quantityAt(BUY, price) + book.quantityAt(SELL, price);
  }
  check(total === bookTotal, 'resting quantity differs');
  check(book.totalQuantity(BUY) + book.totalQuantity(SELL) === total, 'side totals differ');
  check(book.restingOrders === resting.length, 'resting order count differs');
}

describe('OrderBook properties (seeded)', () => {
  it('matches a reference model on 60,000 random order sequences', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), (ops) => {
        run(ops);
      }),
      { seed: 20251124, numRuns: 60_000 },
    );
  });
});
