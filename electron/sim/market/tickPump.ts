// A load generator for the local exchange (`--tick-rate R --tick-instruments N`): R ticks a second of
// wall time, spread round-robin over N instruments chosen by the seed. Each tick is a real trade: a
// one-lot IOC at the opposite touch of the book the market's makers keep, so the last price, the
// last quantity, the volume and the depth all change, and the venue sends the snapshot like any
// other. Pure: time comes in as an argument, randomness from a seeded stream.
import type { Instrument, PlaceOrder } from '../exchange';
import type { MarketExchange } from './marketSimulator';
import { Random, mixSeed } from './random';

/** The account the pump trades in (a `MARKET:` account: hidden from the user, like the agents'). */
export const TICK_PUMP_ACCOUNT = 'MARKET:ticks';
/** Kite tags are at most 20 alphanumerics. */
export const TICK_PUMP_TAG = 'simticks';

/** Keys the pump's streams off the seed, apart from the agents' and the fault injector's. */
const SELECT_STREAM = 0x71c4_5e1e;
const SIDE_STREAM = 0x71c4_51de;

/** Ticks owed for longer than this are dropped (counted), not sent in one burst after a stall. */
const MAX_BACKLOG_MS = 1_000;

/**
 * The order the pump prefers instruments in: NSE equities, index futures, BSE equities, the other
 * futures, then options. The NIFTY 50 companies come first, so 50 instruments are 50 stocks.
 */
function group(i: Instrument): number {
  if (i.instrument_type === 'EQ') return i.exchange === 'NSE' ? 0 : 2;
  if (i.instrument_type === 'FUT') return i.exchange === 'NFO' ? 1 : 3;
  return 4;
}

/**
 * The `count` instruments the pump ticks, in the order it ticks them: tradable ones among
 * `candidates` (all, when undefined), by group (see `group`), shuffled within each group by `seed`.
 * The same (instruments, candidates, seed, count) give the same list. Allocates.
 */
export function tickPumpInstruments(
  instruments: readonly Instrument[],
  seed: number,
  count: number,
  candidates?: ReadonlySet<number>,
): Instrument[] {
  const r = new Random(mixSeed(seed, SELECT_STREAM));
  const groups: Instrument[][] = [[], [], [], [], []];
  for (const i of instruments) {
    if (!i.tradable || (candidates !== undefined && !candidates.has(i.instrument_token))) continue;
    groups[group(i)]?.push(i);
  }
  const out: Instrument[] = [];
  for (const g of groups) {
    g.sort((a, b) => a.instrument_token - b.instrument_token);
    // Fisher-Yates with the seeded stream.
    for (let k = g.length - 1; k > 0; k--) {
      const j = r.int(k + 1);
      const t = g[k];
      const u = g[j];
      if (t === undefined || u === undefined) continue;
      g[k] = u;
      g[j] = t;
    }
    for (const i of g) {
      if (out.length >= count) return out;
      out.push(i);
    }
  }
  return out;
}

export interface TickPumpOptions {
  /** The exchange's commands the pump needs (the venue's exchange, as the market uses it). */
  readonly exchange: Pick<MarketExchange, 'placeOrder' | 'book' | 'forget'>;
  /** The instruments to tick, in round-robin order (`tickPumpInstruments`). */
  readonly instruments: readonly Instrument[];
  readonly seed: number;
  /** Ticks a second over all the instruments (wall time). */
  readonly rate: number;
}

/** What the pump has done since it started. */
export interface TickPumpStats {
  /** Ticks attempted (`fire` found them due). */
  readonly ticks: number;
  /** Of those, how many traded (each one trade, so one snapshot of its instrument). */
  readonly traded: number;
  /** Due, but the book had no side to trade against (no maker yet, or a circuit). */
  readonly skipped: number;
  /** Owed for more than a second after a stall, and given up rather than sent in one burst. */
  readonly dropped: number;
}

/**
 * Places the ticks due since its start, round-robin over its instruments. One `fire` never ticks
 * an instrument twice: the venue sends one snapshot per instrument per turn of the event loop (and
 * the ticker conflates per connection), so a second trade in the same turn would be a tick nobody
 * sees. With R ticks a second over N instruments, each instrument trades R / N times a second.
 */
export class TickPump {
  readonly instruments: readonly Instrument[];
  private readonly exchange: TickPumpOptions['exchange'];
  private readonly rate: number;
  private readonly sides: Random;
  private cursor = 0;
  /** Ticks placed or dropped so far: the rate owes `rate * elapsed - accounted` more. */
  private accounted = 0;
  private counts = { ticks: 0, traded: 0, skipped: 0, dropped: 0 };

  constructor(options: TickPumpOptions) {
    if (!(options.rate > 0)) throw new RangeError(`tick rate must be positive (got ${options.rate})`);
    this.exchange = options.exchange;
    this.instruments = options.instruments;
    this.rate = options.rate;
    this.sides = new Random(mixSeed(options.seed, SIDE_STREAM));
  }

  get stats(): TickPumpStats {
    return { ...this.counts };
  }

  /**
   * Places the ticks due at `elapsedMs` (wall ms since the pump started; never decreasing), at most
   * one per instrument; what is left waits for the next call. Returns how many it placed.
   */
  fire(elapsedMs: number): number {
    const n = this.instruments.length;
    if (n === 0) return 0;
    const owedNow = Math.floor((this.rate * elapsedMs) / 1000);
    // Ticks that fell due more than MAX_BACKLOG_MS ago are too late to mean anything: drop them.
    const tooLate = Math.floor((this.rate * (elapsedMs - MAX_BACKLOG_MS)) / 1000);
    if (tooLate > this.accounted) {
      this.counts.dropped += tooLate - this.accounted;
      this.accounted = tooLate;
    }
    const due = Math.min(owedNow - this.accounted, n);
    if (due <= 0) return 0;
    for (let k = 0; k < due; k++) {
      const i = this.instruments[this.cursor];
      this.cursor = (this.cursor + 1) % n;
      if (i !== undefined) this.tick(i);
    }
    this.accounted += due;
    return due;
  }

  /** One trade of one lot at the opposite touch, on a side drawn from the seeded stream. */
  private tick(i: Instrument): void {
    this.counts.ticks++;
    const buy = this.sides.next() < 0.5;
    const book = this.exchange.book(i.exchange, i.tradingsymbol);
    const bid = book?.bestBid() ?? 0;
    const ask = book?.bestAsk() ?? 0;
    // The drawn side, or the other one when the book has nothing to meet it.
    const canBuy = ask > 0;
    const canSell = bid > 0;
    if (!canBuy && !canSell) {
      this.counts.skipped++;
      return;
    }
    const side = (buy && canBuy) || !canSell ? 'BUY' : 'SELL';
    const p: PlaceOrder = {
      account: TICK_PUMP_ACCOUNT,
      variety: 'regular',
      exchange: i.exchange,
      tradingsymbol: i.tradingsymbol,
      transaction_type: side,
      order_type: 'LIMIT',
      quantity: Math.max(1, i.lot_size),
      product: i.instrument_type === 'EQ' ? 'CNC' : 'NRML',
      validity: 'IOC',
      price: side === 'BUY' ? ask : bid,
      tag: TICK_PUMP_TAG,
    };
    const r = this.exchange.placeOrder(p);
    if (!r.ok) {
      this.counts.skipped++;
      return;
    }
    this.counts.traded++;
    // An IOC ends within its command: the exchange need not keep it.
    this.exchange.forget(r.order_id);
  }
}
