import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Book, BookSide } from './matching';
import {
  bookOf,
  protectionBasisPoints,
  protectionPrice,
  takeBook,
  TakenLiquidity,
  triggerHit,
  visibleAt,
} from './matching';

const side = (levels: [number, number][], complete = false): BookSide => ({
  levels: levels.map(([price, quantity]) => ({ price, quantity })),
  complete,
});

describe('visibleAt', () => {
  const bids = side([
    [100, 5],
    [98, 7],
    [95, 9],
  ]);
  it('is the level quantity, 0 in front of the book or in a gap, unknown beyond what is shown', () => {
    expect(visibleAt(bids, 98, true)).toBe(7);
    expect(visibleAt(bids, 101, true)).toBe(0);
    expect(visibleAt(bids, 99, true)).toBe(0);
    expect(visibleAt(bids, 94, true)).toBeNull();
    expect(visibleAt({ ...bids, complete: true }, 94, true)).toBe(0);
    expect(visibleAt(side([]), 94, true)).toBeNull();
    expect(visibleAt(side([], true), 94, true)).toBe(0);
    const asks = side([
      [101, 5],
      [103, 7],
    ]);
    expect(visibleAt(asks, 100, false)).toBe(0);
    expect(visibleAt(asks, 102, false)).toBe(0);
    expect(visibleAt(asks, 104, false)).toBeNull();
  });
});

describe('bookOf', () => {
  it('sorts best first, drops empty levels, and says whether a side is whole', () => {
    const book = bookOf(undefined, {
      instrumentToken: 1,
      bids: [
        { price: 98, quantity: 1, orders: 1 },
        { price: 99, quantity: 0, orders: 0 },
        { price: 100, quantity: 2, orders: 1 },
      ],
      asks: [1, 2, 3, 4, 5].map((k) => ({ price: 100 + k, quantity: k, orders: 1 })),
      exchangeTime: 0,
      receivedAt: 0,
    });
    expect(book.bids).toEqual(
      side(
        [
          [100, 2],
          [98, 1],
        ],
        true,
      ),
    );
    expect(book.asks.complete).toBe(false);
    expect(book.asks.levels[0]).toEqual({ price: 101, quantity: 1 });
  });
});

describe('takeBook and TakenLiquidity', () => {
  const book: Book = {
    bids: side([[99, 10]]),
    asks: side([
      [100, 10],
      [101, 10],
      [102, 10],
    ]),
  };

  it('takes up to the limit at the level prices, or all at one price for a resting order', () => {
    expect(takeBook(book, new TakenLiquidity(), 'BUY', 101, 25, null)).toEqual([
      { price: 100, quantity: 10 },
      { price: 101, quantity: 10 },
    ]);
    expect(takeBook(book, new TakenLiquidity(), 'BUY', 102, 25, 102)).toEqual([{ price: 102, quantity: 25 }]);
    expect(takeBook(book, new TakenLiquidity(), 'SELL', 99, 25, null)).toEqual([{ price: 99, quantity: 10 }]);
  });

  it('does not take the same visible quantity twice, until the book shows more or drops the level', () => {
    const taken = new TakenLiquidity();
    takeBook(book, taken, 'BUY', 100, 6, null);
    taken.refresh(book);
    expect(takeBook(book, taken, 'BUY', 100, 10, null)).toEqual([{ price: 100, quantity: 4 }]);
    expect(takeBook(book, taken, 'BUY', 100, 10, null)).toEqual([]);
    // The level shrank to 3: the taken part is capped at it, nothing new appears.
    const shrunk: Book = { ...book, asks: side([[100, 3]]) };
    taken.refresh(shrunk);
    expect(takeBook(shrunk, taken, 'BUY', 100, 10, null)).toEqual([]);
    // Then grew to 8: 5 are new.
    const grown: Book = { ...book, asks: side([[100, 8]]) };
    taken.refresh(grown);
    expect(takeBook(grown, taken, 'BUY', 100, 10, null)).toEqual([{ price: 100, quantity: 5 }]);
    // The level traded away (the best offer is above it now): forgotten, a new level there is new.
    taken.refresh({ ...book, asks: side([[101, 1]]) });
    expect(taken.isEmpty).toBe(true);
  });
});

describe('market protection', () => {
  it('rounds a buy down and a sell up, never past the protection', () => {
    expect(protectionPrice('BUY', 10_000, 200)).toBe(10_200);
    expect(protectionPrice('BUY', 12_345, 200)).toBe(12_591); // 12591.9
    expect(protectionPrice('SELL', 12_345, 200)).toBe(12_099); // 12098.1
    expect(protectionBasisPoints(-1, 200)).toBe(200);
    expect(protectionBasisPoints(null, 150)).toBe(150);
    expect(protectionBasisPoints(0.5, 200)).toBe(50);
    expect(protectionBasisPoints(2.345, 200)).toBe(235);
  });

  it('is exact: the bound is the last integer within reference x (1 +- bp)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4e11 }), fc.integer({ min: 1, max: 10_000 }), (ref, bp) => {
        const r = BigInt(ref);
        const b = BigInt(bp);
        const buy = BigInt(protectionPrice('BUY', ref, bp));
        expect(buy * 10_000n <= r * (10_000n + b)).toBe(true);
        expect((buy + 1n) * 10_000n > r * (10_000n + b)).toBe(true);
        const sell = BigInt(protectionPrice('SELL', ref, bp));
        if (bp < 10_000) {
          expect(sell * 10_000n >= r * (10_000n - b)).toBe(true);
          expect((sell - 1n) * 10_000n < r * (10_000n - b)).toBe(true);
        }
      }),
    );
  });
});

describe('triggerHit', () => {
  it('a buy stop at or above its trigger, a sell stop at or below; never without a price', () => {
    expect(triggerHit('BUY', 100, 100)).toBe(true);
    expect(triggerHit('BUY', 100, 99)).toBe(false);
    expect(triggerHit('SELL', 100, 100)).toBe(true);
    expect(triggerHit('SELL', 100, 101)).toBe(false);
    expect(triggerHit('SELL', 100, 0)).toBe(false);
  });
});
