// The engine's live market data: the feed (a KiteTickerPool writing the QuoteBoard), reference
// counts of what is subscribed in which mode, quotes and depth read back from the board for the
// streams, bars per instrument, instruments search, and history. It implements the contract's
// `market` service. Engine thread only.
//
// Tick path: the pool's decoder writes each packet into the board and calls `onTick(token, row)`;
// bars are updated there (no allocation), and the token is marked dirty. Every FLUSH_MS the dirty
// instruments with listeners are read from the board (seqlock copy) into Quote/Depth objects for
// the streams, which the RPC layer conflates again per client. So the hot path allocates nothing and
// the UI path allocates once per instrument per flush, not per tick.
import type { Disposable } from '../../../shared/disposable';
import { QuoteBoard, QuoteF64, QuoteI32, DEPTH_LEVELS } from '../../../native/quoteBoard';
import type { QuoteSnapshot } from '../../../native/quoteBoard';
import type { ServiceOf } from '../../../shared/rpc/service';
import { RpcError } from '../../../shared/rpc/errors';
import type {
  BarInterval,
  BarUpdate,
  Candle,
  Depth,
  FeedMode,
  InstrumentInfo,
  Quote,
  marketService,
} from '../../../shared/services/market';
import type { KiteTickerPool } from '../broker/kite/tickerPool';
import type { Candle as BrokerCandle } from '../broker/types';
import { createVolumeAtPrice } from '../../../shared/domain/volumeAtPrice';
import type { VolumeAtPrice } from '../../../shared/domain/volumeAtPrice';
import { joinLiveBars } from './history';
import { BarAggregator, INTERVAL_MS, NSE_SESSION } from './bars';
import type { Bar, SessionHours } from './bars';
import type { Instrument } from './instruments';
import type { InstrumentStore } from './instrumentsStore';

/** Quote board rows: Kite allows 3 connections x 3000 instruments. */
export const BOARD_CAPACITY = 9_000;
const FLUSH_MS = 50;
const MODE_RANK: Readonly<Record<FeedMode, number>> = { ltp: 1, quote: 2, full: 3 };
const RANK_MODE: readonly FeedMode[] = ['ltp', 'ltp', 'quote', 'full'];

/** Candles of an instrument from history (the broker's, cached), oldest first. */
export type HistorySource = (
  instrumentToken: number,
  interval: BarInterval,
  fromMs: number,
  toMs: number,
) => Promise<BrokerCandle[]>;

export interface MarketDataOptions {
  readonly now: () => number;
  readonly log: (line: string) => void;
}

/** What is subscribed for one instrument: a count per mode. */
interface Wanted {
  ltp: number;
  quote: number;
  full: number;
}

/** A broker candle as the contract shows it (no OI asked or known: 0). */
function contractCandle(c: BrokerCandle): Candle {
  return {
    time: c.time,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
    oi: c.oi ?? 0,
  };
}

/** The instrument as the contract shows it. */
export function instrumentInfo(i: Instrument): InstrumentInfo {
  const index = i.segment === 'INDICES';
  return {
    instrumentToken: i.instrumentToken,
    exchange: i.exchange,
    tradingsymbol: i.tradingSymbol,
    name: i.name,
    instrumentType: index ? 'INDEX' : i.instrumentType,
    segment: i.segment,
    expiry: i.expiry,
    strike: i.strike,
    tickSize: i.tickSize,
    lotSize: i.lotSize,
    priceDivisor: i.priceDivisor,
    freezeQuantity: i.freezeQuantity,
    lastPrice: i.lastPrice,
  };
}

function unavailable(what: string): RpcError {
  return new RpcError('REJECTED', `${what}: not logged in to a venue yet`);
}

/** Live market data for the engine. See the file comment. */
export class MarketData implements Disposable {
  readonly board = QuoteBoard.create(BOARD_CAPACITY);
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private pool: KiteTickerPool | undefined;
  private store: InstrumentStore | undefined;
  private history: HistorySource | undefined;
  /** The venue's session, which the bars follow (the local exchange may be open all day). */
  private session: SessionHours = NSE_SESSION;
  private readonly wanted = new Map<number, Wanted>();
  private readonly quoteListeners = new Map<number, Set<(q: Quote) => void>>();
  private readonly depthListeners = new Map<number, Set<(d: Depth) => void>>();
  private readonly barListeners = new Map<string, Set<(b: BarUpdate) => void>>();
  private readonly aggregators = new Map<number, BarAggregator>();
  /** The day's volume at each traded price, from every tick, per instrument in the feed (as the bars). */
  private readonly profiles = new Map<number, VolumeAtPrice>();
  /** Index tokens of the attached venue (they tick without volume). */
  private indices = new Set<number>();
  private readonly dirty = new Set<number>();
  /** Board row of each instrument that has ticked (the decoder's rows; it never removes one). */
  private readonly rows = new Map<number, number>();
  /** When each row last ticked, epoch ms (a typed array: no boxed number per tick). */
  private readonly receivedAt = new Float64Array(BOARD_CAPACITY);
  private readonly snapshot: QuoteSnapshot = QuoteBoard.snapshot();
  private readonly flushTimer: ReturnType<typeof setInterval>;
  private disposed = false;
  private latestExchangeMs = 0;
  private latestExchangeReceivedAt = 0;

  constructor(options: MarketDataOptions) {
    this.now = options.now;
    this.log = options.log;
    this.flushTimer = setInterval(() => {
      this.flush();
    }, FLUSH_MS);
    this.flushTimer.unref();
  }

  /** The decoder's listener: after each packet is written to the board. Allocates nothing. */
  readonly onTick = (instrumentToken: number, row: number): void => {
    this.dirty.add(instrumentToken);
    if (!this.rows.has(instrumentToken)) this.rows.set(instrumentToken, row);
    const receivedAt = this.now();
    this.receivedAt[row] = receivedAt;
    const b = this.board;
    // The writer's own thread: the row is complete (the decoder closed its update), no copy needed.
    const fbase = b.f64Base(row);
    const exchangeTime = b.f64[fbase + QuoteF64.exchangeTime] ?? 0;
    if (exchangeTime > this.latestExchangeMs) {
      this.latestExchangeMs = exchangeTime;
      this.latestExchangeReceivedAt = receivedAt;
    }
    const bars = this.aggregators.get(instrumentToken);
    if (bars === undefined) return;
    const base = b.i32Base(row);
    const volume = b.f64[fbase + QuoteF64.volume] ?? 0;
    // Every tick, not the streams' 50 ms flushes: each rise of the day volume at its own price.
    this.profiles.get(instrumentToken)?.add(b.i32[base + QuoteI32.lastPrice] ?? 0, volume, receivedAt);
    // Before today's first trade the feed's last price is the previous close (Kite's and the local
    // exchange's alike): it is not a trade, and in a bar it would draw a wick to a price nobody paid.
    // Indices never trade, so their value always counts.
    if (volume === 0 && !this.indices.has(instrumentToken)) return;
    bars.onTick(b.i32[base + QuoteI32.lastPrice] ?? 0, volume, exchangeTime > 0 ? exchangeTime : this.now());
  };

  /** Connects to a logged-in venue: its instruments, its feed and its history. Replaces any earlier. */
  attach(venue: {
    store: InstrumentStore;
    pool: KiteTickerPool;
    history: HistorySource;
    session: SessionHours;
  }): void {
    this.detach();
    this.store = venue.store;
    this.indices = new Set(
      venue.store
        .search('', { limit: 1_000, filters: { segment: 'INDICES' } })
        .map((h) => h.instrument.instrumentToken),
    );
    this.pool = venue.pool;
    this.history = venue.history;
    if (venue.session.openMs !== this.session.openMs || venue.session.closeMs !== this.session.closeMs) {
      this.session = venue.session;
      for (const token of this.aggregators.keys()) this.aggregators.set(token, this.newAggregator(token));
    }
    // What windows and scripts already wanted streams again on the new feed.
    const byMode = new Map<FeedMode, number[]>();
    for (const [token, w] of this.wanted) {
      const mode = this.modeOf(w);
      if (mode === undefined) continue;
      const list = byMode.get(mode) ?? [];
      list.push(token);
      byMode.set(mode, list);
    }
    for (const [mode, tokens] of byMode) this.pool.subscribe(tokens, mode);
  }

  /** The venue is gone (logout, the exchange restarting): the feed stops; subscriptions are kept. */
  detach(): void {
    this.pool?.dispose();
    this.pool = undefined;
    this.history = undefined;
  }

  /** The instrument store of the logged-in venue (kept after a detach: the day's dump stays valid). */
  get instruments(): InstrumentStore | undefined {
    return this.store;
  }

  /**
   * Keeps `tokens` in the feed in at least `mode` until the returned function is called (the OMS
   * holds the instruments it has orders and positions in, for their last prices).
   */
  retain(tokens: readonly number[], mode: FeedMode): () => void {
    this.want(tokens, mode, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.want(tokens, mode, -1);
    };
  }

  /**
   * Calls `listener` after the instrument's ticks (at most every flush, 50 ms), keeping it in the
   * feed in full mode (depth) meanwhile. For the paper broker.
   */
  watch(token: number, listener: () => void): Disposable {
    this.want([token], 'full', 1);
    const wrapped = (): void => {
      listener();
    };
    const remove = this.listen(this.quoteListeners, token, wrapped);
    return {
      dispose: () => {
        remove();
        this.want([token], 'full', -1);
      },
    };
  }

  /**
   * Until when the instrument's values are known to be current (the engine's clock), 0 when it
   * never ticked: its last tick, or a later frame (a heartbeat) on the connection that carries it,
   * since Kite sends a packet whenever anything in it changes. Allocates nothing.
   */
  freshAt(token: number): number {
    const row = this.rows.get(token);
    if (row === undefined) return 0;
    const tick = this.receivedAt[row] ?? 0;
    return Math.max(tick, this.pool?.lastFrameAt(token) ?? 0);
  }

  /** The newest exchange time any tick carried (epoch ms, 0: none yet), and when it was received. */
  get latestExchangeTime(): { readonly exchangeMs: number; readonly receivedAt: number } {
    return { exchangeMs: this.latestExchangeMs, receivedAt: this.latestExchangeReceivedAt };
  }

  /** Candles of an instrument from the venue's history (cached), oldest first. */
  async candles(token: number, interval: BarInterval, fromMs: number, toMs: number): Promise<BrokerCandle[]> {
    const source = this.history;
    if (source === undefined) throw unavailable('history');
    return source(token, interval, fromMs, toMs);
  }

  /** Calls `listener` with each closed bar of the instrument and interval (the feed kept in quote mode meanwhile). */
  watchBars(token: number, interval: BarInterval, listener: (bar: BarUpdate) => void): Disposable {
    this.want([token], 'quote', 1);
    const remove = this.listen(this.barListeners, `${token}|${interval}`, (b: BarUpdate) => {
      if (b.closed) listener(b);
    });
    return {
      dispose: () => {
        remove();
        this.want([token], 'quote', -1);
      },
    };
  }

  /** The last price in wire units, 0 when the instrument has not ticked. Allocates nothing. */
  lastPrice(token: number): number {
    const row = this.rows.get(token);
    if (row === undefined) return 0;
    return this.board.i32[this.board.i32Base(row) + QuoteI32.lastPrice] ?? 0;
  }

  /** Adds `count` (negative: removes) subscriptions of `tokens` in `mode`, and tells the feed. */
  private want(tokens: readonly number[], mode: FeedMode, count: 1 | -1): void {
    const changed = new Map<FeedMode | 'none', number[]>();
    for (const token of tokens) {
      const w = this.wanted.get(token) ?? { ltp: 0, quote: 0, full: 0 };
      const before = this.modeOf(w);
      w[mode] = Math.max(0, w[mode] + count);
      const after = this.modeOf(w);
      if (after === undefined) this.wanted.delete(token);
      else this.wanted.set(token, w);
      if (after === before) continue;
      const key = after ?? 'none';
      const list = changed.get(key) ?? [];
      list.push(token);
      changed.set(key, list);
      if (after !== undefined && !this.aggregators.has(token)) {
        this.aggregators.set(token, this.newAggregator(token));
        this.profiles.set(token, createVolumeAtPrice(0));
      }
      if (after === undefined) {
        this.aggregators.delete(token);
        this.profiles.delete(token);
      }
    }
    const pool = this.pool;
    if (pool === undefined) return;
    for (const [mode, list] of changed) {
      if (mode === 'none') pool.unsubscribe(list);
      else pool.subscribe(list, mode);
    }
  }

  private modeOf(w: Wanted): FeedMode | undefined {
    const rank = w.full > 0 ? 3 : w.quote > 0 ? 2 : w.ltp > 0 ? 1 : 0;
    return rank === 0 ? undefined : RANK_MODE[rank];
  }

  private newAggregator(token: number): BarAggregator {
    const fire = (bar: Bar, closed: boolean): void => {
      const listeners = this.barListeners.get(`${token}|${bar.interval}`);
      if (listeners === undefined || listeners.size === 0) return;
      const update: BarUpdate = {
        instrumentToken: token,
        interval: bar.interval,
        time: bar.start,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        oi: 0,
        closed,
      };
      for (const l of listeners) l(update);
    };
    return new BarAggregator({
      instrumentToken: token,
      session: this.session,
      onUpdate: (bar) => {
        fire(bar, false);
      },
      onClose: (bar) => {
        fire(bar, true);
      },
    });
  }

  /** Reads a board row into a Quote, or undefined when the instrument has not ticked. Allocates. */
  quote(token: number): Quote | undefined {
    const row = this.rows.get(token);
    if (row === undefined) return undefined;
    this.board.read(row, this.snapshot);
    const i = this.snapshot.i32;
    const f = this.snapshot.f64;
    return {
      instrumentToken: token,
      lastPrice: i[QuoteI32.lastPrice] ?? 0,
      lastQuantity: f[QuoteF64.lastQuantity] ?? 0,
      averagePrice: i[QuoteI32.averagePrice] ?? 0,
      volume: f[QuoteF64.volume] ?? 0,
      open: i[QuoteI32.open] ?? 0,
      high: i[QuoteI32.high] ?? 0,
      low: i[QuoteI32.low] ?? 0,
      close: i[QuoteI32.close] ?? 0,
      bidPrice: i[QuoteI32.bidPrice] ?? 0,
      bidQuantity: f[QuoteF64.bidQuantity] ?? 0,
      askPrice: i[QuoteI32.askPrice] ?? 0,
      askQuantity: f[QuoteF64.askQuantity] ?? 0,
      totalBuyQuantity: f[QuoteF64.totalBuyQuantity] ?? 0,
      totalSellQuantity: f[QuoteF64.totalSellQuantity] ?? 0,
      oi: f[QuoteF64.oi] ?? 0,
      lastTradeTime: f[QuoteF64.lastTradeTime] ?? 0,
      exchangeTime: f[QuoteF64.exchangeTime] ?? 0,
      receivedAt: this.receivedAt[row] ?? 0,
    };
  }

  /** Reads a board row's 5 levels into a Depth (levels with no quantity left out). Allocates. */
  depth(token: number): Depth | undefined {
    const row = this.rows.get(token);
    if (row === undefined) return undefined;
    this.board.read(row, this.snapshot);
    const i = this.snapshot.i32;
    const f = this.snapshot.f64;
    const side = (price: number, quantity: number, orders: number): Depth['bids'] => {
      const out: { price: number; quantity: number; orders: number }[] = [];
      for (let k = 0; k < DEPTH_LEVELS; k++) {
        const q = f[quantity + k] ?? 0;
        if (q > 0) out.push({ price: i[price + k] ?? 0, quantity: q, orders: i[orders + k] ?? 0 });
      }
      return out;
    };
    return {
      instrumentToken: token,
      bids: side(QuoteI32.bidPrice, QuoteF64.bidQuantity, QuoteI32.bidOrders),
      asks: side(QuoteI32.askPrice, QuoteF64.askQuantity, QuoteI32.askOrders),
      exchangeTime: f[QuoteF64.exchangeTime] ?? 0,
      receivedAt: this.receivedAt[row] ?? 0,
    };
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    for (const token of this.dirty) {
      const q = this.quoteListeners.get(token);
      if (q !== undefined && q.size > 0) {
        const quote = this.quote(token);
        if (quote !== undefined) for (const l of q) l(quote);
      }
      const d = this.depthListeners.get(token);
      if (d !== undefined && d.size > 0) {
        const depth = this.depth(token);
        if (depth !== undefined) for (const l of d) l(depth);
      }
    }
    this.dirty.clear();
  }

  /** Adds a listener to a keyed set and returns its removal. */
  private listen<K, T>(map: Map<K, Set<T>>, key: K, listener: T): () => void {
    let set = map.get(key);
    if (set === undefined) {
      set = new Set();
      map.set(key, set);
    }
    const s = set;
    s.add(listener);
    return () => {
      s.delete(listener);
      if (s.size === 0) map.delete(key);
    };
  }

  /** The contract's `market` service over this market data, for one connection. */
  service(): ServiceOf<typeof marketService> & Disposable {
    // Subscriptions made by `subscribe` on this connection, released when it closes.
    const mine = new Map<number, FeedMode>();
    const store = (): InstrumentStore => {
      const s = this.store;
      if (s === undefined) throw unavailable('instruments');
      return s;
    };
    const known = (tokens: readonly number[]): InstrumentInfo[] => {
      const s = store();
      const out: InstrumentInfo[] = [];
      for (const t of tokens) {
        const i = s.byToken(t);
        if (i !== undefined) out.push(instrumentInfo(i));
      }
      return out;
    };
    return {
      search: (p) => {
        const hits = store().search(p.query, {
          limit: p.limit ?? 20,
          filters: {
            ...(p.exchange === undefined ? {} : { exchange: p.exchange }),
            ...(p.instrumentType === undefined || p.instrumentType === 'INDEX'
              ? {}
              : { instrumentType: p.instrumentType }),
            ...(p.instrumentType === 'INDEX' ? { segment: 'INDICES' } : {}),
          },
        });
        return Promise.resolve({ instruments: hits.map((h) => instrumentInfo(h.instrument)) });
      },
      instruments: (p) => Promise.resolve({ instruments: known(p.instrumentTokens) }),
      lookup: (p) => {
        const s = store();
        const out: InstrumentInfo[] = [];
        for (const key of p.keys) {
          const at = key.indexOf(':');
          if (at <= 0) continue;
          const i = s.bySymbol(key.slice(0, at), key.slice(at + 1));
          if (i !== undefined) out.push(instrumentInfo(i));
        }
        return Promise.resolve({ instruments: out });
      },
      subscribe: (p) => {
        const tokens = known(p.instrumentTokens).map((i) => i.instrumentToken);
        for (const t of tokens) {
          const before = mine.get(t);
          if (before !== undefined && MODE_RANK[before] >= MODE_RANK[p.mode]) continue;
          if (before !== undefined) this.want([t], before, -1);
          this.want([t], p.mode, 1);
          mine.set(t, p.mode);
        }
        return Promise.resolve({ subscribed: tokens });
      },
      unsubscribe: (p) => {
        const out: number[] = [];
        for (const t of p.instrumentTokens) {
          const mode = mine.get(t);
          if (mode === undefined) continue;
          this.want([t], mode, -1);
          mine.delete(t);
          out.push(t);
        }
        return Promise.resolve({ unsubscribed: out });
      },
      quotes: (p) => {
        const quotes: Quote[] = [];
        for (const t of p.instrumentTokens) {
          const q = this.quote(t);
          if (q !== undefined) quotes.push(q);
        }
        return Promise.resolve({ quotes });
      },
      volumeProfile: (p) => {
        const profile = this.profiles.get(p.instrumentToken);
        return Promise.resolve({
          instrumentToken: p.instrumentToken,
          since: profile?.since ?? 0,
          dayVolume: profile?.dayVolume ?? -1,
          updatedAt: profile?.updatedAt ?? 0,
          levels: profile?.levels() ?? [],
        });
      },
      history: async (p) => {
        const source = this.history;
        if (source === undefined) throw unavailable('history');
        const candles = await source(p.instrumentToken, p.interval, p.from, p.to);
        return {
          candles: this.withLiveBar(p.instrumentToken, p.interval, candles, p.to).map(contractCandle),
        };
      },
      onQuotes: (listener, p) => {
        const tokens = [...new Set(p.instrumentTokens)];
        // Full: Kite's quote packets carry no best bid/ask, and a watchlist shows them.
        this.want(tokens, 'full', 1);
        const removals = tokens.map((t) => this.listen(this.quoteListeners, t, listener));
        // The latest known at once, so a new window does not wait for the next tick.
        for (const t of tokens) {
          const q = this.quote(t);
          if (q !== undefined) listener(q);
        }
        return {
          dispose: () => {
            for (const r of removals) r();
            this.want(tokens, 'full', -1);
          },
        };
      },
      onDepth: (listener, p) => {
        this.want([p.instrumentToken], 'full', 1);
        const remove = this.listen(this.depthListeners, p.instrumentToken, listener);
        const d = this.depth(p.instrumentToken);
        if (d !== undefined) listener(d);
        return {
          dispose: () => {
            remove();
            this.want([p.instrumentToken], 'full', -1);
          },
        };
      },
      onBars: (listener, p) => {
        this.want([p.instrumentToken], 'quote', 1);
        const remove = this.listen(this.barListeners, `${p.instrumentToken}|${p.interval}`, listener);
        return {
          dispose: () => {
            remove();
            this.want([p.instrumentToken], 'quote', -1);
          },
        };
      },
      dispose: () => {
        for (const [t, mode] of mine) this.want([t], mode, -1);
        mine.clear();
      },
    };
  }

  /**
   * History that reaches the present joined with the bar the feed is building (BarAggregator's
   * mergeHistory: one bar at the seam, no volume counted twice, and the aggregator counts on from the
   * history's volume, so the chart's forming bar does not shrink at the next tick). A range in the
   * past is returned as it is: merging it would make an old candle the live bar. Allocates.
   */
  private withLiveBar(
    token: number,
    interval: BarInterval,
    candles: BrokerCandle[],
    to: number,
  ): BrokerCandle[] {
    const agg = this.aggregators.get(token);
    if (agg === undefined || !agg.intervals.includes(interval)) return candles;
    if (to < this.now() - INTERVAL_MS[interval]) return candles;
    return joinLiveBars(candles, agg, interval);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.flushTimer);
    this.detach();
  }
}
