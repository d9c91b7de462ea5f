// The live synthetic market: market makers, takers and noise traders per instrument, trading through
// the Exchange's public commands like any client (never touching a book), around the fair values of
// FairValueModel. Driven by `step(now)` with an injected, settable clock and seeded streams.
import type { Exchange, ExchangeEvent, ExchangeOrder, Instrument, PlaceOrder } from '../exchange';
import { buildCandles } from './candles';
import type { Candle, CandleInterval, LiveBar } from './candles';
import { FairValueModel } from './fairValue';
import { Schedule } from './heap';
import { Random, mixSeed } from './random';
import {
  ALWAYS_OPEN,
  MARKET_HOURS,
  activityPeak,
  activityShape,
  inSession,
  istDayOf,
  nextSessionInstant,
  sessionFraction,
  sessionLengthMs,
  sessionOpenMs,
} from './session';
import type { SessionWindow } from './session';

/** The accounts the agents trade in. No Kite user id contains ':', so they never meet a user's. */
export const AGENT_ACCOUNTS = {
  maker: 'MARKET:maker',
  taker: 'MARKET:taker',
  noise: 'MARKET:noise',
} as const;

/** The tags on the agents' orders (Kite tags: at most 20 alphanumerics). */
export const AGENT_TAGS = { maker: 'simmaker', taker: 'simtaker', noise: 'simnoise' } as const;

/** Price levels each market maker keeps on each side. */
export const MAKER_LEVELS = 5;

/** The Exchange commands and reads the market uses: the same public API as any client. */
export type MarketExchange = Pick<
  Exchange,
  'placeOrder' | 'modifyOrder' | 'cancelOrder' | 'order' | 'book' | 'forget'
>;

/** A clock the market moves: the Exchange and the venue read `now`, the market sets it per action. */
export class MarketClock {
  /** Epoch ms. */
  now: number;

  /** Starts at `epochMs`. */
  constructor(epochMs: number) {
    this.now = epochMs;
  }

  /** `() => clock.now`, for `ExchangeOptions.now`. */
  readonly read = (): number => this.now;
}

/** What the simulator needs. */
export interface MarketSimulatorOptions {
  readonly exchange: MarketExchange;
  /** The exchange's instruments (the same list the Exchange was built with). */
  readonly instruments: readonly Instrument[];
  readonly seed: number;
  /** The trading date the instruments were built for, `YYYY-MM-DD`. */
  readonly tradingDate: string;
  /** NSE hours (09:15-15:30 IST, weekdays) or always open. Must match the session clock's mode. */
  readonly marketHours: boolean;
  /** The clock the Exchange reads; the simulator sets it to each action's time. */
  readonly clock: MarketClock;
  /** Ticked at every action's time before it runs (pass the host's SessionClock), so the session opens on time. */
  readonly session?: { tick(epochMs: number): void };
  /** Which instruments to animate (default: every tradable instrument the model prices). */
  readonly tokens?: readonly number[];
  /**
   * Scales the takers' and noise traders' arrival rates, and the history's volumes with them
   * (default 1). Below 1 for a lighter market: fewer orders for the Exchange to keep (README "Cost").
   */
  readonly activity?: number;
}

const OPEN = 0;
const MAKER = 1;
const TAKER = 2;
const NOISE = 3;
const CANCEL = 4;

/** Per-instrument agent settings, chosen from the instrument's kind and price at each day's open. */
interface AgentParams {
  readonly requoteMs: number;
  /** Taker arrivals a second at an average moment of the day. */
  readonly takerRate: number;
  readonly noiseRate: number;
  readonly noiseLifeMs: number;
  /** Quantity of the maker's best level; deeper levels grow. */
  readonly makerQuantity: number;
  /** Median taker quantity. */
  readonly takerQuantity: number;
}

interface Animated {
  readonly inst: Instrument;
  readonly slot: number;
  /** The maker's order ids per side ('' = none); read back through `Exchange.order`. */
  readonly bids: string[];
  readonly asks: string[];
  params: AgentParams;
  maker: Random;
  taker: Random;
  noise: Random;
  spreadTicks: number;
  /** The maker's position from its fills (bought minus sold), for its inventory skew. */
  inventory: number;
  /** The maker's orders not yet settled into `inventory`: id -> side and the fills already counted. */
  readonly tracked: Map<string, { readonly buy: boolean; seen: number }>;
  /** End of the current session (agents stop acting here). */
  sessionEnd: number;
  /** Live OI: opening OI plus the longs opened today (see README). */
  oi: number;
  /** The IST day `oi` counts (a restart's replayed trades of the same day are kept at its open). */
  oiDay: number;
  /** Noise orders with no cancel scheduled (their life outlasts the session): forgotten next day. */
  readonly leftovers: string[];
}

/**
 * The synthetic market. Determinism: every agent action is scheduled at its own simulated instant
 * from streams seeded by (seed, instrument, IST day, agent), and runs with the clock set to that
 * instant, so the trade tape is the same whatever the sizes of the `step` calls, provided nothing
 * else (a user's order, a session call) reaches the exchange between them. Each IST day re-seeds the
 * streams; see README.md "What is deterministic" for what that does and does not promise.
 */
export class MarketSimulator {
  /** The fair values everything here trades around (also serves historical candles). */
  readonly model: FairValueModel;
  private readonly exchange: MarketExchange;
  private readonly clock: MarketClock;
  private readonly session: { tick(epochMs: number): void } | undefined;
  private readonly window: SessionWindow;
  private readonly seed: number;
  private readonly animated: Animated[] = [];
  private readonly byToken = new Map<number, Animated>();
  private readonly schedule = new Schedule();
  private readonly netByAccount = new Map<number, Map<string, number>>();
  private readonly liveBars = new Map<number, Map<number, LiveBar>>();
  private readonly instruments = new Map<number, Instrument>();
  private readonly startMs: number;
  /**
   * Minutes of a tradable instrument from here on come from the recorded tape: the simulator's start,
   * or the first trade it was shown (a `--state` replay of the day before a restart), if earlier.
   */
  private liveFromMs: number;
  private readonly activity: number;
  private lastStep: number;

  /** Sets up the agents; nothing trades until the first `step`. Starts at the clock's time. */
  constructor(options: MarketSimulatorOptions) {
    this.exchange = options.exchange;
    this.clock = options.clock;
    this.session = options.session;
    this.seed = options.seed >>> 0;
    this.window = options.marketHours ? MARKET_HOURS : ALWAYS_OPEN;
    this.model = new FairValueModel({
      seed: this.seed,
      window: this.window,
      instruments: options.instruments,
      tradingDate: options.tradingDate,
    });
    this.startMs = options.clock.now;
    this.liveFromMs = this.startMs;
    this.activity = options.activity ?? 1;
    this.lastStep = options.clock.now;
    for (const i of options.instruments) this.instruments.set(i.instrument_token, i);
    const wanted = options.tokens === undefined ? undefined : new Set(options.tokens);
    for (const i of options.instruments) {
      if (!i.tradable || !this.model.has(i.instrument_token)) continue;
      if (wanted !== undefined && !wanted.has(i.instrument_token)) continue;
      const a: Animated = {
        inst: i,
        slot: this.animated.length,
        bids: new Array<string>(MAKER_LEVELS).fill(''),
        asks: new Array<string>(MAKER_LEVELS).fill(''),
        params: paramsFor(i, i.last_price, 1),
        maker: new Random(0),
        taker: new Random(0),
        noise: new Random(0),
        spreadTicks: 1,
        inventory: 0,
        tracked: new Map(),
        sessionEnd: 0,
        oi: openingOi(this.seed, i, optionMoneyness(this.model, i, this.startMs), istDayOf(this.startMs)),
        oiDay: istDayOf(this.startMs),
        leftovers: [],
      };
      this.animated.push(a);
      this.byToken.set(i.instrument_token, a);
      this.schedule.push(nextSessionInstant(this.window, this.startMs), OPEN, a.slot);
    }
  }

  /** Tokens of the instruments the agents trade. Allocates. */
  animatedTokens(): number[] {
    return this.animated.map((a) => a.inst.instrument_token);
  }

  /**
   * Runs every agent action due up to `now` (epoch ms, never less than the last call), each at its
   * own instant, then leaves the clock at `now`. With `--speed X` the host maps wall time to
   * simulated time (`now = start + X * wallElapsed`) and calls this as often as it likes.
   */
  step(now: number): void {
    if (now < this.lastStep) throw new RangeError(`step(${now}) is before the last step ${this.lastStep}`);
    this.lastStep = now;
    while (this.schedule.peekTime() <= now) {
      const s = this.schedule.pop();
      if (s === undefined) break;
      this.clock.now = s.time;
      this.session?.tick(s.time);
      const a = this.animated[s.slot];
      if (a === undefined) continue;
      switch (s.kind) {
        case OPEN:
          this.openDay(a, s.time);
          break;
        case MAKER:
          this.requote(a, s.time);
          if (s.time + a.params.requoteMs < a.sessionEnd)
            this.schedule.push(s.time + a.params.requoteMs, MAKER, a.slot);
          break;
        case TAKER:
          this.take(a, s.time);
          this.scheduleArrival(a, s.time, TAKER);
          break;
        case NOISE:
          this.rest(a, s.time);
          this.scheduleArrival(a, s.time, NOISE);
          break;
        case CANCEL:
          if (this.live(s.orderId) !== undefined) this.exchange.cancelOrder(s.orderId);
          // Done with it either way (cancelled now, or filled before): the exchange need not keep it.
          this.exchange.forget(s.orderId);
          break;
      }
    }
    this.clock.now = now;
    this.session?.tick(now);
  }

  /**
   * Feed every Exchange event here (from `ExchangeOptions.onEvent`, after the venue's own handling):
   * it keeps open interest and the live day's candles. Reads the event only; never calls back.
   */
  observe(event: ExchangeEvent): void {
    if (event.type !== 'trade') return;
    const t = event.trade;
    const token = t.instrument_token;
    const inst = this.instruments.get(token);
    if (inst === undefined) return;
    if (isDerivative(inst)) {
      let nets = this.netByAccount.get(token);
      if (nets === undefined) {
        nets = new Map();
        this.netByAccount.set(token, nets);
      }
      const before = nets.get(t.account) ?? 0;
      const after = before + (t.transaction_type === 'BUY' ? t.quantity : -t.quantity);
      nets.set(t.account, after);
      const a = this.byToken.get(token);
      if (a !== undefined) a.oi += Math.max(after, 0) - Math.max(before, 0);
    }
    // Each match is reported once per side: count the taker's side only.
    if (t.maker) return;
    let bars = this.liveBars.get(token);
    if (bars === undefined) {
      bars = new Map();
      this.liveBars.set(token, bars);
    }
    const minute = Math.floor(t.fill_timestamp / 60_000) * 60_000;
    if (minute < this.liveFromMs) this.liveFromMs = minute;
    const bar = bars.get(minute);
    const oi = this.openInterest(token);
    if (bar === undefined) {
      bars.set(minute, {
        open: t.price,
        high: t.price,
        low: t.price,
        close: t.price,
        volume: t.quantity,
        oi,
      });
    } else {
      if (t.price > bar.high) bar.high = t.price;
      if (t.price < bar.low) bar.low = t.price;
      bar.close = t.price;
      bar.volume += t.quantity;
      bar.oi = oi;
    }
  }

  /** Open interest of a future or option now (0 for anything else). */
  openInterest(instrumentToken: number): number {
    const a = this.byToken.get(instrumentToken);
    if (a !== undefined) return a.oi;
    const inst = this.instruments.get(instrumentToken);
    if (inst === undefined || !isDerivative(inst)) return 0;
    let longs = 0;
    for (const n of this.netByAccount.get(instrumentToken)?.values() ?? []) longs += Math.max(n, 0);
    const now = this.clock.now;
    return openingOi(this.seed, inst, optionMoneyness(this.model, inst, now), istDayOf(now)) + longs;
  }

  /**
   * Candles of `[fromMs, toMs]` (epoch ms, inclusive) for Kite's `/instruments/historical`: integer
   * prices in the wire unit, volume, OI. Before the simulator started they are drawn from the fair
   * value process; from its start they are the trades it recorded through `observe`. Allocates.
   */
  historicalCandles(
    instrumentToken: number,
    interval: CandleInterval,
    fromMs: number,
    toMs: number,
  ): Candle[] {
    const inst = this.instruments.get(instrumentToken);
    if (inst === undefined) return [];
    return historyCandles({
      model: this.model,
      seed: this.seed,
      activity: this.activity,
      instrument: inst,
      interval,
      fromMs,
      toMs: Math.min(toMs, this.clock.now),
      liveFromMs: this.liveFromMs,
      liveBars: this.liveBars.get(instrumentToken),
      startMs: this.startMs,
    });
  }

  // ---- agents -----------------------------------------------------------------------------------

  private openDay(a: Animated, t: number): void {
    const day = istDayOf(t);
    const token = a.inst.instrument_token;
    a.sessionEnd = sessionOpenMs(this.window, day) + sessionLengthMs(this.window);
    // Yesterday's long-lived noise orders expired at the close.
    for (const id of a.leftovers.splice(0)) this.exchange.forget(id);
    a.maker = new Random(mixSeed(this.seed, token, day, 11));
    a.taker = new Random(mixSeed(this.seed, token, day, 12));
    a.noise = new Random(mixSeed(this.seed, token, day, 13));
    const fv = this.model.fairValue(token, t);
    const moneyness = optionMoneyness(this.model, a.inst, t);
    const base = paramsFor(a.inst, Number.isFinite(fv) ? fv : a.inst.last_price, moneyness);
    const busy = this.activity * dayActivity(this.seed, token, day);
    a.params = { ...base, takerRate: base.takerRate * busy, noiseRate: base.noiseRate * busy };
    // A new day's OI is its opening OI (which stands for the positions carried in) plus what opens
    // today; the same day's open after a restart keeps what the replayed trades opened.
    if (day !== a.oiDay) {
      a.oiDay = day;
      a.oi = openingOi(this.seed, a.inst, moneyness, day);
      this.netByAccount.delete(token);
    }
    a.spreadTicks = drawSpread(a.maker);
    // Stagger the makers' requotes inside their period so they do not all fire on the same instant.
    this.schedule.push(t + Math.floor(a.maker.next() * a.params.requoteMs), MAKER, a.slot);
    this.scheduleArrival(a, t, TAKER);
    this.scheduleArrival(a, t, NOISE);
    this.schedule.push(nextSessionInstant(this.window, a.sessionEnd), OPEN, a.slot);
  }

  /** Poisson arrivals with the day's U-shaped intensity, by thinning. Drops arrivals after the close. */
  private scheduleArrival(a: Animated, t: number, kind: typeof TAKER | typeof NOISE): void {
    const r = kind === TAKER ? a.taker : a.noise;
    const rate = kind === TAKER ? a.params.takerRate : a.params.noiseRate;
    if (rate <= 0) return;
    const peak = rate * activityPeak(this.window);
    let at = t;
    for (;;) {
      at += Math.max(1, Math.round(r.exponential(peak / 1000)));
      if (at >= a.sessionEnd) return;
      const u = sessionFraction(this.window, at);
      if (r.next() * peak <= rate * activityShape(this.window, u)) break;
    }
    this.schedule.push(at, kind, a.slot);
  }

  private requote(a: Animated, t: number): void {
    if (!inSession(this.window, t)) return;
    const i = a.inst;
    const tick = i.tick_size;
    const fv = this.model.fairValue(i.instrument_token, t);
    if (!Number.isFinite(fv)) {
      this.pullAll(a);
      return;
    }
    if (a.maker.next() < 0.03) a.spreadTicks = drawSpread(a.maker);
    const spread = a.spreadTicks * tick;
    // Inventory skew: long makers quote lower (sell more readily), short ones higher, up to two ticks
    // when the position reaches a side's whole ladder; it keeps the makers' positions bounded.
    this.settleMaker(a);
    const ladder = a.params.makerQuantity * MAKER_LEVELS;
    const skew = Math.max(-1, Math.min(1, a.inventory / ladder)) * 2 * tick;
    const bid0 = Math.floor((fv - skew - spread / 2) / tick) * tick;
    const ask0 = bid0 + spread;
    const bids: number[] = [];
    const asks: number[] = [];
    // A fair value beyond a circuit leaves the book one-sided at the limit, as on the exchange: the
    // maker keeps bidding at the upper circuit (offering at the lower) rather than vanishing.
    const bidTop = Math.min(bid0, i.upperCircuit);
    const askTop = Math.max(ask0, i.lowerCircuit);
    for (let k = 0; k < MAKER_LEVELS; k++) {
      const b = bidTop - k * tick;
      const s = askTop + k * tick;
      if (b >= i.lowerCircuit && b <= i.upperCircuit && b > 0) bids.push(b);
      if (s >= i.lowerCircuit && s <= i.upperCircuit) asks.push(s);
    }
    // Never trade with ourselves: if an old bid would meet the new asks, the bids move (down) first;
    // otherwise the asks go first, and the new bids stay below the new asks.
    let highestBid = 0;
    for (const id of a.bids) highestBid = Math.max(highestBid, this.live(id)?.price ?? 0);
    if (highestBid >= ask0) {
      this.reconcile(a, a.bids, bids, 'BUY');
      this.reconcile(a, a.asks, asks, 'SELL');
    } else {
      this.reconcile(a, a.asks, asks, 'SELL');
      this.reconcile(a, a.bids, bids, 'BUY');
    }
  }

  /** Makes one side's orders sit at `prices`: keeps what is there, re-prices the rest, places the gaps. */
  private reconcile(a: Animated, ids: string[], prices: readonly number[], side: 'BUY' | 'SELL'): void {
    const size = (level: number): number => a.params.makerQuantity * (1 + level);
    const covered = new Array<boolean>(prices.length).fill(false);
    const spare: number[] = [];
    for (let k = 0; k < ids.length; k++) {
      const o = this.live(ids[k]);
      if (o === undefined) {
        ids[k] = '';
        continue;
      }
      const at = prices.indexOf(o.price);
      if (at >= 0 && !covered[at]) covered[at] = true;
      else spare.push(k);
    }
    for (let p = 0; p < prices.length; p++) {
      if (covered[p] === true) continue;
      const price = prices[p] ?? 0;
      const k = spare.pop();
      const o = k === undefined ? undefined : this.live(ids[k]);
      if (k !== undefined && o !== undefined) {
        // Re-pricing joins the new level's queue at the back, as a fresh order would.
        const r = this.exchange.modifyOrder(o.order_id, { price, quantity: o.filled_quantity + size(p) });
        if (r.ok) continue;
        // Refused (a filled part plus a fresh size above the freeze quantity, say): never leave an
        // order in the book that the maker no longer tracks; cancel it and place a fresh one.
        this.exchange.cancelOrder(o.order_id);
        ids[k] = '';
      }
      // There is always a free slot (levels <= slots); checked so an order is never left untracked.
      const free = ids.indexOf('');
      if (free < 0) continue;
      const placed = this.place(
        a,
        AGENT_ACCOUNTS.maker,
        AGENT_TAGS.maker,
        side,
        'LIMIT',
        size(p),
        price,
        'DAY',
      );
      if (placed === undefined) continue;
      ids[free] = placed;
      a.tracked.set(placed, { buy: side === 'BUY', seen: 0 });
    }
    for (const k of spare) {
      const o = this.live(ids[k]);
      if (o !== undefined) this.exchange.cancelOrder(o.order_id);
      ids[k] = '';
    }
  }

  /** Counts the maker's new fills into its inventory; forgets orders that have finished. */
  private settleMaker(a: Animated): void {
    for (const [id, t] of a.tracked) {
      const o = this.exchange.order(id);
      if (o === undefined) {
        a.tracked.delete(id);
        continue;
      }
      const fresh = o.filled_quantity - t.seen;
      if (fresh !== 0) {
        a.inventory += t.buy ? fresh : -fresh;
        t.seen = o.filled_quantity;
      }
      if (o.status !== 'OPEN' && o.status !== 'TRIGGER PENDING') {
        a.tracked.delete(id);
        this.exchange.forget(id);
      }
    }
  }

  /** The order if it is still resting (OPEN), else undefined. */
  private live(id: string | undefined): ExchangeOrder | undefined {
    if (id === undefined || id === '') return undefined;
    const o = this.exchange.order(id);
    return o !== undefined && o.status === 'OPEN' ? o : undefined;
  }

  private pullAll(a: Animated): void {
    for (const ids of [a.bids, a.asks]) {
      for (let k = 0; k < ids.length; k++) {
        if (this.live(ids[k]) !== undefined) this.exchange.cancelOrder(ids[k] ?? '');
        ids[k] = '';
      }
    }
  }

  /** A taker: a market order, or a marketable IOC limit a tick or two through the touch. */
  private take(a: Animated, t: number): void {
    const i = a.inst;
    // Every draw first, the same number each time: the agent's intentions (and its next arrivals)
    // do not depend on the book, so a user's order changes what trades, not what the agents want.
    const r = a.taker;
    const sideDraw = r.next();
    const quantity = this.agentQuantity(a, r, a.params.takerQuantity);
    const typeDraw = r.next();
    const through = r.int(3) * i.tick_size;
    const book = this.exchange.book(i.exchange, i.tradingsymbol);
    if (book === undefined) return;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid === 0 || ask === 0) return;
    const fv = this.model.fairValue(i.instrument_token, t);
    // Informed flow: lean towards the side that brings the price back to fair value.
    const lean = Number.isFinite(fv)
      ? Math.max(-0.3, Math.min(0.3, ((fv - (bid + ask) / 2) / i.tick_size) * 0.1))
      : 0;
    const side = sideDraw < 0.5 + lean ? 'BUY' : 'SELL';
    const price =
      side === 'BUY' ? Math.min(i.upperCircuit, ask + through) : Math.max(i.lowerCircuit, bid - through);
    const id =
      typeDraw < 0.6
        ? this.place(a, AGENT_ACCOUNTS.taker, AGENT_TAGS.taker, side, 'MARKET', quantity, 0, 'DAY')
        : this.place(a, AGENT_ACCOUNTS.taker, AGENT_TAGS.taker, side, 'LIMIT', quantity, price, 'IOC');
    // A market order and an IOC end within their command (filled or cancelled).
    if (id !== undefined) this.exchange.forget(id);
  }

  /** A noise trader: a passive limit at or behind the touch (inside a wide spread sometimes), cancelled later. */
  private rest(a: Animated, t: number): void {
    const i = a.inst;
    const tick = i.tick_size;
    // Every draw first (see `take`).
    const r = a.noise;
    const side = r.next() < 0.5 ? 'BUY' : 'SELL';
    const improve = r.next() < 0.3;
    const behind = (r.geometric(0.45) - 1) * tick;
    const quantity = this.agentQuantity(a, r, a.params.takerQuantity);
    const life = Math.max(1_000, Math.round(r.exponential(1 / a.params.noiseLifeMs)));
    const book = this.exchange.book(i.exchange, i.tradingsymbol);
    if (book === undefined) return;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid === 0 || ask === 0) return;
    let price: number;
    if (ask - bid >= 2 * tick && improve) price = side === 'BUY' ? bid + tick : ask - tick;
    else price = side === 'BUY' ? bid - behind : ask + behind;
    if (price < i.lowerCircuit || price > i.upperCircuit || price <= 0) return;
    const id = this.place(a, AGENT_ACCOUNTS.noise, AGENT_TAGS.noise, side, 'LIMIT', quantity, price, 'DAY');
    if (id === undefined) return;
    if (this.live(id) === undefined) {
      this.exchange.forget(id);
      return;
    }
    if (t + life < a.sessionEnd) this.schedule.push(t + life, CANCEL, a.slot, id);
    else a.leftovers.push(id);
  }

  /** A lot-multiple quantity around `median` (log-normal), within the freeze quantity. */
  private agentQuantity(a: Animated, r: Random, median: number): number {
    const lot = Math.max(1, a.inst.lot_size);
    const raw = median * Math.exp(0.6 * r.gaussian());
    const lots = Math.max(1, Math.round(raw / lot));
    return Math.min(lots, Math.max(1, Math.floor(a.inst.freezeQuantity / lot))) * lot;
  }

  private place(
    a: Animated,
    account: string,
    tag: string,
    side: 'BUY' | 'SELL',
    type: 'LIMIT' | 'MARKET',
    quantity: number,
    price: number,
    validity: 'DAY' | 'IOC',
  ): string | undefined {
    const i = a.inst;
    const p: PlaceOrder = {
      account,
      variety: 'regular',
      exchange: i.exchange,
      tradingsymbol: i.tradingsymbol,
      transaction_type: side,
      order_type: type,
      quantity,
      product: isDerivative(i) ? 'NRML' : 'CNC',
      validity,
      tag,
      ...(type === 'LIMIT' ? { price } : { market_protection: -1 }),
    };
    const r = this.exchange.placeOrder(p);
    return r.ok ? r.order_id : undefined;
  }
}

function isDerivative(i: Instrument): boolean {
  return i.instrument_type === 'FUT' || i.instrument_type === 'CE' || i.instrument_type === 'PE';
}

/** What `historyCandles` needs. */
export interface HistoryQuery {
  readonly model: FairValueModel;
  readonly seed: number;
  /** The arrival-rate scale the volumes follow (`MarketSimulatorOptions.activity`). */
  readonly activity: number;
  readonly instrument: Instrument;
  readonly interval: CandleInterval;
  readonly fromMs: number;
  /** Inclusive, already capped at "now". */
  readonly toMs: number;
  /** Tradable instruments' minutes from here on come from `liveBars` only (the recorded tape). */
  readonly liveFromMs: number;
  readonly liveBars: ReadonlyMap<number, LiveBar> | undefined;
  /** When the agents' sizes were set (an option's distance from the money then sets its volume). */
  readonly startMs: number;
}

/**
 * Candles of one instrument from the fair-value process (before `liveFromMs`) and the recorded tape
 * (after): what `MarketSimulator.historicalCandles` answers, and what a venue with no simulator
 * running serves as history. Allocates.
 */
export function historyCandles(q: HistoryQuery): Candle[] {
  const { model, seed, instrument: inst } = q;
  const token = inst.instrument_token;
  const startMoneyness = optionMoneyness(model, inst, q.startMs);
  return buildCandles({
    model,
    instrument: inst,
    seed,
    interval: q.interval,
    fromMs: q.fromMs,
    toMs: q.toMs,
    liveFromMs: q.liveFromMs,
    liveBars: q.liveBars,
    expectedVolumePerSecond: expectedVolumePerSecond(inst, paramsFor(inst, inst.last_price, startMoneyness)),
    dayActivity: (day) => q.activity * dayActivity(seed, token, day),
    openingOi: (day) =>
      openingOi(seed, inst, optionMoneyness(model, inst, sessionOpenMs(model.window, day)), day),
  });
}

/** Spread in ticks: 1 (55%), 2 (30%) or 3 (15%). */
function drawSpread(r: Random): number {
  const u = r.next();
  return u < 0.55 ? 1 : u < 0.85 ? 2 : 3;
}

/** An option's distance from the money, |ln(K/F)| (0 for anything else). */
function optionMoneyness(model: FairValueModel, i: Instrument, t: number): number {
  if (i.instrument_type !== 'CE' && i.instrument_type !== 'PE') return 0;
  const forward = model.forward(i.instrument_token, t);
  return Number.isFinite(forward) ? Math.abs(Math.log(i.strike / forward)) : 1;
}

/** The agents' settings for an instrument whose fair value is `price` (wire unit). */
function paramsFor(i: Instrument, price: number, moneyness: number): AgentParams {
  const rupees = price / i.priceDivisor;
  if (i.instrument_type === 'EQ') {
    const notional = 150_000;
    return {
      requoteMs: 1_000,
      takerRate: 0.35,
      noiseRate: 0.3,
      noiseLifeMs: 45_000,
      makerQuantity: Math.max(1, Math.round(notional / rupees)),
      takerQuantity: Math.max(1, Math.round(40_000 / rupees)),
    };
  }
  const lot = Math.max(1, i.lot_size);
  if (i.instrument_type === 'FUT') {
    return {
      requoteMs: 500,
      takerRate: 0.6,
      noiseRate: 0.4,
      noiseLifeMs: 30_000,
      makerQuantity: 4 * lot,
      takerQuantity: 2 * lot,
    };
  }
  // Options: busiest near the money.
  const near = Math.exp(-moneyness / 0.02);
  return {
    // Near the money the premium moves several ticks a second: requote as often as an equity's maker.
    requoteMs: near > 0.5 ? 1_000 : 2_000,
    takerRate: 0.01 + 0.12 * near,
    noiseRate: 0.01 + 0.08 * near,
    noiseLifeMs: 60_000,
    makerQuantity: (2 + Math.round(8 * near)) * lot,
    takerQuantity: (1 + Math.round(2 * near)) * lot,
  };
}

/** Volume a second the agents trade at an average moment, for the history's volumes. */
function expectedVolumePerSecond(i: Instrument, p: AgentParams): number {
  // A log-normal with sigma 0.6 has mean median * e^0.18. Takers are not all the volume: noise
  // orders crossed by re-quoting makers add to it, more where the fair value moves fast in ticks
  // (factors measured on simulated days, README "Realism").
  const extra = i.instrument_type === 'EQ' ? 1.4 : i.instrument_type === 'FUT' ? 1.5 : 1.3;
  return extra * p.takerRate * p.takerQuantity * Math.exp(0.18);
}

/**
 * How busy `day` is for an instrument, mean about 1: a market-wide factor (some days everything
 * trades more) times the instrument's own, log-normal. Scales the agents' arrivals and the history's
 * volumes alike.
 */
export function dayActivity(seed: number, instrumentToken: number, day: number): number {
  const market = new Random(mixSeed(seed, day, 31)).gaussian();
  const own = new Random(mixSeed(seed, instrumentToken, day, 32)).gaussian();
  return Math.exp(0.2 * market + 0.15 * own - 0.03);
}

/**
 * Open interest carried into `day`: not built from past days' trades, but drawn around a base that
 * falls away from the money for options (`moneyness` = |ln(K/F)|).
 */
function openingOi(seed: number, i: Instrument, moneyness: number, day: number): number {
  if (!isDerivative(i)) return 0;
  const lot = Math.max(1, i.lot_size);
  const r = new Random(mixSeed(seed, i.instrument_token, day, 21));
  const lots = i.instrument_type === 'FUT' ? 120_000 : 5_000 + 60_000 * Math.exp(-moneyness / 0.03);
  return Math.round(lots * (0.85 + 0.3 * r.next())) * lot;
}
