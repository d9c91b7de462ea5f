// The local exchange as a Kite venue: the Kite protocol layer (electron/sim/kite) calls this, and it
// drives the Exchange (electron/sim/exchange) for one trading account, the logged-in Kite user.
// Commands go in as integer wire prices; events come back and are kept as Kite rows (one per state
// transition, with the transient statuses Kite shows), pushed as order updates once the command has
// finished, and summarised into positions, margins, quotes and ticks. Single-threaded; time comes
// from the injected clock.
import type { Disposable } from '../../../shared/disposable';
import { toDisposable } from '../../../shared/disposable';
import { toPrice } from '../../../shared/domain/money';
import type { DepthLevel, TickSnapshot } from '../../../shared/kite/tickPacket';
import { formatIstDate, IST_OFFSET_MS } from '../../../shared/time/ist';
import { BUY, Exchange, isMarketOpen, MESSAGES, SELL, SessionClock, loadInstruments } from '../exchange';
import type { BookSide, ExchangeEvent, ExchangeOrder, Instrument, PlaceOrder, Product } from '../exchange';
import { fail, formatCandleTime, ok, SIM_USER } from '../kite';
import { ALWAYS_OPEN, FairValueModel, MARKET_HOURS, historyCandles } from '../market';
import type { Candle, CandleInterval } from '../market';
import { openExchangeState } from '../state';
import type { JournaledExchange, JsonValue } from '../state';
import type {
  ContractNoteOrderParams,
  ConvertPositionParams,
  GttParams,
  HistoricalQuery,
  KiteCandle,
  KiteErrorType,
  KiteGtt,
  KiteHolding,
  KiteInstrumentRow,
  KiteMargins,
  KiteOrder,
  KitePlaceOrderResult,
  KitePositions,
  KiteQuote,
  KiteResult,
  KiteSegmentMargins,
  KiteTrade,
  KiteVariety,
  KiteVenue,
  MarginOrderParams,
  ModifyOrderParams,
  PlaceOrderParams,
} from '../kite';
import { chargeSegment, orderCharges, sumCharges } from '../../../shared/domain/charges';
import type { OrderCharges } from '../../../shared/domain/charges';
import {
  instrumentRow,
  kiteCharges,
  kiteTime,
  orderRow,
  toRupees,
  tradeRow,
  wireValueToPaise,
} from './convert';
import { marginFor, marginSegment } from './margins';
import type { MarginParts } from './margins';
import { positionPnl, positionRow } from './positions';
import type { PositionFills } from './positions';

/** What the venue needs from its host. */
export interface ExchangeVenueOptions {
  /** Epoch ms; the venue and its exchange never read the machine clock. */
  readonly now: () => number;
  /** Default: `loadInstruments` for the IST date of `now()` at construction. */
  readonly instruments?: readonly Instrument[];
  /** Seeds the stand-in history and the demo holdings. */
  readonly seed?: number;
  /** Follow 09:15-15:30 IST on weekdays (default true), or stay open (`--always-open`). */
  readonly marketHours?: boolean;
  /** The Kite user whose orders this venue serves (default SIM001). */
  readonly account?: string;
  /**
   * Runs coalesced snapshot notifications later (default `queueMicrotask`): every book change of one
   * command, however many events it made, becomes one snapshot per instrument.
   */
  readonly schedule?: (task: () => void) => void;
  /**
   * Sees every Exchange event after the venue has handled it (the synthetic market's `observe`).
   * Must not call back into the exchange.
   */
  readonly onExchangeEvent?: (event: ExchangeEvent) => void;
  /**
   * `--state FILE`: keep the exchange in a SQLite command journal (../state) and replay it on start,
   * so a restart finds the same orders, trades and positions. A file holding an earlier day has it
   * archived and starts the new day empty.
   */
  readonly stateFile?: string;
  /**
   * Called before each of the user's order commands (place, modify, cancel): the host brings the
   * synthetic market and the clock up to the simulated now, so an order meets the current book and
   * carries the current time rather than the last step's.
   */
  readonly catchUp?: () => void;
}

/**
 * What the synthetic market (electron/sim/market's `MarketSimulator`) tells the venue once it runs:
 * history that joins its live tape, and open interest with the positions carried in.
 */
export interface VenueMarket {
  /** Candles whose start lies in `[fromMs, toMs]`, integer wire-unit prices; up to "now" only. */
  historicalCandles(
    instrumentToken: number,
    interval: CandleInterval,
    fromMs: number,
    toMs: number,
  ): Candle[];
  /** A future's or option's open interest now (0 for anything else). */
  openInterest(instrumentToken: number): number;
}

/** The Exchange's commands and reads the venue uses: an `Exchange`, or a journaled one (`--state`). */
export type VenueExchange = Pick<
  Exchange,
  | 'placeOrder'
  | 'modifyOrder'
  | 'cancelOrder'
  | 'openSession'
  | 'closeSession'
  | 'squareOffIntraday'
  | 'expireOrders'
  | 'sessionOpen'
  | 'order'
  | 'orders'
  | 'positions'
  | 'allPositions'
  | 'lastPrice'
  | 'marketStats'
  | 'book'
  | 'convertPosition'
  | 'forget'
  | 'orderCount'
>;

/** Opening balances of the simulated account, paise: generous, so margins rarely get in the way. */
export const OPENING_BALANCE_PAISE = { equity: 1_00_00_000_00, commodity: 25_00_000_00 } as const;

interface GttState {
  readonly id: number;
  params: GttParams;
  instrument: Instrument;
  /** Trigger values in wire units; the last price (wire) when the GTT was placed or modified. */
  triggers: number[];
  reference: number;
  readonly createdAt: number;
  updatedAt: number;
  status: 'active' | 'triggered' | 'rejected';
  results: (Readonly<Record<string, unknown>> | null)[];
}

/** The GTTs as `--state` keeps them (a journal marker). */
interface SavedGtt {
  readonly id: number;
  readonly params: GttParams;
  readonly token: number;
  readonly triggers: readonly number[];
  readonly reference: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly status: GttState['status'];
  readonly results: readonly (Readonly<Record<string, unknown>> | null)[];
}

const GTT_MARKER = 'gtts';

/** The demo CNC holdings (symbol, quantity, ISIN); average prices come from the seed. */
const DEMO_HOLDINGS: readonly (readonly [string, number, string])[] = [
  ['RELIANCE', 20, 'INE002A01018'],
  ['INFY', 15, 'INE009A01021'],
  ['TCS', 8, 'INE467B01029'],
  ['HDFCBANK', 25, 'INE040A01034'],
  ['ITC', 100, 'INE154A01025'],
];

const TRANSIENT_PLACE = ['PUT ORDER REQ RECEIVED', 'VALIDATION PENDING', 'OPEN PENDING'] as const;
const TRANSIENT_MODIFY = ['MODIFY VALIDATION PENDING', 'MODIFY PENDING', 'MODIFIED'] as const;
const DEPTH = 5;

function mapError(e: { readonly error_type: string; readonly message: string }): KiteResult<never> {
  return fail(e.error_type as KiteErrorType, e.message);
}

/** The local exchange behind the Kite protocol layer. See the file comment and README.md. */
export class ExchangeVenue implements KiteVenue {
  /** The exchange core (for the synthetic market and tests: orders of other accounts go here). */
  readonly exchange: VenueExchange;
  /** The trading date the instruments were built for, `YYYY-MM-DD` IST. */
  readonly tradingDate: string;
  private readonly now: () => number;
  private readonly account: string;
  private readonly seed: number;
  private readonly schedule: (task: () => void) => void;
  private readonly session: SessionClock;
  private readonly byToken = new Map<number, Instrument>();
  private readonly byKey = new Map<string, Instrument>();
  private readonly list: readonly Instrument[];
  private readonly histories = new Map<string, KiteOrder[]>();
  private readonly modified = new Set<string>();
  private readonly tradesByOrder = new Map<string, KiteTrade[]>();
  private readonly tradeList: KiteTrade[] = [];
  private readonly updates: KiteOrder[] = [];
  private readonly orderListeners = new Set<(order: KiteOrder) => void>();
  private readonly watchers = new Map<number, Set<(snapshot: TickSnapshot) => void>>();
  private readonly dirty = new Set<number>();
  private snapshotsScheduled = false;
  /** Commands of the venue in progress; events outside one (the market's orders) settle later. */
  private depth = 0;
  private settleScheduled = false;
  private readonly observer: ((event: ExchangeEvent) => void) | undefined;
  private readonly catchUp: () => void;
  private journal: JournaledExchange | undefined;
  private readonly marketHours: boolean;
  /** When the venue started: history of tradables from here on is the exchange's own trading. */
  private readonly started: number;
  /** The running synthetic market, once attached (`attachMarket`). */
  private market: VenueMarket | undefined;
  /** History from the fair-value process alone, for a venue with no market attached. */
  private model: FairValueModel | undefined;
  /** Indices' last value, day open, high and low (wire units), sampled by `refreshIndices`. */
  private readonly indexDay = new Map<number, { last: number; open: number; high: number; low: number }>();
  private readonly indexTokens: readonly number[];
  private readonly tradedTokens = new Set<number>();
  private readonly gttStore = new Map<number, GttState>();
  private nextGtt = 1;
  /** Open interest per derivative, kept from the trades: every account's net and the sum of the longs. */
  private readonly openInterest = new Map<
    number,
    { oi: number; high: number; low: number; readonly nets: Map<string, number> }
  >();
  /** The user command in progress, so its events get Kite's modify/cancel rows. */
  private action: { readonly kind: 'modify' | 'cancel'; readonly orderId: string } | null = null;
  private readonly depthBuffer = {
    prices: new Float64Array(DEPTH),
    quantities: new Float64Array(DEPTH),
    orders: new Int32Array(DEPTH),
  };

  constructor(options: ExchangeVenueOptions) {
    this.now = options.now;
    this.account = options.account ?? SIM_USER.user_id;
    this.seed = options.seed ?? 1;
    this.schedule = options.schedule ?? queueMicrotask;
    this.observer = options.onExchangeEvent;
    this.catchUp = options.catchUp ?? (() => undefined);
    this.started = this.now();
    this.tradingDate = formatIstDate(this.started);
    this.list = options.instruments ?? loadInstruments(this.tradingDate);
    for (const i of this.list) {
      this.byToken.set(i.instrument_token, i);
      this.byKey.set(`${i.exchange}:${i.tradingsymbol}`, i);
    }
    const marketHours = options.marketHours ?? true;
    this.marketHours = marketHours;
    this.indexTokens = this.list.filter((i) => !i.tradable).map((i) => i.instrument_token);
    const sessionOpen = marketHours ? isMarketOpen(this.now()) : true;
    if (options.stateFile === undefined) {
      this.exchange = new Exchange({
        instruments: this.list,
        now: this.now,
        // Kite never reuses an order id within a day. Without a state file each start is a new book,
        // so its numbers start from the start time (x 100,000 leaves room for that many orders per
        // millisecond of start) rather than from 1, and a restarted exchange cannot hand out an id a
        // client already holds for an order of the book that is gone.
        firstOrderNumber: (this.started % 86_400_000) * 100_000 + 1,
        onEvent: (e) => {
          this.onEvent(e, false);
        },
        sessionOpen,
      });
    } else {
      this.journal = openExchangeState(options.stateFile, {
        tradingDate: this.tradingDate,
        instruments: this.list,
        now: this.now,
        onEvent: (e, replaying) => {
          this.onEvent(e, replaying);
        },
        sessionOpen,
        newDay: 'archive',
      });
      this.exchange = this.journal;
      // The replay rebuilt the rows; nobody was listening for them as updates.
      this.updates.length = 0;
      this.tradedTokens.clear();
      this.restoreGtts(this.journal.marker(GTT_MARKER));
    }
    this.session = new SessionClock(this.exchange, marketHours);
  }

  /** Closes the state file, if any (its WAL is checkpointed). */
  close(): void {
    this.journal?.close();
  }

  /**
   * Runs `fn` (a step of the synthetic market) as one journal transaction when the exchange keeps
   * `--state`: one fsync for all its orders instead of one each.
   */
  batch<T>(fn: () => T): T {
    return this.journal === undefined ? fn() : this.journal.batch(fn);
  }

  /** With `--state`: the clock value of the day's last journaled command, where a restart resumes. */
  get stateLastTime(): number | undefined {
    return this.journal?.lastTime;
  }

  /**
   * Cancels every pending order of the accounts `which` selects, then forgets their finished ones:
   * after a `--state` replay, the synthetic market's agents start afresh and must not meet the quotes
   * their previous run left in the books. Returns how many were cancelled.
   */
  withdrawAccounts(which: (account: string) => boolean): number {
    let cancelled = 0;
    this.command(() => {
      this.batch(() => {
        for (const o of this.exchange.orders()) {
          if (!which(o.account)) continue;
          if (isPending(o.status) && this.exchange.cancelOrder(o.order_id).ok) cancelled++;
          this.exchange.forget(o.order_id);
        }
      });
    });
    return cancelled;
  }

  /**
   * Serves history, open interest and index values from the running synthetic market from now on
   * (the host attaches it once it is built around this venue's exchange).
   */
  attachMarket(market: VenueMarket): void {
    this.market = market;
    this.refreshIndices();
  }

  /**
   * Indices never trade: their value is their constituents' fair value. Samples it now and sends
   * a snapshot to whoever watches an index (the ticker). The host calls it about once a second.
   */
  refreshIndices(): void {
    const now = this.now();
    const midnight = Math.floor((now + IST_OFFSET_MS) / 86_400_000) * 86_400_000 - IST_OFFSET_MS;
    for (const token of this.indexTokens) {
      const day = this.candles(token, 'day', midnight, now).at(-1);
      if (day === undefined || day.time !== midnight) continue;
      const last = this.indexDay.get(token);
      if (last !== undefined && last.last === day.close && last.high === day.high && last.low === day.low)
        continue;
      this.indexDay.set(token, { last: day.close, open: day.open, high: day.high, low: day.low });
      this.dirty.add(token);
    }
    this.settle();
  }

  /**
   * Brings the session (open, square-off, close, TTL expiry) up to `epochMs` (default: the clock).
   * Call it every second, or from the synthetic market before each of its actions.
   */
  tick(epochMs: number = this.now()): void {
    this.command(() => {
      this.session.tick(epochMs);
    });
  }

  /** An instrument by token, or undefined. */
  instrument(instrumentToken: number): Instrument | undefined {
    return this.byToken.get(instrumentToken);
  }

  /** An instrument by `EXCHANGE:TRADINGSYMBOL`, or undefined. */
  instrumentByKey(key: string): Instrument | undefined {
    return this.byKey.get(key);
  }

  // ---- orders ----------------------------------------------------------------------------------

  placeOrder(variety: KiteVariety, p: PlaceOrderParams): KiteResult<KitePlaceOrderResult> {
    this.catchUp();
    return this.placeFor(this.account, variety, p);
  }

  /**
   * Places an order for any account (the market's participants, a second trader in tests); its
   * events move the books and the ticks, but only the venue's own account gets rows and updates.
   */
  placeFor(account: string, variety: KiteVariety, p: PlaceOrderParams): KiteResult<KitePlaceOrderResult> {
    return this.command(() => {
      const i = this.byKey.get(`${p.exchange}:${p.tradingsymbol}`);
      if (i === undefined) return fail('InputException', MESSAGES.instrument(p.exchange, p.tradingsymbol));
      const price = this.wire(p.price, i);
      const trigger = this.wire(p.trigger_price, i);
      if (price === null || trigger === null) return this.tickError(i);
      const order: PlaceOrder = {
        account,
        variety,
        exchange: p.exchange,
        tradingsymbol: p.tradingsymbol,
        transaction_type: p.transaction_type,
        order_type: p.order_type,
        quantity: p.quantity,
        product: p.product,
        validity: p.validity,
        ...(price === undefined ? {} : { price }),
        ...(trigger === undefined ? {} : { trigger_price: trigger }),
        ...(p.disclosed_quantity === undefined ? {} : { disclosed_quantity: p.disclosed_quantity }),
        ...(p.validity_ttl === undefined ? {} : { validity_ttl: p.validity_ttl }),
        ...(p.iceberg_legs === undefined ? {} : { iceberg_legs: p.iceberg_legs }),
        ...(p.iceberg_quantity === undefined ? {} : { iceberg_quantity: p.iceberg_quantity }),
        ...(p.tag === undefined ? {} : { tag: p.tag }),
        ...(p.market_protection === undefined ? {} : { market_protection: p.market_protection }),
        ...(p.autoslice === undefined ? {} : { autoslice: p.autoslice }),
      };
      const r = this.exchange.placeOrder(order);
      if (!r.ok) return mapError(r.error);
      if (r.children === undefined) return ok({ order_id: r.order_id });
      return ok({
        order_id: r.order_id,
        children: r.children.map((c) =>
          'order_id' in c
            ? { order_id: c.order_id }
            : {
                error: {
                  code: c.error.status,
                  error_type: c.error.error_type,
                  message: c.error.message,
                  data: null,
                },
              },
        ),
      });
    });
  }

  modifyOrder(variety: KiteVariety, orderId: string, p: ModifyOrderParams): KiteResult<{ order_id: string }> {
    this.catchUp();
    return this.command(() => {
      const o = this.ownOrder(orderId);
      if (o === undefined) return fail('OrderException', MESSAGES.notFound);
      if (o.variety !== variety) return fail('InputException', MESSAGES.invalid('variety'));
      const i = this.byToken.get(o.instrument_token);
      if (i === undefined) return fail('OrderException', MESSAGES.notFound);
      const price = this.wire(p.price, i);
      const trigger = this.wire(p.trigger_price, i);
      if (price === null || trigger === null) return this.tickError(i);
      this.action = { kind: 'modify', orderId };
      try {
        const r = this.exchange.modifyOrder(orderId, {
          ...(p.quantity === undefined ? {} : { quantity: p.quantity }),
          ...(price === undefined ? {} : { price }),
          ...(p.order_type === undefined ? {} : { order_type: p.order_type }),
          ...(trigger === undefined ? {} : { trigger_price: trigger }),
          ...(p.validity === undefined ? {} : { validity: p.validity }),
          ...(p.disclosed_quantity === undefined ? {} : { disclosed_quantity: p.disclosed_quantity }),
          ...(p.market_protection === undefined ? {} : { market_protection: p.market_protection }),
        });
        return r.ok ? ok({ order_id: r.order_id }) : mapError(r.error);
      } finally {
        this.action = null;
      }
    });
  }

  cancelOrder(
    variety: KiteVariety,
    orderId: string,
    _parentOrderId: string | undefined,
  ): KiteResult<{ order_id: string }> {
    this.catchUp();
    return this.command(() => {
      const o = this.ownOrder(orderId);
      if (o === undefined) return fail('OrderException', MESSAGES.notFound);
      if (o.variety !== variety) return fail('InputException', MESSAGES.invalid('variety'));
      this.action = { kind: 'cancel', orderId };
      try {
        const r = this.exchange.cancelOrder(orderId);
        return r.ok ? ok({ order_id: r.order_id }) : mapError(r.error);
      } finally {
        this.action = null;
      }
    });
  }

  orders(): KiteResult<readonly KiteOrder[]> {
    const out: KiteOrder[] = [];
    for (const rows of this.histories.values()) {
      const last = rows.at(-1);
      if (last !== undefined) out.push(last);
    }
    return ok(out);
  }

  orderHistory(orderId: string): KiteResult<readonly KiteOrder[]> {
    const rows = this.histories.get(orderId);
    return rows === undefined ? fail('OrderException', MESSAGES.notFound) : ok([...rows]);
  }

  trades(): KiteResult<readonly KiteTrade[]> {
    return ok([...this.tradeList]);
  }

  orderTrades(orderId: string): KiteResult<readonly KiteTrade[]> {
    if (!this.histories.has(orderId)) return fail('OrderException', MESSAGES.notFound);
    return ok([...(this.tradesByOrder.get(orderId) ?? [])]);
  }

  // ---- portfolio -------------------------------------------------------------------------------

  positions(): KiteResult<KitePositions> {
    const rows = this.positionFills().map(positionRow);
    return ok({ net: rows, day: rows });
  }

  convertPosition(p: ConvertPositionParams): KiteResult<boolean> {
    const i = this.byKey.get(`${p.exchange}:${p.tradingsymbol}`);
    if (i === undefined) return fail('InputException', MESSAGES.instrument(p.exchange, p.tradingsymbol));
    const equity = i.exchange === 'NSE' || i.exchange === 'BSE';
    if (
      p.old_product === p.new_product ||
      p.new_product === 'MTF' ||
      (p.new_product === 'CNC' && !equity) ||
      (p.new_product === 'NRML' && equity)
    ) {
      return fail('InputException', MESSAGES.product(p.new_product, i.exchange));
    }
    const r = this.exchange.convertPosition({
      account: this.account,
      instrument_token: i.instrument_token,
      transaction_type: p.transaction_type,
      quantity: p.quantity,
      old_product: p.old_product as Product,
      new_product: p.new_product,
    });
    if (!r.ok) return mapError(r.error);
    return ok(true);
  }

  holdings(): KiteResult<readonly KiteHolding[]> {
    const out: KiteHolding[] = [];
    for (const [symbol, quantity, isin] of DEMO_HOLDINGS) {
      const i = this.byKey.get(`NSE:${symbol}`);
      if (i === undefined) continue;
      // A bought-at price 80-119% of the previous close, on the tick, fixed by the seed.
      const factor = 80 + (Math.abs(Math.imul(this.seed ^ i.instrument_token, 2654435761)) % 40);
      const average = Math.round((i.last_price * factor) / 100 / i.tick_size) * i.tick_size;
      const last = this.lastPrice(i);
      const d = i.priceDivisor;
      out.push({
        tradingsymbol: symbol,
        exchange: 'NSE',
        instrument_token: i.instrument_token,
        isin,
        product: 'CNC',
        price: 0,
        quantity,
        used_quantity: 0,
        t1_quantity: 0,
        realised_quantity: quantity,
        authorised_quantity: 0,
        authorised_date: `${this.tradingDate} 00:00:00`,
        authorisation: {},
        opening_quantity: quantity,
        short_quantity: 0,
        collateral_quantity: 0,
        collateral_type: '',
        discrepancy: false,
        average_price: toRupees(average, d),
        last_price: toRupees(last, d),
        close_price: toRupees(i.last_price, d),
        pnl: toRupees((last - average) * quantity, d),
        day_change: toRupees(last - i.last_price, d),
        day_change_percentage: Math.round(((last - i.last_price) * 1_000_000) / i.last_price) / 10_000,
        mtf: { quantity: 0, used_quantity: 0, average_price: 0, value: 0, initial_margin: 0 },
      });
    }
    return ok(out);
  }

  auctionInstruments(): KiteResult<readonly KiteHolding[]> {
    // No auction sessions are simulated: nothing is eligible.
    return ok([]);
  }

  margins(): KiteResult<KiteMargins> {
    const used = {
      equity: { span: 0, exposure: 0, optionPremium: 0, delivery: 0, realised: 0, unrealised: 0 },
      commodity: { span: 0, exposure: 0, optionPremium: 0, delivery: 0, realised: 0, unrealised: 0 },
    };
    const add = (exchange: string, m: MarginParts): void => {
      const u = used[marginSegment(exchange)];
      u.span += m.span;
      u.exposure += m.exposure;
      u.optionPremium += m.optionPremium;
      u.delivery += m.delivery;
    };
    for (const f of this.positionFills()) {
      const i = this.byToken.get(f.instrumentToken);
      if (i === undefined) continue;
      const pnl = positionPnl(f);
      const u = used[marginSegment(i.exchange)];
      u.realised += pnl.realised;
      u.unrealised += pnl.unrealised;
      if (pnl.quantity === 0) continue;
      const quantity = Math.abs(pnl.quantity);
      add(
        i.exchange,
        this.margin(i, f.product, pnl.quantity > 0 ? 'BUY' : 'SELL', quantity, this.lastPrice(i)),
      );
    }
    // The account's own orders only: the exchange also holds the synthetic market's (thousands).
    for (const id of this.histories.keys()) {
      const o = this.exchange.order(id);
      if (o === undefined || !isPending(o.status)) continue;
      const i = this.byToken.get(o.instrument_token);
      if (i === undefined) continue;
      const price = o.price > 0 ? o.price : this.lastPrice(i);
      add(i.exchange, this.margin(i, o.product, o.transaction_type, o.pending_quantity, price));
    }
    const segment = (name: 'equity' | 'commodity'): KiteSegmentMargins => {
      const u = used[name];
      const opening = OPENING_BALANCE_PAISE[name];
      const debits = u.span + u.exposure + u.optionPremium + u.delivery;
      const live = opening + u.realised + u.unrealised - debits;
      const r = (paise: number): number => paise / 100;
      return {
        enabled: true,
        net: r(live),
        available: {
          adhoc_margin: 0,
          cash: r(opening),
          opening_balance: r(opening),
          live_balance: r(live),
          collateral: 0,
          intraday_payin: 0,
        },
        utilised: {
          debits: r(debits),
          exposure: r(u.exposure),
          m2m_realised: r(u.realised),
          m2m_unrealised: r(u.unrealised),
          option_premium: r(u.optionPremium),
          payout: 0,
          span: r(u.span),
          holding_sales: 0,
          turnover: 0,
          liquid_collateral: 0,
          stock_collateral: 0,
          delivery: r(u.delivery),
        },
      };
    };
    return ok({ equity: segment('equity'), commodity: segment('commodity') });
  }

  orderMargins(orders: readonly MarginOrderParams[], _mode: string): KiteResult<readonly unknown[]> {
    const rows: unknown[] = [];
    for (const o of orders) {
      const row = this.marginRow(o);
      if (!row.ok) return row;
      rows.push(row.data.row);
    }
    return ok(rows);
  }

  basketMargins(
    orders: readonly MarginOrderParams[],
    _considerPositions: boolean,
    _mode: string,
  ): KiteResult<unknown> {
    const rows: Record<string, unknown>[] = [];
    const charges: OrderCharges[] = [];
    const sum = { span: 0, exposure: 0, option_premium: 0, var: 0, total: 0 };
    for (const o of orders) {
      const r = this.marginRow(o);
      if (!r.ok) return r;
      rows.push(r.data.row);
      charges.push(r.data.charges);
      sum.span += r.data.parts.span;
      sum.exposure += r.data.parts.exposure;
      sum.option_premium += r.data.parts.optionPremium;
      sum.var += r.data.parts.var;
      sum.total += r.data.parts.total;
    }
    const total = sumCharges(charges);
    // No hedge offsets or position netting: `final` equals `initial`.
    const combined = {
      type: '',
      tradingsymbol: '',
      exchange: '',
      span: sum.span / 100,
      exposure: sum.exposure / 100,
      option_premium: sum.option_premium / 100,
      additional: 0,
      bo: 0,
      cash: 0,
      var: sum.var / 100,
      pnl: { realised: 0, unrealised: 0 },
      leverage: 0,
      charges: kiteCharges(total),
      total: sum.total / 100,
    };
    return ok({ initial: combined, final: combined, orders: rows, charges: kiteCharges(total) });
  }

  contractNote(orders: readonly ContractNoteOrderParams[]): KiteResult<readonly unknown[]> {
    const rows: unknown[] = [];
    for (const o of orders) {
      const i = this.byKey.get(`${o.exchange}:${o.tradingsymbol}`);
      if (i === undefined) return fail('InputException', MESSAGES.instrument(o.exchange, o.tradingsymbol));
      const price = this.wire(String(o.average_price), i);
      if (price === null || price === undefined) return this.tickError(i);
      const turnover = wireValueToPaise(price * o.quantity, i.priceDivisor);
      const c = orderCharges(
        chargeSegment(i.exchange, i.instrument_type, o.product),
        i.exchange,
        o.transaction_type,
        turnover,
        this.now(),
      );
      rows.push({
        transaction_type: o.transaction_type,
        tradingsymbol: o.tradingsymbol,
        exchange: o.exchange,
        variety: o.variety,
        product: o.product,
        order_type: o.order_type,
        quantity: o.quantity,
        price: o.average_price,
        charges: kiteCharges(c),
      });
    }
    return ok(rows);
  }

  // ---- market data -----------------------------------------------------------------------------

  quotes(keys: readonly string[]): KiteResult<Readonly<Record<string, KiteQuote>>> {
    const out: Record<string, KiteQuote> = {};
    for (const key of keys) {
      const i = /^\d+$/.test(key) ? this.byToken.get(Number(key)) : this.byKey.get(key);
      if (i !== undefined) out[key] = this.quote(i);
    }
    return ok(out);
  }

  instruments(exchange: string | undefined): KiteResult<readonly KiteInstrumentRow[]> {
    const rows: KiteInstrumentRow[] = [];
    for (const i of this.list)
      if (exchange === undefined || i.exchange === exchange) rows.push(instrumentRow(i));
    return ok(rows);
  }

  historical(q: HistoricalQuery): KiteResult<{ candles: readonly KiteCandle[] }> {
    const i = this.byToken.get(q.instrumentToken);
    if (i === undefined) return fail('InputException', 'invalid token');
    const d = i.priceDivisor;
    // `continuous` needs no splicing here: a contract's history already runs back as far as asked.
    const candles = this.candles(i.instrument_token, q.interval, q.from, Math.min(q.to, this.now())).map(
      (c): KiteCandle => {
        const row = [
          formatCandleTime(c.time),
          toRupees(c.open, d),
          toRupees(c.high, d),
          toRupees(c.low, d),
          toRupees(c.close, d),
          c.volume,
        ] as const;
        return q.oi ? [...row, c.oi] : row;
      },
    );
    return ok({ candles });
  }

  /** Candles from the running market, or (none attached) from the fair-value process alone. */
  private candles(token: number, interval: CandleInterval, fromMs: number, toMs: number): Candle[] {
    if (this.market !== undefined) return this.market.historicalCandles(token, interval, fromMs, toMs);
    const i = this.byToken.get(token);
    if (i === undefined) return [];
    this.model ??= new FairValueModel({
      seed: this.seed >>> 0,
      window: this.marketHours ? MARKET_HOURS : ALWAYS_OPEN,
      instruments: this.list,
      tradingDate: this.tradingDate,
    });
    if (!this.model.has(token)) return [];
    // With no market trading, a tradable instrument's day is the exchange's own: no candles from its
    // start. Indices follow their fair value all the same.
    return historyCandles({
      model: this.model,
      seed: this.seed >>> 0,
      activity: 1,
      instrument: i,
      interval,
      fromMs,
      toMs,
      liveFromMs: this.started,
      liveBars: undefined,
      startMs: this.started,
    });
  }

  snapshot(instrumentToken: number): TickSnapshot | undefined {
    const i = this.byToken.get(instrumentToken);
    return i === undefined ? undefined : this.snapshotOf(i);
  }

  watchInstrument(
    instrumentToken: number,
    listener: (snapshot: TickSnapshot) => void,
  ): Disposable | undefined {
    if (!this.byToken.has(instrumentToken)) return undefined;
    let set = this.watchers.get(instrumentToken);
    if (set === undefined) {
      set = new Set();
      this.watchers.set(instrumentToken, set);
    }
    const listeners = set;
    listeners.add(listener);
    return toDisposable(() => {
      listeners.delete(listener);
      if (listeners.size === 0) this.watchers.delete(instrumentToken);
    });
  }

  onOrderUpdate(listener: (order: KiteOrder) => void): Disposable {
    this.orderListeners.add(listener);
    return toDisposable(() => this.orderListeners.delete(listener));
  }

  // ---- GTT -------------------------------------------------------------------------------------

  gtts(): KiteResult<readonly KiteGtt[]> {
    return ok([...this.gttStore.values()].map((g) => this.gttRow(g)));
  }

  gtt(triggerId: number): KiteResult<KiteGtt> {
    const g = this.gttStore.get(triggerId);
    return g === undefined ? fail('InputException', 'Invalid trigger ID.') : ok(this.gttRow(g));
  }

  placeGtt(p: GttParams): KiteResult<{ trigger_id: number }> {
    const checked = this.checkGtt(p);
    if (!checked.ok) return checked;
    const id = this.nextGtt++;
    const now = this.now();
    this.gttStore.set(id, {
      id,
      params: p,
      instrument: checked.data.instrument,
      triggers: checked.data.triggers,
      reference: checked.data.reference,
      createdAt: now,
      updatedAt: now,
      status: 'active',
      results: p.orders.map(() => null),
    });
    this.persistGtts();
    return ok({ trigger_id: id });
  }

  modifyGtt(triggerId: number, p: GttParams): KiteResult<{ trigger_id: number }> {
    const g = this.gttStore.get(triggerId);
    if (g === undefined) return fail('InputException', 'Invalid trigger ID.');
    if (g.status !== 'active') return fail('InputException', `Trigger is already ${g.status}.`);
    const checked = this.checkGtt(p);
    if (!checked.ok) return checked;
    g.params = p;
    g.instrument = checked.data.instrument;
    g.triggers = checked.data.triggers;
    g.reference = checked.data.reference;
    g.updatedAt = this.now();
    g.results = p.orders.map(() => null);
    this.persistGtts();
    return ok({ trigger_id: triggerId });
  }

  deleteGtt(triggerId: number): KiteResult<{ trigger_id: number }> {
    if (!this.gttStore.delete(triggerId)) return fail('InputException', 'Invalid trigger ID.');
    this.persistGtts();
    return ok({ trigger_id: triggerId });
  }

  // ---- events ----------------------------------------------------------------------------------

  /** Runs a command, then what it set off: GTTs, order updates, coalesced snapshots. */
  private command<T>(run: () => T): T {
    this.depth++;
    let result: T;
    try {
      result = run();
    } finally {
      this.depth--;
    }
    this.settle();
    return result;
  }

  private settle(): void {
    // GTT orders are commands too: placed only after the exchange has finished the last one.
    this.depth++;
    try {
      while (this.tradedTokens.size > 0) {
        const tokens = [...this.tradedTokens];
        this.tradedTokens.clear();
        for (const token of tokens) this.checkGtts(token);
      }
    } finally {
      this.depth--;
    }
    const updates = this.updates.splice(0);
    for (const row of updates) for (const listener of [...this.orderListeners]) listener(row);
    if (this.dirty.size > 0 && !this.snapshotsScheduled) {
      this.snapshotsScheduled = true;
      this.schedule(() => {
        this.snapshotsScheduled = false;
        const tokens = [...this.dirty];
        this.dirty.clear();
        for (const token of tokens) {
          const listeners = this.watchers.get(token);
          const i = this.byToken.get(token);
          if (listeners === undefined || i === undefined) continue;
          const snap = this.snapshotOf(i);
          for (const listener of [...listeners]) listener(snap);
        }
      });
    }
  }

  /** The exchange's listener: must not call back into the exchange (GTTs wait for `settle`). */
  private onEvent(e: ExchangeEvent, replaying: boolean): void {
    this.record(e, replaying);
    this.observer?.(e);
    // The market's OI counts the positions carried in too; it has just seen the trade.
    if (e.type === 'trade' && this.market !== undefined) {
      const open = this.openInterest.get(e.trade.instrument_token);
      if (open !== undefined) {
        const oi = this.market.openInterest(e.trade.instrument_token);
        open.high = Math.max(open.high, oi);
        open.low = open.low === 0 ? oi : Math.min(open.low, oi);
      }
    }
    if (replaying) return;
    // An order placed on the Exchange directly (the synthetic market): settle once it has returned.
    if (this.depth === 0 && !this.settleScheduled) {
      this.settleScheduled = true;
      this.schedule(() => {
        this.settleScheduled = false;
        this.settle();
      });
    }
  }

  private record(e: ExchangeEvent, replaying: boolean): void {
    const o = e.order;
    this.dirty.add(o.instrument_token);
    if (e.type === 'trade') {
      this.tradedTokens.add(o.instrument_token);
      this.addOpenInterest(
        e.trade.instrument_token,
        e.trade.account,
        e.trade.transaction_type,
        e.trade.quantity,
      );
    }
    if (o.account !== this.account) return;
    const i = this.byToken.get(o.instrument_token);
    if (i === undefined) return;
    const d = i.priceDivisor;
    const known = this.histories.has(o.order_id);
    // A replay has no user commands in flight; a user's modify or cancel is told by its event: any
    // modify except a cover leg's (grown by its entry, or exited), a cancel with the user's reason.
    const mine =
      this.action !== null && this.action.orderId === o.order_id
        ? this.action.kind
        : !replaying
          ? null
          : e.type === 'modified' && !(o.variety === 'co' && o.parent_order_id !== null)
            ? 'modify'
            : e.type === 'cancelled' && o.status_message === MESSAGES.userCancelled
              ? 'cancel'
              : null;
    switch (e.type) {
      case 'accepted':
      case 'rejected':
        if (!known) for (const status of TRANSIENT_PLACE) this.row(o, d, status, false);
        this.row(o, d, o.status, o.status !== 'AMO REQ RECEIVED');
        break;
      case 'trade': {
        const t = tradeRow(e.trade, o, d);
        this.tradeList.push(t);
        const list = this.tradesByOrder.get(o.order_id) ?? [];
        list.push(t);
        this.tradesByOrder.set(o.order_id, list);
        this.row(o, d, o.status, true);
        break;
      }
      case 'modified':
        if (mine === 'modify') {
          this.modified.add(o.order_id);
          for (const status of TRANSIENT_MODIFY) this.row(o, d, status, true);
        }
        this.row(o, d, o.status, o.status !== 'AMO REQ RECEIVED');
        break;
      case 'cancelled':
        if (mine === 'cancel') this.row(o, d, 'CANCEL PENDING', true);
        this.row(o, d, o.status, true);
        break;
      case 'triggered':
      case 'expired':
        this.row(o, d, o.status, true);
        break;
    }
  }

  private row(o: ExchangeOrder, divisor: number, status: string, atExchange: boolean): void {
    const row = orderRow(o, divisor, { status, atExchange }, this.modified.has(o.order_id));
    let rows = this.histories.get(o.order_id);
    if (rows === undefined) {
      rows = [];
      this.histories.set(o.order_id, rows);
    }
    rows.push(row);
    this.updates.push(row);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private ownOrder(orderId: string): ExchangeOrder | undefined {
    const o = this.exchange.order(orderId);
    return o !== undefined && o.account === this.account ? o : undefined;
  }

  /** A decimal price in wire units; undefined when absent, null when it has too many decimals. */
  private wire(value: string | undefined, i: Instrument): number | undefined | null {
    if (value === undefined) return undefined;
    try {
      return toPrice(value, i.priceDivisor);
    } catch {
      return null;
    }
  }

  private tickError(i: Instrument): KiteResult<never> {
    return fail('InputException', MESSAGES.tick(String(toRupees(i.tick_size, i.priceDivisor))));
  }

  private lastPrice(i: Instrument): number {
    if (!i.tradable) return this.indexDay.get(i.instrument_token)?.last ?? i.last_price;
    return this.exchange.lastPrice(i.instrument_token) ?? i.last_price;
  }

  /** The account's fills per instrument and product (plus conversions), in paise. */
  private positionFills(): PositionFills[] {
    const out: PositionFills[] = [];
    for (const p of this.exchange.positions(this.account)) {
      const i = this.byToken.get(p.instrument_token);
      if (i === undefined || (p.buy_quantity === 0 && p.sell_quantity === 0)) continue;
      const d = i.priceDivisor;
      out.push({
        instrumentToken: p.instrument_token,
        exchange: i.exchange,
        tradingsymbol: i.tradingsymbol,
        product: p.product,
        buyQuantity: p.buy_quantity,
        buyValuePaise: wireValueToPaise(p.buy_value, d),
        sellQuantity: p.sell_quantity,
        sellValuePaise: wireValueToPaise(p.sell_value, d),
        lastPricePaise: wireValueToPaise(this.lastPrice(i), d),
        closePricePaise: wireValueToPaise(i.last_price, d),
      });
    }
    return out;
  }

  private margin(
    i: Instrument,
    product: string,
    side: 'BUY' | 'SELL',
    quantity: number,
    price: number,
  ): MarginParts {
    return marginFor({
      exchange: i.exchange,
      instrumentType: i.instrument_type,
      product,
      side,
      valuePaise: wireValueToPaise(price * quantity, i.priceDivisor),
      strikeValuePaise: wireValueToPaise(i.strike * quantity, i.priceDivisor),
    });
  }

  private marginRow(
    o: MarginOrderParams,
  ): KiteResult<{ row: Record<string, unknown>; parts: MarginParts; charges: OrderCharges }> {
    const i = this.byKey.get(`${o.exchange}:${o.tradingsymbol}`);
    if (i === undefined) return fail('InputException', MESSAGES.instrument(o.exchange, o.tradingsymbol));
    const given = o.price === undefined || o.price === 0 ? undefined : this.wire(String(o.price), i);
    if (given === null) return this.tickError(i);
    const price = given ?? this.lastPrice(i);
    const parts = this.margin(i, o.product, o.transaction_type, o.quantity, price);
    const charges = orderCharges(
      chargeSegment(i.exchange, i.instrument_type, o.product),
      i.exchange,
      o.transaction_type,
      wireValueToPaise(price * o.quantity, i.priceDivisor),
      this.now(),
    );
    const r = (paise: number): number => paise / 100;
    return ok({
      parts,
      charges,
      row: {
        type: marginSegment(i.exchange),
        tradingsymbol: i.tradingsymbol,
        exchange: i.exchange,
        span: r(parts.span),
        exposure: r(parts.exposure),
        option_premium: r(parts.optionPremium),
        additional: 0,
        bo: 0,
        cash: 0,
        var: r(parts.var),
        pnl: { realised: 0, unrealised: 0 },
        leverage: parts.leverage,
        charges: kiteCharges(charges),
        total: r(parts.total),
      },
    });
  }

  /** Open interest is the sum of every account's net long position in a derivative. */
  private addOpenInterest(token: number, account: string, side: string, quantity: number): void {
    const i = this.byToken.get(token);
    if (i === undefined || i.instrument_type === 'EQ') return;
    let open = this.openInterest.get(token);
    if (open === undefined) {
      open = { oi: 0, high: 0, low: 0, nets: new Map() };
      this.openInterest.set(token, open);
    }
    const before = open.nets.get(account) ?? 0;
    const after = before + (side === 'BUY' ? quantity : -quantity);
    open.nets.set(account, after);
    open.oi += Math.max(after, 0) - Math.max(before, 0);
    open.high = Math.max(open.high, open.oi);
    // The simulator's OI opens at 0 each day, so the day's low stays 0 until there is an overnight book.
    open.low = Math.min(open.low, open.oi);
  }

  /** The instrument now, in wire units. An index is its last sampled value (`refreshIndices`). */
  private snapshotOf(i: Instrument): TickSnapshot {
    const seconds = Math.floor(this.now() / 1000);
    const book = i.tradable ? this.exchange.book(i.exchange, i.tradingsymbol) : undefined;
    const stats = this.exchange.marketStats(i.instrument_token);
    const last = this.lastPrice(i);
    const traded = stats !== undefined && stats.volume > 0;
    const open = this.openInterest.get(i.instrument_token);
    const oi = this.market !== undefined ? this.market.openInterest(i.instrument_token) : (open?.oi ?? 0);
    const index = i.tradable ? undefined : this.indexDay.get(i.instrument_token);
    const side = (s: BookSide): DepthLevel[] => {
      if (book === undefined) return [];
      const n = book.depth(s, this.depthBuffer);
      const levels: DepthLevel[] = [];
      for (let k = 0; k < n; k++) {
        levels.push({
          price: this.depthBuffer.prices[k] ?? 0,
          quantity: this.depthBuffer.quantities[k] ?? 0,
          orders: this.depthBuffer.orders[k] ?? 0,
        });
      }
      return levels;
    };
    if (index !== undefined) {
      return {
        instrumentToken: i.instrument_token,
        lastPrice: index.last,
        lastQuantity: 0,
        averagePrice: 0,
        volume: 0,
        buyQuantity: 0,
        sellQuantity: 0,
        open: index.open,
        high: index.high,
        low: index.low,
        close: i.last_price,
        lastTradeTime: 0,
        oi: 0,
        oiDayHigh: 0,
        oiDayLow: 0,
        exchangeTimestamp: seconds,
        bids: [],
        asks: [],
      };
    }
    return {
      instrumentToken: i.instrument_token,
      lastPrice: last,
      lastQuantity: traded ? stats.last_quantity : 0,
      averagePrice: traded ? Math.round(stats.turnover / stats.volume) : 0,
      volume: traded ? stats.volume : 0,
      buyQuantity: book?.totalQuantity(BUY) ?? 0,
      sellQuantity: book?.totalQuantity(SELL) ?? 0,
      open: traded ? stats.open : last,
      high: traded ? stats.high : last,
      low: traded ? stats.low : last,
      close: i.last_price,
      lastTradeTime: traded ? Math.floor(stats.last_trade_time / 1000) : 0,
      oi,
      oiDayHigh: Math.max(open?.high ?? 0, oi),
      // Without a market the OI opens at 0, so the day's low is 0; the market's opens with the carry.
      oiDayLow:
        this.market === undefined
          ? (open?.low ?? 0)
          : open === undefined || open.low === 0
            ? oi
            : Math.min(open.low, oi),
      exchangeTimestamp: seconds,
      bids: side(BUY),
      asks: side(SELL),
    };
  }

  private quote(i: Instrument): KiteQuote {
    const s = this.snapshotOf(i);
    const d = i.priceDivisor;
    const level = (l: DepthLevel): { price: number; quantity: number; orders: number } => ({
      price: toRupees(l.price, d),
      quantity: l.quantity,
      orders: l.orders,
    });
    const pad = (levels: readonly DepthLevel[]): { price: number; quantity: number; orders: number }[] => {
      const out = levels.map(level);
      while (out.length < DEPTH) out.push({ price: 0, quantity: 0, orders: 0 });
      return out;
    };
    return {
      instrument_token: i.instrument_token,
      timestamp: kiteTime(this.now()),
      last_trade_time: s.lastTradeTime === 0 ? null : kiteTime(s.lastTradeTime * 1000),
      last_price: toRupees(s.lastPrice, d),
      last_quantity: s.lastQuantity,
      buy_quantity: s.buyQuantity,
      sell_quantity: s.sellQuantity,
      volume: s.volume,
      average_price: toRupees(s.averagePrice, d),
      oi: s.oi,
      oi_day_high: s.oiDayHigh,
      oi_day_low: s.oiDayLow,
      net_change: toRupees(s.lastPrice - s.close, d),
      lower_circuit_limit: toRupees(i.lowerCircuit, d),
      upper_circuit_limit: toRupees(i.upperCircuit, d),
      ohlc: {
        open: toRupees(s.open, d),
        high: toRupees(s.high, d),
        low: toRupees(s.low, d),
        close: toRupees(s.close, d),
      },
      depth: { buy: pad(s.bids), sell: pad(s.asks) },
    };
  }

  private checkGtt(
    p: GttParams,
  ): KiteResult<{ instrument: Instrument; triggers: number[]; reference: number }> {
    const c = p.condition;
    const i = this.byKey.get(`${c.exchange}:${c.tradingsymbol}`);
    if (i === undefined || !i.tradable) {
      return fail('InputException', MESSAGES.instrument(c.exchange, c.tradingsymbol));
    }
    const expected = p.type === 'single' ? 1 : 2;
    if (c.trigger_values.length !== expected || p.orders.length !== expected) {
      return fail('InputException', 'Invalid `trigger_values`.');
    }
    const triggers: number[] = [];
    for (const v of c.trigger_values) {
      const w = this.wire(String(v), i);
      if (w === null || w === undefined) return this.tickError(i);
      triggers.push(w);
    }
    if (p.type === 'two-leg' && (triggers[0] ?? 0) >= (triggers[1] ?? 0)) {
      return fail('InputException', 'Invalid `trigger_values`.');
    }
    for (const o of p.orders) {
      if (o.exchange !== i.exchange || o.tradingsymbol !== i.tradingsymbol) {
        return fail('InputException', 'Invalid `orders`.');
      }
      const w = this.wire(String(o.price), i);
      if (w === null || w === undefined || w % i.tick_size !== 0) return this.tickError(i);
    }
    const reference = this.wire(String(c.last_price), i) ?? this.lastPrice(i);
    return ok({ instrument: i, triggers, reference });
  }

  /** Fires the active GTTs of an instrument whose trigger the last price has reached. */
  private checkGtts(token: number): void {
    const ltp = this.exchange.lastPrice(token);
    if (ltp === undefined) return;
    for (const g of this.gttStore.values()) {
      if (g.status !== 'active' || g.instrument.instrument_token !== token) continue;
      let leg = -1;
      if (g.params.type === 'single') {
        const t = g.triggers[0] ?? 0;
        // A trigger above the price when it was placed fires on a rise to it; below, on a fall.
        if (t >= g.reference ? ltp >= t : ltp <= t) leg = 0;
      } else if (ltp <= (g.triggers[0] ?? 0)) leg = 0;
      else if (ltp >= (g.triggers[1] ?? Infinity)) leg = 1;
      if (leg < 0) continue;
      this.fireGtt(g, leg, ltp);
    }
  }

  private fireGtt(g: GttState, leg: number, ltp: number): void {
    // The order and the GTT's new status commit together: a crash cannot leave a fired GTT active
    // (to fire twice after a restart) nor a triggered one without its order.
    this.batch(() => {
      this.placeGttOrder(g, leg, ltp);
      this.persistGtts();
    });
  }

  private placeGttOrder(g: GttState, leg: number, ltp: number): void {
    const o = g.params.orders[leg];
    if (o === undefined) return;
    const i = g.instrument;
    const price = this.wire(String(o.price), i) ?? undefined;
    const r = this.exchange.placeOrder({
      account: this.account,
      variety: 'regular',
      exchange: i.exchange,
      tradingsymbol: i.tradingsymbol,
      transaction_type: o.transaction_type,
      order_type: o.order_type,
      quantity: o.quantity,
      product: o.product,
      validity: 'DAY',
      ...(price === undefined || o.order_type === 'MARKET' ? {} : { price }),
      ...(o.order_type === 'MARKET' ? { market_protection: -1 } : {}),
    });
    const now = this.now();
    g.status = r.ok ? 'triggered' : 'rejected';
    g.updatedAt = now;
    g.results[leg] = {
      account_id: this.account,
      exchange: i.exchange,
      tradingsymbol: i.tradingsymbol,
      validity: 'DAY',
      product: o.product,
      order_type: o.order_type,
      transaction_type: o.transaction_type,
      quantity: o.quantity,
      price: o.price,
      meta: '{}',
      timestamp: kiteTime(now),
      triggered_at: toRupees(ltp, i.priceDivisor),
      order_result: r.ok
        ? { status: 'success', order_id: r.order_id, rejection_reason: '' }
        : { status: 'failed', order_id: '', rejection_reason: r.error.message },
    };
  }

  /** With `--state`: the GTTs as a journal marker (they are not exchange commands), committed now. */
  private persistGtts(): void {
    if (this.journal === undefined) return;
    const gtts: JsonValue[] = [...this.gttStore.values()].map((g) => ({
      id: g.id,
      params: g.params as unknown as JsonValue,
      token: g.instrument.instrument_token,
      triggers: g.triggers,
      reference: g.reference,
      createdAt: g.createdAt,
      updatedAt: g.updatedAt,
      status: g.status,
      results: g.results as unknown as JsonValue,
    }));
    this.journal.mark(GTT_MARKER, { next: this.nextGtt, gtts });
  }

  private restoreGtts(saved: JsonValue | undefined): void {
    if (saved === undefined || saved === null || typeof saved !== 'object' || Array.isArray(saved)) return;
    const state = saved as unknown as { next: number; gtts: readonly SavedGtt[] };
    for (const g of state.gtts) {
      const instrument = this.byToken.get(g.token);
      if (instrument === undefined) continue;
      this.gttStore.set(g.id, { ...g, instrument, triggers: [...g.triggers], results: [...g.results] });
    }
    this.nextGtt = state.next;
  }

  private gttRow(g: GttState): KiteGtt {
    const created = kiteTime(g.createdAt);
    return {
      id: g.id,
      user_id: this.account,
      parent_trigger: null,
      type: g.params.type,
      created_at: created,
      updated_at: kiteTime(g.updatedAt),
      // GTTs live a year on Kite.
      expires_at: created.replace(/^(\d{4})/, (y) => String(Number(y) + 1)),
      status: g.status,
      condition: {
        exchange: g.params.condition.exchange,
        last_price: g.params.condition.last_price,
        tradingsymbol: g.params.condition.tradingsymbol,
        trigger_values: [...g.params.condition.trigger_values],
        instrument_token: g.instrument.instrument_token,
      },
      orders: g.params.orders.map((o, k) => ({ ...o, result: g.results[k] ?? null })),
      meta: {},
    };
  }
}

function isPending(status: string): boolean {
  return status === 'OPEN' || status === 'TRIGGER PENDING' || status === 'AMO REQ RECEIVED';
}
