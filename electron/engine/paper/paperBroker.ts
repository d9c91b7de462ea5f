/**
 * The paper broker: an `OrderVenue` that fills orders locally from the live market (paper mode =
 * live Kite market data, simulated fills). The fill rules are in `matching.ts` and README.md; this
 * file is the order book around them: validation, ids, modify and cancel, expiry, persistence and
 * the pushed reports.
 *
 * - Every state change (a new order, a fill, a trigger, a modify, a cancel, an expiry, a move in an
 *   order's queue position) is written to the engine's database in one transaction, and applied in
 *   memory and reported only once that transaction has committed. A failed write changes nothing.
 * - Reports are pushed in order, never from inside a call into the broker: a call's reports are
 *   delivered in a microtask queued before its promise settles (so they arrive before the caller's
 *   `await` resumes); a market update's at the end of the update. A listener may call the broker.
 * - Refusals: malformed requests (quantity, prices, trigger, market protection, validity, tag,
 *   variety) throw `VenueError('rejected')`, as Kite answers them with an InputException and no
 *   order. A well-formed order the market refuses (no last price known for a MARKET or stop order, a
 *   stop trigger already on the wrong side of the last price) gets an order id and is reported
 *   REJECTED with the reason, as Kite's RMS does.
 * - The clock is injected; ids are sequential (`P` + 12 digits, trades `PT` + 12 digits) and carry
 *   on across restarts. No randomness.
 */
import { toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { MoneyError, SEGMENT, segmentOfToken } from '../../../shared/domain/money';
import type { Depth, Quote } from '../../../shared/services/market';
import type { OrderType, Product, Side, Variety } from '../../../shared/services/orders';
import { formatIstDate } from '../../../shared/time/ist';
import { VenueError } from '../oms/venue';
import type {
  OrderVenue,
  VenueModifyRequest,
  VenueOrderReport,
  VenuePlaceRequest,
  VenuePosition,
  VenueMarginRequest,
  VenueSegmentMargins,
  VenueTrade,
} from '../oms/venue';
import type { EngineDatabase } from '../store';
import { bookOf, matchOrder, protectionBasisPoints, protectionPrice, TakenLiquidity } from './matching';
import type { MarketView, MatchPass, SeenTrades } from './matching';
import type { PaperMarket } from './paperMarket';
import { PaperStore } from './paperStore';
import type { PaperOrderRecord, PaperStatus, PaperTradeRecord } from './paperStore';
import { divideRounded, paperMargins, positionsFromFills, wireToPaise } from './positions';

/** What the paper broker needs. */
export interface PaperBrokerOptions {
  /** The engine's database, migrated to at least version 7 ('paper broker'). Not closed by the broker. */
  readonly db: EngineDatabase;
  /** The live market the orders are filled from. */
  readonly market: PaperMarket;
  /** Epoch ms. */
  readonly now: () => number;
  /** The paper account's cash before any trade, paise (default 100_000_000 = Rs 10,00,000). */
  readonly startingCash?: number;
  /** What market protection -1 (Kite's "auto") means, basis points of the last price (default 200 = 2%). */
  readonly autoMarketProtectionBasisPoints?: number;
  /** Where listener errors and failed market updates are told (default console.error). */
  readonly log?: (line: string) => void;
}

/** Rs 10,00,000 in paise. */
export const DEFAULT_STARTING_CASH = 100_000_000;
/** 2%: what market protection -1 means unless configured. */
export const DEFAULT_AUTO_PROTECTION_BASIS_POINTS = 200;

/** Kite's texts for the refusals (the local exchange's wording where it has one). */
export const PAPER_MESSAGES = {
  invalid: (field: string): string => `Invalid \`${field}\`.`,
  missing: (field: string): string => `Missing \`${field}\`.`,
  notTradable: 'Indices cannot be traded.',
  amo: 'After-market orders are not simulated in paper mode.',
  ttl: 'Order validity TTL needs validity_ttl in minutes.',
  marketProtection: 'Market protection should be -1 (auto) or a percentage between 0 and 100.',
  disclosed: 'Disclosed quantity should not be more than the quantity.',
  stopBuyPrice: 'Trigger price for stoploss buy orders should be lower than or equal to the price.',
  stopSellPrice: 'Trigger price for stoploss sell orders should be higher than or equal to the price.',
  stopBuyTrigger: 'Trigger price for stoploss buy orders should be higher than the last traded price.',
  stopSellTrigger: 'Trigger price for stoploss sell orders should be lower than the last traded price.',
  noMarket: (exchange: string, symbol: string): string =>
    `No last price for ${exchange}:${symbol} yet: paper mode fills from the live market.`,
  notFound: "Couldn't find that `order_id`.",
  notPending: (status: string): string => `Order cannot be modified or cancelled: it is already ${status}.`,
  modifyBelowFilled: 'Quantity cannot be less than the filled quantity.',
  wrongVariety: (variety: string): string => `The order is a ${variety} order.`,
  wrongExchange: (exchange: string): string => `The order is on ${exchange}.`,
  dayEnd: 'Order expired at the end of the session.',
  ttlExpired: 'TTL order expired.',
  closed: 'The paper broker is closed.',
} as const;

const ORDER_TYPES: readonly OrderType[] = ['MARKET', 'LIMIT', 'SL', 'SL-M'];
const SIDES: readonly Side[] = ['BUY', 'SELL'];
const PRODUCTS: readonly Product[] = ['CNC', 'NRML', 'MIS', 'MTF'];
const VALIDITIES: readonly string[] = ['DAY', 'IOC', 'TTL'];
const TAG = /^[A-Za-z0-9]{1,20}$/;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** An order as the broker holds it: the stored record plus the quote it last saw (memory only). */
interface PaperOrder extends Mutable<PaperOrderRecord> {
  seen: SeenTrades | null;
}

type Outgoing =
  | { readonly kind: 'order'; readonly report: VenueOrderReport }
  | { readonly kind: 'trade'; readonly trade: VenueTrade };

const isWorking = (o: PaperOrder): boolean => o.status === 'OPEN' || o.status === 'TRIGGER PENDING';
const isStop = (t: OrderType): boolean => t === 'SL' || t === 'SL-M';
const hasLimit = (t: OrderType): boolean => t === 'LIMIT' || t === 'SL';
const isPositiveInt = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;
const rejected = (message: string): VenueError => new VenueError('rejected', message);
const pad12 = (n: number): string => String(n).padStart(12, '0');

/** The changes of one call or market update, applied only after they are committed. */
class Step {
  readonly edited = new Map<string, PaperOrder>();
  readonly created = new Set<string>();
  readonly trades: PaperTradeRecord[] = [];
  readonly out: Outgoing[] = [];
  readonly taken = new Map<number, TakenLiquidity>();

  constructor(
    readonly base: ReadonlyMap<string, PaperOrder>,
    public orderSeq: number,
    public tradeSeq: number,
  ) {}

  current(orderId: string): PaperOrder | undefined {
    return this.edited.get(orderId) ?? this.base.get(orderId);
  }

  /** The step's own copy of an order, to change. */
  edit(orderId: string): PaperOrder {
    const mine = this.edited.get(orderId);
    if (mine !== undefined) return mine;
    const o = this.base.get(orderId);
    if (o === undefined) throw new Error(`paper order ${orderId} is unknown`);
    const copy = { ...o };
    this.edited.set(orderId, copy);
    return copy;
  }

  create(o: PaperOrder): void {
    this.edited.set(o.orderId, o);
    this.created.add(o.orderId);
  }
}

function samePersisted(a: PaperOrder, b: PaperOrder): boolean {
  return (
    a.orderType === b.orderType &&
    a.quantity === b.quantity &&
    a.filledQuantity === b.filledQuantity &&
    a.fillValue === b.fillValue &&
    a.price === b.price &&
    a.triggerPrice === b.triggerPrice &&
    a.protectionPrice === b.protectionPrice &&
    a.status === b.status &&
    a.reason === b.reason &&
    a.queueAhead === b.queueAhead &&
    a.updateTime === b.updateTime
  );
}

function toReport(o: PaperOrder): VenueOrderReport {
  return {
    orderId: o.orderId,
    tag: o.tag,
    status: o.status,
    instrumentToken: o.instrumentToken,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    side: o.side,
    orderType: o.orderType,
    product: o.product,
    variety: o.variety,
    validity: o.validity,
    quantity: o.quantity,
    filledQuantity: o.filledQuantity,
    price: o.price,
    triggerPrice: o.triggerPrice,
    averagePrice: o.filledQuantity === 0 ? 0 : divideRounded(o.fillValue, o.filledQuantity),
    reason: o.reason,
    orderTime: o.orderTime,
    updateTime: o.updateTime,
  };
}

function toTrade(t: PaperTradeRecord): VenueTrade {
  return {
    tradeId: t.tradeId,
    orderId: t.orderId,
    instrumentToken: t.instrumentToken,
    exchange: t.exchange,
    tradingsymbol: t.tradingsymbol,
    side: t.side,
    product: t.product,
    quantity: t.quantity,
    price: t.price,
    time: t.time,
  };
}

/** Throws `VenueError('rejected')` for a request Kite would refuse outright (see the file comment). */
function checkPlace(r: VenuePlaceRequest): void {
  if (typeof r.clientOrderId !== 'string' || !TAG.test(r.clientOrderId))
    throw rejected(PAPER_MESSAGES.invalid('tag'));
  if (!isPositiveInt(r.instrumentToken)) throw rejected(PAPER_MESSAGES.invalid('instrument_token'));
  try {
    if (segmentOfToken(r.instrumentToken) === SEGMENT.INDICES) throw rejected(PAPER_MESSAGES.notTradable);
  } catch (e) {
    if (e instanceof MoneyError) throw rejected(PAPER_MESSAGES.invalid('instrument_token'));
    throw e;
  }
  if (typeof r.exchange !== 'string' || r.exchange === '') throw rejected(PAPER_MESSAGES.invalid('exchange'));
  if (typeof r.tradingsymbol !== 'string' || r.tradingsymbol === '')
    throw rejected(PAPER_MESSAGES.invalid('tradingsymbol'));
  if (!SIDES.includes(r.side)) throw rejected(PAPER_MESSAGES.invalid('transaction_type'));
  if (!ORDER_TYPES.includes(r.orderType)) throw rejected(PAPER_MESSAGES.invalid('order_type'));
  if (!PRODUCTS.includes(r.product)) throw rejected(PAPER_MESSAGES.invalid('product'));
  // The request is typed, but it crosses from other code: check what the type cannot promise.
  const variety: string = r.variety;
  if (variety === 'amo') throw rejected(PAPER_MESSAGES.amo);
  if (variety !== 'regular') throw rejected(PAPER_MESSAGES.invalid('variety'));
  if (!VALIDITIES.includes(r.validity)) throw rejected(PAPER_MESSAGES.invalid('validity'));
  if (r.validity === 'TTL' && !isPositiveInt(r.validityTtl)) throw rejected(PAPER_MESSAGES.ttl);
  if (!isPositiveInt(r.quantity)) throw rejected(PAPER_MESSAGES.invalid('quantity'));
  if (!Number.isSafeInteger(r.disclosedQuantity) || r.disclosedQuantity < 0)
    throw rejected(PAPER_MESSAGES.invalid('disclosed_quantity'));
  if (r.disclosedQuantity > r.quantity) throw rejected(PAPER_MESSAGES.disclosed);
  checkPrices(r.orderType, r.side, r.price, r.triggerPrice);
  if (r.orderType === 'MARKET' || r.orderType === 'SL-M') {
    const mp = r.marketProtection;
    if (mp !== null && mp !== -1 && !(Number.isFinite(mp) && mp > 0 && mp <= 100))
      throw rejected(PAPER_MESSAGES.marketProtection);
  }
}

/** The price and trigger an order type needs, and a stop-limit's trigger on the right side of its price. */
function checkPrices(type: OrderType, side: Side, price: number, trigger: number): void {
  if (hasLimit(type)) {
    if (price === 0) throw rejected(PAPER_MESSAGES.missing('price'));
    if (!isPositiveInt(price)) throw rejected(PAPER_MESSAGES.invalid('price'));
  }
  if (isStop(type)) {
    if (trigger === 0) throw rejected(PAPER_MESSAGES.missing('trigger_price'));
    if (!isPositiveInt(trigger)) throw rejected(PAPER_MESSAGES.invalid('trigger_price'));
  }
  if (type === 'SL' && side === 'BUY' && trigger > price) throw rejected(PAPER_MESSAGES.stopBuyPrice);
  if (type === 'SL' && side === 'SELL' && trigger < price) throw rejected(PAPER_MESSAGES.stopSellPrice);
}

/** Why the market refuses a stop's trigger now, or null. */
function triggerRefusal(side: Side, trigger: number, lastPrice: number): string | null {
  if (side === 'BUY' && trigger <= lastPrice) return PAPER_MESSAGES.stopBuyTrigger;
  if (side === 'SELL' && trigger >= lastPrice) return PAPER_MESSAGES.stopSellTrigger;
  return null;
}

/** The paper broker. See the file comment and README.md. */
export class PaperBroker implements OrderVenue {
  readonly kind = 'paper' as const;
  private readonly store: PaperStore;
  private readonly market: PaperMarket;
  private readonly now: () => number;
  private readonly startingCash: number;
  private readonly autoBasisPoints: number;
  private readonly log: (line: string) => void;

  /** Every order, in placing order. */
  private readonly book = new Map<string, PaperOrder>();
  private readonly fills: PaperTradeRecord[] = [];
  private readonly fillsByOrder = new Map<string, PaperTradeRecord[]>();
  /** Working order ids per instrument, in placing order (time priority). */
  private readonly working = new Map<number, string[]>();
  private readonly subscriptions = new Map<number, Disposable>();
  private readonly taken = new Map<number, TakenLiquidity>();
  private orderSeq = 0;
  private tradeSeq = 0;

  private readonly orderListeners = new Set<(report: VenueOrderReport) => void>();
  private readonly tradeListeners = new Set<(trade: VenueTrade) => void>();
  private readonly outbox: Outgoing[] = [];
  private flushing = false;
  private flushQueued = false;
  /** Inside a call or an update: a market callback now is run after it. */
  private busy = false;
  private disposed = false;

  /** Opens the paper book stored in `options.db` (empty the first time) and watches the instruments of its working orders. */
  constructor(options: PaperBrokerOptions) {
    this.store = new PaperStore(options.db);
    this.market = options.market;
    this.now = options.now;
    this.startingCash = options.startingCash ?? DEFAULT_STARTING_CASH;
    this.autoBasisPoints = options.autoMarketProtectionBasisPoints ?? DEFAULT_AUTO_PROTECTION_BASIS_POINTS;
    this.log =
      options.log ??
      ((line) => {
        console.error(line);
      });
    if (!Number.isSafeInteger(this.startingCash)) throw new RangeError('startingCash must be integer paise');
    if (
      !Number.isSafeInteger(this.autoBasisPoints) ||
      this.autoBasisPoints <= 0 ||
      this.autoBasisPoints > 10_000
    )
      throw new RangeError('autoMarketProtectionBasisPoints must be an integer in (0, 10000]');

    for (const r of this.store.loadOrders()) {
      this.book.set(r.orderId, { ...r, seen: null });
      this.orderSeq = Math.max(this.orderSeq, r.seq);
      if (r.status === 'OPEN' || r.status === 'TRIGGER PENDING') {
        const ids = this.working.get(r.instrumentToken) ?? [];
        ids.push(r.orderId);
        this.working.set(r.instrumentToken, ids);
      }
    }
    for (const t of this.store.loadTrades()) this.addFill(t);
    for (const token of this.working.keys()) this.watch(token);
  }

  // ---- OrderVenue ------------------------------------------------------------------------------

  place(request: VenuePlaceRequest): Promise<string> {
    return this.request(() => {
      checkPlace(request);
      const step = this.step();
      const now = this.now();
      this.expire(step, now);
      step.orderSeq += 1;
      const stop = isStop(request.orderType);
      const o: PaperOrder = {
        orderId: `P${pad12(step.orderSeq)}`,
        seq: step.orderSeq,
        tag: request.clientOrderId,
        instrumentToken: request.instrumentToken,
        exchange: request.exchange,
        tradingsymbol: request.tradingsymbol,
        side: request.side,
        orderType: request.orderType,
        product: request.product,
        variety: request.variety,
        validity: request.validity,
        validityTtl: request.validity === 'TTL' ? request.validityTtl : null,
        quantity: request.quantity,
        filledQuantity: 0,
        fillValue: 0,
        price: hasLimit(request.orderType) ? request.price : 0,
        triggerPrice: stop ? request.triggerPrice : 0,
        disclosedQuantity: request.disclosedQuantity,
        marketProtection: request.marketProtection,
        protectionPrice: null,
        algoId: request.algoId,
        status: stop ? 'TRIGGER PENDING' : 'OPEN',
        reason: null,
        queueAhead: null,
        tradingDate: formatIstDate(now),
        orderTime: now,
        updateTime: now,
        seen: null,
      };
      step.create(o);
      const quote = this.market.quote(o.instrumentToken);
      const lastPrice = quote?.lastPrice ?? 0;
      let refusal: string | null = null;
      if ((o.orderType === 'MARKET' || stop) && lastPrice <= 0) {
        refusal = PAPER_MESSAGES.noMarket(o.exchange, o.tradingsymbol);
      } else if (stop) {
        refusal = triggerRefusal(o.side, o.triggerPrice, lastPrice);
      }
      if (refusal !== null) {
        o.status = 'REJECTED';
        o.reason = refusal;
        this.report(step, o);
      } else {
        if (o.orderType === 'MARKET') o.protectionPrice = this.protection(o, lastPrice);
        this.report(step, o);
        this.arrive(step, o, quote, now);
      }
      this.commit(step);
      return o.orderId;
    });
  }

  modify(request: VenueModifyRequest): Promise<void> {
    return this.request(() => {
      const step = this.step();
      const now = this.now();
      this.expire(step, now);
      const current = this.findWorking(step, request.orderId, request.variety);
      if (request.exchange !== current.exchange)
        throw rejected(PAPER_MESSAGES.wrongExchange(current.exchange));
      const type = request.orderType ?? current.orderType;
      if (!ORDER_TYPES.includes(type)) throw rejected(PAPER_MESSAGES.invalid('order_type'));
      const quantity = request.quantity ?? current.quantity;
      if (!isPositiveInt(quantity)) throw rejected(PAPER_MESSAGES.invalid('quantity'));
      if (quantity < current.filledQuantity) throw rejected(PAPER_MESSAGES.modifyBelowFilled);
      const price = hasLimit(type) ? (request.price ?? current.price) : 0;
      const trigger = isStop(type) ? (request.triggerPrice ?? current.triggerPrice) : 0;
      checkPrices(type, current.side, price, trigger);

      // A stop that has triggered stays triggered (its trigger no longer matters); a LIMIT or MARKET
      // order made a stop waits for its trigger again.
      const triggered = current.status === 'OPEN' && isStop(current.orderType);
      const status: PaperStatus = !isStop(type) || triggered ? 'OPEN' : 'TRIGGER PENDING';
      const quote = this.market.quote(current.instrumentToken);
      const lastPrice = quote?.lastPrice ?? 0;
      const marketLike = status === 'OPEN' && (type === 'MARKET' || type === 'SL-M');
      if ((status === 'TRIGGER PENDING' || (marketLike && type !== current.orderType)) && lastPrice <= 0)
        throw rejected(PAPER_MESSAGES.noMarket(current.exchange, current.tradingsymbol));
      if (status === 'TRIGGER PENDING') {
        const refusal = triggerRefusal(current.side, trigger, lastPrice);
        if (refusal !== null) throw rejected(refusal);
      }

      const o = step.edit(current.orderId);
      const requeue =
        type !== o.orderType || price !== o.price || quantity > o.quantity || status !== o.status;
      if (!marketLike) o.protectionPrice = null;
      else if (type !== o.orderType || o.protectionPrice === null)
        o.protectionPrice = this.protection(o, lastPrice);
      o.orderType = type;
      o.quantity = quantity;
      o.price = price;
      o.triggerPrice = trigger;
      o.status = quantity === o.filledQuantity ? 'COMPLETE' : status;
      o.reason = null;
      o.updateTime = Math.max(o.updateTime, now);
      if (requeue) o.queueAhead = null;
      this.report(step, o);
      if (o.status === 'OPEN' && requeue) this.arrive(step, o, quote, now);
      this.commit(step);
    });
  }

  cancel(orderId: string, variety: Variety): Promise<void> {
    return this.request(() => {
      const step = this.step();
      const now = this.now();
      this.expire(step, now);
      this.findWorking(step, orderId, variety);
      this.finish(step, step.edit(orderId), 'CANCELLED', null, now);
      this.commit(step);
    });
  }

  orders(): Promise<VenueOrderReport[]> {
    return this.request(() => {
      const today = this.housekeeping();
      const out: VenueOrderReport[] = [];
      // Today's orders, and earlier ones that changed today (their expiry at the day's change).
      for (const o of this.book.values()) {
        if (o.tradingDate === today || isWorking(o) || formatIstDate(o.updateTime) === today)
          out.push(toReport(o));
      }
      return out;
    });
  }

  trades(): Promise<VenueTrade[]> {
    return this.request(() => {
      const today = this.housekeeping();
      return this.fills.filter((t) => t.tradingDate === today).map(toTrade);
    });
  }

  orderTrades(orderId: string): Promise<VenueTrade[]> {
    return this.request(() => {
      this.housekeeping();
      if (!this.book.has(orderId)) throw rejected(PAPER_MESSAGES.notFound);
      return (this.fillsByOrder.get(orderId) ?? []).map(toTrade);
    });
  }

  positions(): Promise<VenuePosition[]> {
    return this.request(() => {
      const today = this.housekeeping();
      return positionsFromFills(this.fills, today).map((p) => ({
        instrumentToken: p.instrumentToken,
        exchange: p.exchange,
        tradingsymbol: p.tradingsymbol,
        product: p.product,
        quantity: p.quantity,
        overnightQuantity: p.overnightQuantity,
        averagePrice: p.averagePrice,
      }));
    });
  }

  margins(): Promise<{ equity: VenueSegmentMargins | null; commodity: VenueSegmentMargins | null }> {
    return this.request(() => {
      const today = this.housekeeping();
      return paperMargins(positionsFromFills(this.fills, today), this.startingCash);
    });
  }

  /**
   * The paper account blocks the full value of an open position, whatever its product (see
   * positions.ts): an order that opens or adds to one needs its whole value.
   */
  orderMargin(r: VenueMarginRequest): Promise<number> {
    return Promise.resolve(wireToPaise(r.instrumentToken, r.price * r.quantity));
  }

  onOrder(listener: (report: VenueOrderReport) => void): Disposable {
    this.orderListeners.add(listener);
    return toDisposable(() => this.orderListeners.delete(listener));
  }

  onTrade(listener: (trade: VenueTrade) => void): Disposable {
    this.tradeListeners.add(listener);
    return toDisposable(() => this.tradeListeners.delete(listener));
  }

  /** Stops watching the market and drops the listeners; the book stays in the database. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.subscriptions.values()) s.dispose();
    this.subscriptions.clear();
    this.orderListeners.clear();
    this.tradeListeners.clear();
    this.outbox.length = 0;
  }

  // ---- the market --------------------------------------------------------------------------------

  /** One market update of an instrument: expiries, then every working order of it in time priority. */
  private update(token: number): void {
    if (this.disposed) return;
    if (this.busy) {
      queueMicrotask(() => {
        this.update(token);
      });
      return;
    }
    this.busy = true;
    try {
      const step = this.step();
      const now = this.now();
      this.expire(step, now);
      const ids = this.working.get(token) ?? [];
      if (ids.length > 0) {
        const quote = this.market.quote(token);
        const depth = this.market.depth(token);
        const view: MarketView = { quote, book: bookOf(quote, depth) };
        const time = marketTime(quote, depth, now);
        const pass = this.pass(step, token, view);
        for (const id of ids) {
          const o = step.edit(id);
          if (isWorking(o)) this.match(step, o, view, pass, false, time);
        }
      }
      this.commit(step);
    } catch (e) {
      // Nothing of the update was applied; the next one sees the market afresh.
      this.log(`paper broker: market update of ${token} not applied: ${String(e)}`);
    } finally {
      this.busy = false;
    }
    this.flush();
  }

  /** The order reaches the book now (placed, triggered by a modify, re-priced): match it as an arrival. */
  private arrive(step: Step, o: PaperOrder, quote: Quote | undefined, now: number): void {
    const depth = this.market.depth(o.instrumentToken);
    const view: MarketView = { quote, book: bookOf(quote, depth) };
    this.match(step, o, view, this.pass(step, o.instrumentToken, view), true, now);
  }

  private pass(step: Step, token: number, view: MarketView): MatchPass {
    let taken = step.taken.get(token);
    if (taken === undefined) {
      taken = this.taken.get(token)?.clone() ?? new TakenLiquidity();
      step.taken.set(token, taken);
    }
    taken.refresh(view.book);
    return { taken, queueFills: new Map(), autoProtectionBasisPoints: this.autoBasisPoints };
  }

  /** Runs the fill rules on `o` (the step's copy) and turns what happened into trades and reports. */
  private match(
    step: Step,
    o: PaperOrder,
    view: MarketView,
    pass: MatchPass,
    arrival: boolean,
    time: number,
  ): void {
    if (o.status !== 'OPEN' && o.status !== 'TRIGGER PENDING') return;
    const r = matchOrder({ ...o, status: o.status }, view, pass, arrival);
    o.seen = r.seen;
    o.queueAhead = r.queueAhead;
    o.protectionPrice = r.protectionPrice;
    const filledBefore = o.filledQuantity;
    let ended = false;
    for (const e of r.events) {
      if (e.type === 'triggered') {
        o.status = 'OPEN';
        o.updateTime = Math.max(o.updateTime, time);
        this.report(step, o);
      } else if (e.type === 'filled') {
        step.tradeSeq += 1;
        const t: PaperTradeRecord = {
          tradeId: `PT${pad12(step.tradeSeq)}`,
          seq: step.tradeSeq,
          orderId: o.orderId,
          instrumentToken: o.instrumentToken,
          exchange: o.exchange,
          tradingsymbol: o.tradingsymbol,
          side: o.side,
          product: o.product,
          quantity: e.quantity,
          price: e.price,
          time: Math.max(o.updateTime, time),
          tradingDate: formatIstDate(Math.max(o.updateTime, time)),
        };
        o.filledQuantity += e.quantity;
        o.fillValue += e.quantity * e.price;
        if (!Number.isSafeInteger(o.fillValue) || o.filledQuantity > o.quantity)
          throw new Error(`paper order ${o.orderId}: fill out of range`);
        step.trades.push(t);
        step.out.push({ kind: 'trade', trade: toTrade(t) });
      } else {
        o.status = 'CANCELLED';
        o.reason = e.reason;
        ended = true;
      }
    }
    if (o.filledQuantity === o.quantity) {
      o.status = 'COMPLETE';
      o.reason = null;
      ended = true;
    }
    if (ended || o.filledQuantity !== filledBefore) {
      o.updateTime = Math.max(o.updateTime, time);
      this.report(step, o);
    }
  }

  private protection(o: PaperOrder, lastPrice: number): number {
    return protectionPrice(
      o.side,
      lastPrice,
      protectionBasisPoints(o.marketProtection, this.autoBasisPoints),
    );
  }

  // ---- the book ----------------------------------------------------------------------------------

  private step(): Step {
    return new Step(this.book, this.orderSeq, this.tradeSeq);
  }

  /** Working orders placed before today expire (DAY orders end with the session); TTL orders after their minutes. */
  private expire(step: Step, now: number): void {
    const today = formatIstDate(now);
    for (const ids of this.working.values()) {
      for (const id of ids) {
        const o = step.current(id);
        if (o === undefined || !isWorking(o)) continue;
        if (o.tradingDate < today) this.finish(step, step.edit(id), 'CANCELLED', PAPER_MESSAGES.dayEnd, now);
        else if (
          o.validity === 'TTL' &&
          o.validityTtl !== null &&
          now >= o.orderTime + o.validityTtl * 60_000
        )
          this.finish(step, step.edit(id), 'CANCELLED', PAPER_MESSAGES.ttlExpired, now);
      }
    }
  }

  /** Runs the expiries for a read and returns today's IST date. */
  private housekeeping(): string {
    const step = this.step();
    const now = this.now();
    this.expire(step, now);
    this.commit(step);
    return formatIstDate(now);
  }

  private findWorking(step: Step, orderId: string, variety: Variety): PaperOrder {
    const o = step.current(orderId);
    if (o === undefined) throw rejected(PAPER_MESSAGES.notFound);
    if (variety !== o.variety) throw rejected(PAPER_MESSAGES.wrongVariety(o.variety));
    if (!isWorking(o)) throw rejected(PAPER_MESSAGES.notPending(o.status));
    return o;
  }

  private finish(step: Step, o: PaperOrder, status: PaperStatus, reason: string | null, time: number): void {
    o.status = status;
    o.reason = reason;
    o.updateTime = Math.max(o.updateTime, time);
    this.report(step, o);
  }

  private report(step: Step, o: PaperOrder): void {
    step.out.push({ kind: 'order', report: toReport(o) });
  }

  /** Writes the step in one transaction, then applies it in memory and queues its reports. */
  private commit(step: Step): void {
    const writes: PaperOrder[] = [];
    for (const o of step.edited.values()) {
      const before = this.book.get(o.orderId);
      if (step.created.has(o.orderId) || before === undefined || !samePersisted(before, o)) writes.push(o);
    }
    if (writes.length > 0 || step.trades.length > 0) {
      this.store.transaction(() => {
        for (const o of writes) {
          if (step.created.has(o.orderId)) this.store.insertOrder(o);
          else this.store.updateOrder(o);
        }
        for (const t of step.trades) this.store.insertTrade(t);
      });
    }
    const touched = new Set<number>();
    for (const o of step.edited.values()) {
      this.book.set(o.orderId, o);
      touched.add(o.instrumentToken);
      if (step.created.has(o.orderId) && isWorking(o)) {
        const ids = this.working.get(o.instrumentToken) ?? [];
        ids.push(o.orderId);
        this.working.set(o.instrumentToken, ids);
      }
    }
    for (const t of step.trades) this.addFill(t);
    for (const [token, taken] of step.taken) this.taken.set(token, taken);
    this.orderSeq = step.orderSeq;
    this.tradeSeq = step.tradeSeq;
    for (const token of touched) {
      const ids = (this.working.get(token) ?? []).filter((id) => {
        const o = this.book.get(id);
        return o !== undefined && isWorking(o);
      });
      if (ids.length > 0) this.working.set(token, ids);
      else this.working.delete(token);
      this.watch(token);
    }
    this.outbox.push(...step.out);
  }

  private addFill(t: PaperTradeRecord): void {
    this.fills.push(t);
    this.tradeSeq = Math.max(this.tradeSeq, t.seq);
    const list = this.fillsByOrder.get(t.orderId);
    if (list === undefined) this.fillsByOrder.set(t.orderId, [t]);
    else list.push(t);
  }

  /** Listens to an instrument's market while it has working orders, and only then. */
  private watch(token: number): void {
    const want = (this.working.get(token)?.length ?? 0) > 0;
    const has = this.subscriptions.get(token);
    if (want && has === undefined) {
      try {
        this.subscriptions.set(
          token,
          this.market.onUpdate(token, () => {
            this.update(token);
          }),
        );
      } catch (e) {
        this.log(`paper broker: cannot watch ${token}: ${String(e)}`);
      }
    } else if (!want && has !== undefined) {
      this.subscriptions.delete(token);
      has.dispose();
    }
  }

  // ---- calls and reports -------------------------------------------------------------------------

  /** Runs a call synchronously; its reports go out in a microtask queued before the promise settles. */
  private request<T>(fn: () => T): Promise<T> {
    if (this.disposed) return Promise.reject(rejected(PAPER_MESSAGES.closed));
    this.busy = true;
    try {
      return Promise.resolve(fn());
    } catch (e) {
      if (e instanceof VenueError) return Promise.reject(e);
      // Nothing was committed (the write is the call's last step), so nothing happened.
      return Promise.reject(rejected(`The paper broker could not record the request: ${String(e)}`));
    } finally {
      this.busy = false;
      this.queueFlush();
    }
  }

  private queueFlush(): void {
    if (this.flushQueued || this.outbox.length === 0) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /** Delivers the queued reports in order; reports queued by a listener meanwhile follow them. */
  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let m = this.outbox.shift(); m !== undefined; m = this.outbox.shift()) {
        if (m.kind === 'order') for (const l of [...this.orderListeners]) this.deliver(l, m.report);
        else for (const l of [...this.tradeListeners]) this.deliver(l, m.trade);
      }
    } finally {
      this.flushing = false;
    }
  }

  private deliver<T>(listener: (value: T) => void, value: T): void {
    try {
      listener(value);
    } catch (e) {
      this.log(`paper broker: a listener threw: ${String(e)}`);
    }
  }
}

/** The exchange's time of an update (the later of the quote's and the depth's), or the clock's. */
function marketTime(quote: Quote | undefined, depth: Depth | undefined, now: number): number {
  const t = Math.max(quote?.exchangeTime ?? 0, depth?.exchangeTime ?? 0);
  return t > 0 ? t : now;
}
