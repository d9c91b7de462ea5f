// The local exchange's matching engine vs nodejs-order-book on the same seeded order stream: limit
// orders near the touch, cancels of live orders and small market orders, with about 10,000 orders
// resting. Throughput is timed over the whole stream; latency per operation in a second pass.
import { OrderBook as BaselineBook, Side } from 'nodejs-order-book';
import { Exchange } from '../../electron/sim/exchange/exchange';
import type { Instrument } from '../../electron/sim/instruments/instruments';
import { BUY, NO_ORDER, OrderBook, SELL } from '../../electron/sim/matching/orderBook';
import type { BookSide, FillSink } from '../../electron/sim/matching/orderBook';
import { percentile } from '../measure';
import type { BenchRow } from '../measure';

const LIMIT = 0;
const CANCEL = 1;
const MARKET = 2;

const TICK = 5;
const MID = 100_000; // Rs 1,000.00 in paise
const BAND = { tick: TICK, lower: 80_000, upper: 120_000 };
const DEPTH = 10_000;
const OPS = 300_000;

/** A deterministic order stream in flat arrays; the first `prefill` operations build the depth. */
interface Stream {
  readonly prefill: number;
  readonly length: number;
  readonly kind: Uint8Array;
  readonly side: Uint8Array;
  readonly price: Int32Array;
  readonly quantity: Int32Array;
  /** The order's id for a limit or market order; the id of the order to cancel for a cancel. */
  readonly id: Int32Array;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates the stream by playing it on a book as it goes, so that limits sit near the current touch
 * and every cancel names an order that is still live. Both books then replay the same arrays.
 */
function generate(seed: number): Stream {
  const random = mulberry32(seed);
  const length = DEPTH + OPS;
  const s: Stream = {
    prefill: DEPTH,
    length,
    kind: new Uint8Array(length),
    side: new Uint8Array(length),
    price: new Int32Array(length),
    quantity: new Int32Array(length),
    id: new Int32Array(length),
  };
  // Live orders as a swap-remove array with each id's position.
  const live = new Int32Array(length);
  const at = new Int32Array(length).fill(-1);
  let liveCount = 0;
  const drop = (id: number): void => {
    const i = at[id] ?? -1;
    if (i < 0) return;
    const last = live[--liveCount] ?? 0;
    live[i] = last;
    at[last] = i;
    at[id] = -1;
  };
  const sink: FillSink = {
    onFill: (makerRef, _t, _p, _q, makerLeft) => {
      if (makerLeft === 0) drop(makerRef);
    },
  };
  const book = new OrderBook(BAND, sink, DEPTH * 2);
  const handles = new Int32Array(length).fill(NO_ORDER);
  const clampPrice = (p: number): number => Math.min(BAND.upper, Math.max(BAND.lower, p));
  for (let i = 0; i < length; i++) {
    const r = random();
    const side: BookSide = random() < 0.5 ? BUY : SELL;
    let kind = LIMIT;
    if (i >= DEPTH) {
      const cancelShare = liveCount > DEPTH ? 0.55 : 0.35;
      kind = r < cancelShare ? CANCEL : r < cancelShare + 0.05 ? MARKET : LIMIT;
      if (kind === CANCEL && liveCount === 0) kind = LIMIT;
    }
    s.kind[i] = kind;
    s.side[i] = side;
    if (kind === CANCEL) {
      const victim = live[Math.floor(random() * liveCount)] ?? 0;
      s.id[i] = victim;
      book.cancel(handles[victim] ?? NO_ORDER);
      drop(victim);
      continue;
    }
    s.id[i] = i;
    if (kind === MARKET) {
      const q = 1 + Math.floor(random() * 20);
      s.quantity[i] = q;
      book.match(i, side, side === BUY ? BAND.upper : BAND.lower, q);
      continue;
    }
    // Limits: mostly passive within 40 ticks of the touch, some 1-2 ticks through it (they trade).
    const bid = book.bestBid() || MID - TICK;
    const ask = book.bestAsk() || MID + TICK;
    const away = i < DEPTH ? Math.floor(random() * 400) : Math.floor(random() * 42) - 2;
    const price = clampPrice(side === BUY ? bid - away * TICK : ask + away * TICK);
    const q = 1 + Math.floor(random() * 100);
    s.price[i] = price;
    s.quantity[i] = q;
    const h = book.limit(i, side, price, q);
    handles[i] = h;
    if (h !== NO_ORDER) {
      live[liveCount] = i;
      at[i] = liveCount++;
    }
  }
  return s;
}

/** Replays a stream on one engine; `step(i)` performs operation `i`. */
interface Player {
  step(i: number): void;
}

function ourPlayer(s: Stream): Player {
  const handles = new Int32Array(s.length).fill(NO_ORDER);
  const sink: FillSink = {
    onFill: (makerRef, _t, _p, _q, makerLeft) => {
      if (makerLeft === 0) handles[makerRef] = NO_ORDER;
    },
  };
  const book = new OrderBook(BAND, sink, DEPTH * 2);
  return {
    step(i) {
      const kind = s.kind[i];
      const id = s.id[i] ?? 0;
      const side = s.side[i] === BUY ? BUY : SELL;
      if (kind === LIMIT) {
        handles[id] = book.limit(id, side, s.price[i] ?? 0, s.quantity[i] ?? 0);
      } else if (kind === CANCEL) {
        book.cancel(handles[id] ?? NO_ORDER);
        handles[id] = NO_ORDER;
      } else {
        book.match(id, side, side === BUY ? BAND.upper : BAND.lower, s.quantity[i] ?? 0);
      }
    },
  };
}

function baselinePlayer(s: Stream): Player {
  const book = new BaselineBook();
  const ids: string[] = [];
  for (let i = 0; i < s.length; i++) ids.push(String(i));
  return {
    step(i) {
      const kind = s.kind[i];
      const id = ids[s.id[i] ?? 0] ?? '';
      const side = s.side[i] === BUY ? Side.BUY : Side.SELL;
      if (kind === LIMIT) book.limit({ id, side, size: s.quantity[i] ?? 0, price: s.price[i] ?? 0 });
      else if (kind === CANCEL) book.cancel(id);
      else book.market({ side, size: s.quantity[i] ?? 0 });
    },
  };
}

/** The same stream through the whole exchange: Kite's checks, order records, events. */
function exchangePlayer(s: Stream): Player {
  const instrument: Instrument = {
    instrument_token: 408065,
    exchange_token: 1594,
    tradingsymbol: 'INFY',
    name: 'INFOSYS',
    last_price: MID,
    expiry: '',
    strike: 0,
    tick_size: TICK,
    lot_size: 1,
    instrument_type: 'EQ',
    segment: 'NSE',
    exchange: 'NSE',
    priceDivisor: 100,
    freezeQuantity: 100_000,
    lowerCircuit: BAND.lower,
    upperCircuit: BAND.upper,
    tradable: true,
  };
  let events = 0;
  const exchange = new Exchange({
    instruments: [instrument],
    now: () => 1_764_000_000_000,
    onEvent: () => {
      events++;
    },
  });
  const orderIds: string[] = new Array<string>(s.length).fill('');
  return {
    step(i) {
      const kind = s.kind[i];
      const id = s.id[i] ?? 0;
      const buy = s.side[i] === BUY;
      if (kind === CANCEL) {
        exchange.cancelOrder(orderIds[id] ?? '');
        return;
      }
      const r = exchange.placeOrder({
        account: buy ? 'BUYER' : 'SELLER',
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: buy ? 'BUY' : 'SELL',
        order_type: kind === LIMIT ? 'LIMIT' : 'MARKET',
        quantity: s.quantity[i] ?? 0,
        product: 'CNC',
        ...(kind === LIMIT ? { price: s.price[i] ?? 0 } : { market_protection: 100 }),
      });
      if (r.ok) orderIds[id] = r.order_id;
      else throw new Error(`${r.error.message} (after ${events} events)`);
    },
  };
}

function prefilled(make: (s: Stream) => Player, s: Stream): Player {
  const p = make(s);
  for (let i = 0; i < s.prefill; i++) p.step(i);
  return p;
}

/** Operations per second over the stream after the prefill. */
function throughput(make: (s: Stream) => Player, s: Stream): number {
  const p = prefilled(make, s);
  const t = process.hrtime.bigint();
  for (let i = s.prefill; i < s.length; i++) p.step(i);
  const ns = Number(process.hrtime.bigint() - t);
  return ((s.length - s.prefill) / ns) * 1e9;
}

/** p50 and p99 of one operation, microseconds. */
function latency(make: (s: Stream) => Player, s: Stream): { p50: number; p99: number } {
  const p = prefilled(make, s);
  const samples = new Float64Array(s.length - s.prefill);
  for (let i = s.prefill; i < s.length; i++) {
    const t = process.hrtime.bigint();
    p.step(i);
    samples[i - s.prefill] = Number(process.hrtime.bigint() - t) / 1000;
  }
  samples.sort();
  const sorted = Array.from(samples);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

export function matchingSuite(): Promise<BenchRow[]> {
  const stream = generate(20251124);
  // Warm both engines up on the whole stream once so that neither is measured cold.
  throughput(ourPlayer, stream);
  throughput(baselinePlayer, stream);
  const ours = Math.max(throughput(ourPlayer, stream), throughput(ourPlayer, stream));
  const theirs = Math.max(throughput(baselinePlayer, stream), throughput(baselinePlayer, stream));
  throughput(exchangePlayer, stream);
  const throughExchange = Math.max(throughput(exchangePlayer, stream), throughput(exchangePlayer, stream));
  const ourLatency = latency(ourPlayer, stream);
  const exchangeLatency = latency(exchangePlayer, stream);
  const theirLatency = latency(baselinePlayer, stream);
  const baselineName = 'nodejs-order-book 10.1.1';
  const rows: BenchRow[] = [
    {
      suite: 'matching',
      name: `order operations/s at ~${DEPTH} resting`,
      unit: 'ops/s',
      value: ours,
      baselineName,
      baseline: theirs,
      higherIsBetter: true,
      budget: '>= 1M ops/s and >= 10x nodejs-order-book',
      withinBudget: ours >= 1_000_000 && ours >= 10 * theirs,
    },
    {
      suite: 'matching',
      name: 'one operation p50',
      unit: 'us',
      value: ourLatency.p50,
      baselineName,
      baseline: theirLatency.p50,
    },
    {
      suite: 'matching',
      name: 'one operation p99',
      unit: 'us',
      value: ourLatency.p99,
      baselineName,
      baseline: theirLatency.p99,
      budget: 'p99 <= 5 us',
      withinBudget: ourLatency.p99 <= 5,
    },
    {
      suite: 'matching',
      name: 'through the Kite rules (Exchange: checks, records, events) ops/s',
      unit: 'ops/s',
      value: throughExchange,
      baselineName,
      baseline: theirs,
      higherIsBetter: true,
    },
    {
      suite: 'matching',
      name: 'through the Kite rules, one operation p99',
      unit: 'us',
      value: exchangeLatency.p99,
      baselineName,
      baseline: theirLatency.p99,
    },
  ];
  return Promise.resolve(rows);
}
