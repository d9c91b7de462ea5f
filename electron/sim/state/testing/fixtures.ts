// Shared by the state tests and the crash child: a day, a clock, commands, and a full snapshot of what
// an exchange holds (orders, positions, books with their queues, market stats).
import { BUY, SELL } from '../../matching/orderBook';
import type { BookSide } from '../../matching/orderBook';
import type { ExchangeOrder, MarketStats, PlaceOrder, Position } from '../../exchange/types';
import type { OrderBook } from '../../matching/orderBook';
import { copyOrder } from '../journaledExchange';

/** The trading day the tests use (the exchange tests' day). */
export const DAY = '2025-11-24';
/** 2025-11-24 10:00 IST. */
export const START = Date.UTC(2025, 10, 24, 4, 30);

/** What `snapshot` reads: the Exchange's and the JournaledExchange's common reads. */
export interface Readable {
  readonly sessionOpen: boolean;
  orders(): ExchangeOrder[];
  allPositions(): Position[];
  book(exchange: string, tradingsymbol: string): OrderBook | undefined;
  marketStats(instrumentToken: number): MarketStats | undefined;
}

/** One resting level: price, then the queue's (order number, quantity left), oldest first. */
type Level = [number, [number, number][]];

/** Everything an exchange holds for `symbols`, as plain data to compare with `toEqual`. */
export interface Snapshot {
  readonly sessionOpen: boolean;
  readonly orders: ExchangeOrder[];
  readonly positions: Position[];
  readonly books: Record<string, { bids: Level[]; asks: Level[]; stats: MarketStats | undefined }>;
}

/** A deep copy of what `x` holds, with the books of `symbols` (`EXCHANGE:SYMBOL`). */
export function snapshot(x: Readable, symbols: readonly string[]): Snapshot {
  const books: Snapshot['books'] = {};
  for (const key of symbols) {
    const [exchange = '', symbol = ''] = key.split(':');
    const book = x.book(exchange, symbol);
    const token = x.orders().find((o) => o.tradingsymbol === symbol)?.instrument_token;
    books[key] = {
      bids: book === undefined ? [] : levels(book, BUY),
      asks: book === undefined ? [] : levels(book, SELL),
      stats: token === undefined ? undefined : copy(x.marketStats(token)),
    };
  }
  return {
    sessionOpen: x.sessionOpen,
    orders: x.orders().map(copyOrder),
    positions: copy(x.allPositions()),
    books,
  };
}

function levels(book: OrderBook, side: BookSide): Level[] {
  const n = 4096;
  const out = { prices: new Float64Array(n), quantities: new Float64Array(n), orders: new Int32Array(n) };
  const count = book.depth(side, out);
  const result: Level[] = [];
  for (let k = 0; k < count; k++) {
    const price = out.prices[k] ?? 0;
    result.push([price, book.queueAt(side, price).map((q): [number, number] => [q.ref, q.left])]);
  }
  return result;
}

function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** An INFY order (previous close 1540.80, tick 0.05) with the given changes. */
export function infy(over: Partial<PlaceOrder> = {}): PlaceOrder {
  return {
    account: 'AB1234',
    variety: 'regular',
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    transaction_type: 'BUY',
    order_type: 'LIMIT',
    quantity: 10,
    product: 'CNC',
    price: 154_000,
    ...over,
  };
}

/** A small seeded generator (mulberry32), so the crash child needs no test library. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
