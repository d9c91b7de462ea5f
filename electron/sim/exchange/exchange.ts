// The local exchange: Kite's order rules on top of one matching book per instrument. Commands in
// (place, modify, cancel, session calls), events out through one listener, in the order they happen.
// No I/O, no timers: the clock is injected and the session clock calls openSession, closeSession,
// squareOffIntraday and expireOrders. Single-threaded.
import { toTick } from '../instruments/instruments';
import type { Instrument } from '../instruments/instruments';
import { BUY, NO_ORDER, OrderBook, SELL } from '../matching/orderBook';
import type { BookSide, FillSink } from '../matching/orderBook';
import { MESSAGES, inputError, orderError, rupees } from './messages';
import type {
  ConvertPosition,
  ConvertResult,
  ExchangeEvent,
  ExchangeOrder,
  IcebergMeta,
  KiteError,
  MarketStats,
  ModifyOrder,
  OrderResult,
  OrderStatus,
  OrderType,
  PlaceOrder,
  PlaceResult,
  Position,
  Product,
  TransactionType,
  Validity,
  Variety,
} from './types';

/** What the exchange needs from its host. */
export interface ExchangeOptions {
  readonly instruments: readonly Instrument[];
  /** Epoch ms; the exchange never reads the machine clock. */
  readonly now: () => number;
  /** Every event, synchronously, in order. Must not call back into the exchange. */
  readonly onEvent: (event: ExchangeEvent) => void;
  /** Whether the session starts open (default true). Closed: regular orders are refused, AMO queued. */
  readonly sessionOpen?: boolean;
  /** First order number (default 1), so restarts can continue a sequence. */
  readonly firstOrderNumber?: number;
}

/**
 * Automatic market protection (`market_protection = -1`), in basis points of the reference price.
 * An assumption: Kite documents "auto" but not its table.
 */
export function autoProtectionBasisPoints(referencePrice: number, divisor: number): number {
  const rupeesPrice = referencePrice / divisor;
  if (rupeesPrice < 100) return 200;
  if (rupeesPrice < 500) return 100;
  return 50;
}

const VARIETIES: readonly Variety[] = ['regular', 'amo', 'co', 'iceberg'];
const ORDER_TYPES: readonly OrderType[] = ['MARKET', 'LIMIT', 'SL', 'SL-M'];
const PRODUCTS: readonly Product[] = ['CNC', 'MIS', 'NRML'];
const VALIDITIES: readonly Validity[] = ['DAY', 'IOC', 'TTL'];

/** The shared state of one iceberg order's legs. */
interface IcebergPlan {
  readonly legs: number;
  readonly legQuantity: number;
  readonly total: number;
  /** Quantity in legs placed so far. */
  placed: number;
  leg: number;
  parentId: string;
  done: boolean;
  /** The legs' order type: an SL iceberg's later legs go straight in as LIMIT (the first triggered). */
  readonly orderType: OrderType;
}

/** The exchange's own record: the Kite-visible fields plus where the order sits. */
interface Order {
  order_id: string;
  parent_order_id: string | null;
  account: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  variety: Variety;
  transaction_type: TransactionType;
  order_type: OrderType;
  product: Product;
  validity: Validity;
  validity_ttl: number | null;
  quantity: number;
  price: number;
  trigger_price: number;
  disclosed_quantity: number;
  filled_quantity: number;
  pending_quantity: number;
  cancelled_quantity: number;
  filled_value: number;
  status: OrderStatus;
  status_message: string | null;
  tag: string | null;
  tags: string[];
  market_protection: number;
  meta: { iceberg?: IcebergMeta };
  order_timestamp: number;
  exchange_update_timestamp: number;
  // Internal.
  readonly ref: number;
  readonly market: Market;
  handle: number;
  expiresAt: number;
  iceberg: IcebergPlan | null;
  /** A cover order's entry: its stoploss leg, once the entry has filled. */
  coStopLeg: Order | null;
  /** A cover order's stoploss trigger, kept on the entry. */
  coTrigger: number;
  /** The position this order's fills go to, found on its first fill. */
  position: MutablePosition | null;
}

/** One instrument's book, last price and pending stop orders. */
interface Market {
  readonly instrument: Instrument;
  readonly book: OrderBook;
  lastPrice: number;
  readonly stops: Order[];
  readonly stats: {
    -readonly [K in keyof MarketStats]: MarketStats[K];
  };
}

interface MutablePosition {
  account: string;
  instrument_token: number;
  product: Product;
  quantity: number;
  buy_quantity: number;
  buy_value: number;
  sell_quantity: number;
  sell_value: number;
}

type Work = { kind: 'trigger'; order: Order } | { kind: 'nextLeg'; plan: IcebergPlan; from: Order };

const FILL_FIELDS = 4;

/** The local exchange. See the file comment and README.md. */
export class Exchange {
  /** exchange -> tradingsymbol -> instrument, so a lookup builds no key string. */
  private readonly instrumentsByKey = new Map<string, Map<string, Instrument>>();
  private readonly markets = new Map<number, Market>();
  private readonly byId = new Map<string, Order>();
  private readonly byRef: (Order | undefined)[] = [];
  private readonly amoQueue: Order[] = [];
  private readonly ttlOrders = new Set<Order>();
  private readonly positionMap = new Map<string, MutablePosition>();
  private readonly work: Work[] = [];
  private readonly now: () => number;
  private readonly emit: (event: ExchangeEvent) => void;
  private open: boolean;
  private orderNumber: number;
  private tradeNumber = 1;
  private idDay = -1;
  private idPrefix = '';
  // Fills of the current match, as (makerRef, takerRef, price, quantity) quads: the book's sink
  // writes here so that the exchange reacts after the match, never inside it.
  private fills = new Float64Array(256 * FILL_FIELDS);
  private fillCount = 0;
  private readonly sink: FillSink = {
    onFill: (makerRef, takerRef, price, quantity) => {
      if ((this.fillCount + 1) * FILL_FIELDS > this.fills.length) {
        const bigger = new Float64Array(this.fills.length * 2);
        bigger.set(this.fills);
        this.fills = bigger;
      }
      const at = this.fillCount++ * FILL_FIELDS;
      this.fills[at] = makerRef;
      this.fills[at + 1] = takerRef;
      this.fills[at + 2] = price;
      this.fills[at + 3] = quantity;
    },
  };

  /** Indexes the instruments; books are created on each instrument's first order. */
  constructor(options: ExchangeOptions) {
    for (const i of options.instruments) {
      let bySymbol = this.instrumentsByKey.get(i.exchange);
      if (bySymbol === undefined) {
        bySymbol = new Map();
        this.instrumentsByKey.set(i.exchange, bySymbol);
      }
      bySymbol.set(i.tradingsymbol, i);
    }
    this.now = options.now;
    this.emit = options.onEvent;
    this.open = options.sessionOpen ?? true;
    this.orderNumber = options.firstOrderNumber ?? 1;
  }

  /** Whether the session is open. */
  get sessionOpen(): boolean {
    return this.open;
  }

  /** An order by id (the last state), or undefined. */
  order(orderId: string): ExchangeOrder | undefined {
    return this.byId.get(orderId);
  }

  /** Every order, oldest first. Allocates the array. */
  orders(): ExchangeOrder[] {
    return this.byRef.filter((o): o is Order => o !== undefined);
  }

  /** An account's positions. Allocates the array. */
  positions(account: string): Position[] {
    return [...this.positionMap.values()].filter((p) => p.account === account);
  }

  /** Every account's positions. Allocates the array. */
  allPositions(): Position[] {
    return [...this.positionMap.values()];
  }

  /** The last traded price of an instrument (its previous close before any trade), or undefined. */
  lastPrice(instrumentToken: number): number | undefined {
    return this.markets.get(instrumentToken)?.lastPrice;
  }

  /** Today's trading in an instrument (live: copy what you keep); undefined before its first order. */
  marketStats(instrumentToken: number): MarketStats | undefined {
    return this.markets.get(instrumentToken)?.stats;
  }

  /** The book of an instrument, creating it if needed; undefined for an unknown or untradable token. */
  book(exchange: string, tradingsymbol: string): OrderBook | undefined {
    const i = this.instrumentsByKey.get(exchange)?.get(tradingsymbol);
    return i === undefined || !i.tradable ? undefined : this.marketOf(i).book;
  }

  /** Places an order (Kite `POST /orders/{variety}`). */
  placeOrder(p: PlaceOrder): PlaceResult {
    const checked = this.validatePlace(p);
    if ('error_type' in checked) return { ok: false, error: checked };
    const { instrument, variety } = checked;
    if (p.quantity > instrument.freezeQuantity && variety !== 'iceberg') {
      if (p.autoslice !== true) {
        return {
          ok: false,
          error: inputError(
            instrument.segment === 'NSE' || instrument.segment === 'BSE'
              ? MESSAGES.equityMax
              : MESSAGES.freeze(p.quantity, instrument.freezeQuantity),
          ),
        };
      }
      return this.autoslice(p, checked);
    }
    const order = this.newOrder(p, checked, p.quantity, null, []);
    this.route(order);
    this.drain();
    return { ok: true, order_id: order.order_id };
  }

  /** Modifies a pending order (Kite `PUT /orders/{variety}/{order_id}`). */
  modifyOrder(orderId: string, m: ModifyOrder): OrderResult {
    const o = this.byId.get(orderId);
    if (o === undefined) return { ok: false, error: orderError(MESSAGES.notFound) };
    if (!isPending(o.status)) return { ok: false, error: orderError(MESSAGES.notPending(o.status)) };
    const inst = o.market.instrument;
    const orderType = m.order_type ?? o.order_type;
    if (!ORDER_TYPES.includes(orderType as OrderType)) return fail(MESSAGES.invalid('order_type'));
    const type = orderType as OrderType;
    const quantity = m.quantity ?? o.quantity;
    const price = type === 'LIMIT' || type === 'SL' ? (m.price ?? o.price) : 0;
    const trigger = type === 'SL' || type === 'SL-M' ? (m.trigger_price ?? o.trigger_price) : 0;
    const validity = m.validity ?? o.validity;
    if (!VALIDITIES.includes(validity as Validity)) return fail(MESSAGES.invalid('validity'));
    if (o.iceberg !== null && m.quantity !== undefined && m.quantity !== o.quantity) {
      return fail(MESSAGES.icebergModifyQuantity);
    }
    const e =
      this.checkQuantity(inst, quantity) ??
      this.checkPrices(inst, type, o.transaction_type, price, trigger, o.market.lastPrice) ??
      (quantity > inst.freezeQuantity ? inputError(MESSAGES.freeze(quantity, inst.freezeQuantity)) : null) ??
      (quantity <= o.filled_quantity ? inputError(MESSAGES.modifyBelowFilled) : null) ??
      checkProtection(m.market_protection) ??
      (validity === 'TTL' ? checkTtl(m.validity_ttl ?? o.validity_ttl ?? undefined) : null);
    if (e !== null) return { ok: false, error: e };
    const circuit = circuitMessage(inst, type, price);
    if (circuit !== null) return fail(circuit);

    const left = quantity - o.filled_quantity;
    const inBook = o.handle !== NO_ORDER;
    const keepsPriority =
      inBook && type === o.order_type && price === o.price && left <= o.market.book.leftOf(o.handle);
    o.quantity = quantity;
    o.pending_quantity = left;
    o.order_type = type;
    o.price = price;
    o.trigger_price = trigger;
    o.validity = validity as Validity;
    if (m.disclosed_quantity !== undefined) o.disclosed_quantity = m.disclosed_quantity;
    if (m.market_protection !== undefined) o.market_protection = m.market_protection;
    if (o.validity === 'TTL') {
      o.validity_ttl = m.validity_ttl ?? o.validity_ttl;
      o.expiresAt = this.now() + (o.validity_ttl ?? 0) * 60_000;
      this.ttlOrders.add(o);
    } else {
      o.validity_ttl = null;
      this.ttlOrders.delete(o);
    }
    o.exchange_update_timestamp = this.now();
    if (keepsPriority) {
      o.market.book.reduce(o.handle, left);
      this.emit({ type: 'modified', order: o });
      return { ok: true, order_id: o.order_id };
    }
    // Anything else (price, type, a larger quantity) leaves the queue and joins it again at the back.
    this.pull(o);
    this.emit({ type: 'modified', order: o });
    if (o.status !== 'AMO REQ RECEIVED') this.route(o, false);
    else this.amoQueue.push(o);
    this.drain();
    return { ok: true, order_id: o.order_id };
  }

  /**
   * Cancels a pending order (Kite `DELETE /orders/{variety}/{order_id}`). For a cover order's
   * stoploss leg this is Kite's exit: the leg becomes a market order. For an iceberg leg, the
   * remaining legs are cancelled with it.
   */
  cancelOrder(orderId: string): OrderResult {
    const o = this.byId.get(orderId);
    if (o === undefined) return { ok: false, error: orderError(MESSAGES.notFound) };
    if (!isPending(o.status)) return { ok: false, error: orderError(MESSAGES.notPending(o.status)) };
    if (o.variety === 'co' && o.parent_order_id !== null && o.status === 'TRIGGER PENDING') {
      this.pull(o);
      o.order_type = 'MARKET';
      o.trigger_price = 0;
      moveTo(o, 'OPEN');
      o.exchange_update_timestamp = this.now();
      this.emit({ type: 'modified', order: o });
      this.submit(o);
      this.drain();
      return { ok: true, order_id: o.order_id };
    }
    if (o.iceberg !== null) o.iceberg.done = true;
    this.finish(o, 'cancelled', MESSAGES.userCancelled);
    this.drain();
    return { ok: true, order_id: o.order_id };
  }

  /** Opens the session: queued AMO orders go to their books in the order they arrived. */
  openSession(): void {
    this.open = true;
    const queued = this.amoQueue.splice(0);
    for (const o of queued) {
      if (o.status !== 'AMO REQ RECEIVED') continue;
      o.exchange_update_timestamp = this.now();
      this.route(o);
      this.drain();
    }
  }

  /** Closes the session: DAY and TTL orders still pending expire (CANCELLED). AMO orders stay queued. */
  closeSession(): void {
    this.open = false;
    for (const o of this.byRef) {
      if (o !== undefined && isPending(o.status) && o.status !== 'AMO REQ RECEIVED') {
        if (o.iceberg !== null) o.iceberg.done = true;
        this.finish(o, 'expired', MESSAGES.sessionClosed);
      }
    }
  }

  /** Cancels TTL orders whose time is up (call it from the session clock, e.g. once a second). */
  expireOrders(): void {
    const now = this.now();
    for (const o of [...this.ttlOrders]) {
      if (o.expiresAt <= now && isPending(o.status)) {
        if (o.iceberg !== null) o.iceberg.done = true;
        this.finish(o, 'expired', MESSAGES.ttlExpired);
      }
    }
  }

  /**
   * The MIS auto square-off (15:20 IST when market hours are on; see `SQUARE_OFF_MINUTE`): cancels
   * every pending MIS order, then closes every MIS position with a market order (tag `squareoff`).
   */
  squareOffIntraday(): void {
    for (const o of this.byRef) {
      if (o !== undefined && o.product === 'MIS' && isPending(o.status)) {
        if (o.iceberg !== null) o.iceberg.done = true;
        this.finish(o, 'cancelled', MESSAGES.squareOff);
      }
    }
    this.drain();
    for (const p of [...this.positionMap.values()]) {
      if (p.product !== 'MIS' || p.quantity === 0) continue;
      const market = this.markets.get(p.instrument_token);
      if (market === undefined) continue;
      const i = market.instrument;
      this.placeOrder({
        account: p.account,
        variety: 'regular',
        exchange: i.exchange,
        tradingsymbol: i.tradingsymbol,
        transaction_type: p.quantity > 0 ? 'SELL' : 'BUY',
        order_type: 'MARKET',
        quantity: Math.abs(p.quantity),
        product: 'MIS',
        tag: 'squareoff',
        market_protection: -1,
        autoslice: true,
      });
    }
  }

  /**
   * Kite's position conversion: moves `quantity` of the side that opened the account's position in
   * `old_product` to `new_product`, at that side's average, so the MIS square-off, margins and P&L see
   * the product the user chose. The product rules (CNC only for equities, NRML only for derivatives)
   * are Kite's API layer's; here only the position is checked. No event: no order changes.
   */
  convertPosition(c: ConvertPosition): ConvertResult {
    const from = this.positionMap.get(`${c.account}|${c.instrument_token}|${c.old_product}`);
    const held = from === undefined ? 0 : c.transaction_type === 'BUY' ? from.quantity : -from.quantity;
    if (
      from === undefined ||
      c.old_product === c.new_product ||
      !Number.isSafeInteger(c.quantity) ||
      c.quantity <= 0 ||
      held < c.quantity
    ) {
      return { ok: false, error: inputError(MESSAGES.convertQuantity) };
    }
    const market = this.markets.get(c.instrument_token);
    const lot = Math.max(1, market?.instrument.lot_size ?? 1);
    if (c.quantity % lot !== 0) return { ok: false, error: inputError(MESSAGES.lot(lot)) };
    const key = `${c.account}|${c.instrument_token}|${c.new_product}`;
    let to = this.positionMap.get(key);
    if (to === undefined) {
      to = {
        account: c.account,
        instrument_token: c.instrument_token,
        product: c.new_product,
        quantity: 0,
        buy_quantity: 0,
        buy_value: 0,
        sell_quantity: 0,
        sell_value: 0,
      };
      this.positionMap.set(key, to);
    }
    if (c.transaction_type === 'BUY') {
      const value = Math.round((from.buy_value * c.quantity) / from.buy_quantity);
      from.buy_quantity -= c.quantity;
      from.buy_value -= value;
      from.quantity -= c.quantity;
      to.buy_quantity += c.quantity;
      to.buy_value += value;
      to.quantity += c.quantity;
    } else {
      const value = Math.round((from.sell_value * c.quantity) / from.sell_quantity);
      from.sell_quantity -= c.quantity;
      from.sell_value -= value;
      from.quantity += c.quantity;
      to.sell_quantity += c.quantity;
      to.sell_value += value;
      to.quantity -= c.quantity;
    }
    return { ok: true };
  }

  /**
   * Drops a finished order (COMPLETE, CANCELLED or REJECTED) from memory: `order(id)` and `orders()`
   * stop returning it; books, positions and statistics are untouched. For accounts whose orders no one
   * reads back (the synthetic market's agents place ~2 million a day), so a day of them does not stay
   * in memory. A pending order, and an iceberg leg whose later legs may still come, are kept.
   * Returns whether the order was dropped.
   */
  forget(orderId: string): boolean {
    const o = this.byId.get(orderId);
    if (o === undefined || isPending(o.status) || (o.iceberg !== null && !o.iceberg.done)) return false;
    this.byId.delete(orderId);
    this.byRef[o.ref] = undefined;
    return true;
  }

  /** How many orders the exchange holds in memory (for memory checks and the status API). */
  get orderCount(): number {
    return this.byId.size;
  }

  // ---- placing ---------------------------------------------------------------------------------

  private validatePlace(p: PlaceOrder): KiteError | { instrument: Instrument; variety: Variety } {
    const instrument = this.instrumentsByKey.get(p.exchange)?.get(p.tradingsymbol);
    if (instrument === undefined) return inputError(MESSAGES.instrument(p.exchange, p.tradingsymbol));
    if (!instrument.tradable) return inputError(MESSAGES.notTradable);
    if (!VARIETIES.includes(p.variety as Variety)) return inputError(MESSAGES.invalid('variety'));
    const variety = p.variety as Variety;
    if (p.transaction_type !== 'BUY' && p.transaction_type !== 'SELL') {
      return inputError(MESSAGES.invalid('transaction_type'));
    }
    if (!ORDER_TYPES.includes(p.order_type as OrderType)) return inputError(MESSAGES.invalid('order_type'));
    const type = p.order_type as OrderType;
    if (!PRODUCTS.includes(p.product as Product)) return inputError(MESSAGES.invalid('product'));
    const equity = instrument.segment === 'NSE' || instrument.segment === 'BSE';
    if ((p.product === 'CNC' && !equity) || (p.product === 'NRML' && equity)) {
      return inputError(MESSAGES.product(p.product, instrument.exchange));
    }
    const validity = p.validity ?? 'DAY';
    if (!VALIDITIES.includes(validity as Validity)) return inputError(MESSAGES.invalid('validity'));
    if (validity === 'TTL') {
      const e = checkTtl(p.validity_ttl);
      if (e !== null) return e;
    }
    const q = this.checkQuantity(instrument, p.quantity);
    if (q !== null) return q;
    if ((type === 'LIMIT' || type === 'SL') && p.price === undefined)
      return inputError(MESSAGES.missing('price'));
    if ((type === 'SL' || type === 'SL-M') && p.trigger_price === undefined) {
      return inputError(MESSAGES.missing('trigger_price'));
    }
    const market = this.marketOf(instrument);
    const pr = this.checkPrices(
      instrument,
      type,
      p.transaction_type,
      p.price ?? 0,
      p.trigger_price ?? 0,
      market.lastPrice,
    );
    if (pr !== null) return pr;
    const mp = checkProtection(p.market_protection);
    if (mp !== null) return mp;
    if (variety === 'co') {
      if (type !== 'MARKET' && type !== 'LIMIT') return inputError(MESSAGES.coOrderType);
      if (p.product !== 'MIS') return inputError(MESSAGES.coProduct);
      if (p.trigger_price === undefined || !isOnTick(p.trigger_price, instrument)) {
        return inputError(MESSAGES.coTrigger);
      }
    }
    if (variety === 'iceberg') {
      const e = checkIceberg(p, instrument, type);
      if (e !== null) return e;
    }
    if (variety === 'amo' && this.open) return inputError(MESSAGES.amoDuringMarket);
    if (variety !== 'amo' && !this.open) return inputError(MESSAGES.marketClosed);
    return { instrument, variety };
  }

  private checkQuantity(i: Instrument, quantity: number): KiteError | null {
    if (!Number.isSafeInteger(quantity) || quantity <= 0) return inputError(MESSAGES.invalid('quantity'));
    if (quantity % i.lot_size !== 0) return inputError(MESSAGES.lot(i.lot_size));
    return null;
  }

  private checkPrices(
    i: Instrument,
    type: OrderType,
    side: string,
    price: number,
    trigger: number,
    lastPrice: number,
  ): KiteError | null {
    if (type === 'LIMIT' || type === 'SL') {
      if (!Number.isSafeInteger(price) || price <= 0) return inputError(MESSAGES.invalid('price'));
      if (!isOnTick(price, i)) return inputError(MESSAGES.tick(rupees(i.tick_size, i.priceDivisor)));
    }
    if (type === 'SL' || type === 'SL-M') {
      if (!Number.isSafeInteger(trigger) || trigger <= 0)
        return inputError(MESSAGES.invalid('trigger_price'));
      if (!isOnTick(trigger, i)) return inputError(MESSAGES.tick(rupees(i.tick_size, i.priceDivisor)));
      if (side === 'BUY' && trigger <= lastPrice) return inputError(MESSAGES.stopBuyTrigger);
      if (side === 'SELL' && trigger >= lastPrice) return inputError(MESSAGES.stopSellTrigger);
      if (type === 'SL' && side === 'BUY' && trigger > price) return inputError(MESSAGES.stopBuyPrice);
      if (type === 'SL' && side === 'SELL' && trigger < price) return inputError(MESSAGES.stopSellPrice);
    }
    return null;
  }

  private autoslice(p: PlaceOrder, checked: { instrument: Instrument; variety: Variety }): PlaceResult {
    const { instrument } = checked;
    const slice = Math.floor(instrument.freezeQuantity / instrument.lot_size) * instrument.lot_size;
    const children: { order_id: string }[] = [];
    let parentId = '';
    let left = p.quantity;
    while (left > 0) {
      const q = Math.min(slice, left);
      left -= q;
      // The first slice's id is the parent's: Kite answers with it and tags the rest by it.
      const id = parentId === '' ? this.peekOrderId() : parentId;
      const order = this.newOrder(p, checked, q, null, ['autoslice', `autoslice:${id}`]);
      if (parentId === '') parentId = order.order_id;
      children.push({ order_id: order.order_id });
      this.route(order);
      this.drain();
    }
    return { ok: true, order_id: parentId, children };
  }

  private newOrder(
    p: PlaceOrder,
    checked: { instrument: Instrument; variety: Variety },
    quantity: number,
    iceberg: IcebergPlan | null,
    tags: string[],
  ): Order {
    const { instrument, variety } = checked;
    const type = p.order_type as OrderType;
    const now = this.now();
    const ref = this.orderNumber++;
    const validity = (p.validity ?? 'DAY') as Validity;
    let legQuantity = quantity;
    let plan = iceberg;
    if (variety === 'iceberg' && plan === null) {
      const legs = p.iceberg_legs ?? 0;
      const per = p.iceberg_quantity ?? 0;
      plan = {
        legs,
        legQuantity: per,
        total: quantity,
        placed: 0,
        leg: 0,
        parentId: '',
        done: false,
        orderType: type,
      };
      legQuantity = quantity - per * (legs - 1);
    }
    const market = this.marketOf(instrument);
    const o: Order = {
      order_id: this.orderId(now, ref),
      parent_order_id: plan === null || plan.parentId === '' ? null : plan.parentId,
      account: p.account,
      exchange: instrument.exchange,
      tradingsymbol: instrument.tradingsymbol,
      instrument_token: instrument.instrument_token,
      variety,
      transaction_type: p.transaction_type as TransactionType,
      order_type: type,
      product: p.product as Product,
      validity,
      validity_ttl: validity === 'TTL' ? (p.validity_ttl ?? null) : null,
      quantity: legQuantity,
      price: type === 'LIMIT' || type === 'SL' ? (p.price ?? 0) : 0,
      trigger_price: variety === 'co' ? 0 : type === 'SL' || type === 'SL-M' ? (p.trigger_price ?? 0) : 0,
      disclosed_quantity: p.disclosed_quantity ?? 0,
      filled_quantity: 0,
      pending_quantity: legQuantity,
      cancelled_quantity: 0,
      filled_value: 0,
      status: variety === 'amo' ? 'AMO REQ RECEIVED' : 'OPEN',
      status_message: null,
      tag: p.tag ?? null,
      tags: p.tag === undefined ? tags : [...tags, p.tag],
      market_protection: p.market_protection ?? (type === 'MARKET' || type === 'SL-M' ? -1 : 0),
      meta: {},
      order_timestamp: now,
      exchange_update_timestamp: now,
      ref,
      market,
      handle: NO_ORDER,
      expiresAt: validity === 'TTL' ? now + (p.validity_ttl ?? 0) * 60_000 : Infinity,
      iceberg: plan,
      coStopLeg: null,
      coTrigger: variety === 'co' ? (p.trigger_price ?? 0) : 0,
      position: null,
    };
    if (plan !== null) {
      plan.leg++;
      plan.placed += legQuantity;
      if (plan.parentId === '') plan.parentId = o.order_id;
      o.meta = { iceberg: icebergMeta(plan, legQuantity) };
    }
    this.byRef[ref] = o;
    this.byId.set(o.order_id, o);
    if (validity === 'TTL') this.ttlOrders.add(o);
    return o;
  }

  /** A 19-digit order id: the UTC date of placing (`yyMMdd`), then the order number. */
  private orderId(now: number, ref: number): string {
    const day = Math.floor(now / 86_400_000);
    if (day !== this.idDay) {
      this.idDay = day;
      const d = new Date(now);
      const yy = String(d.getUTCFullYear() % 100).padStart(2, '0');
      this.idPrefix = `${yy}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
    }
    return this.idPrefix + String(ref).padStart(13, '0');
  }

  private peekOrderId(): string {
    return this.orderId(this.now(), this.orderNumber);
  }

  /**
   * Sends a new (or re-priced) order where it belongs: rejected at the circuit, queued as AMO,
   * parked as a stop, or into the book. `announce` = emit `accepted` (not for a modify).
   */
  private route(o: Order, announce = true): void {
    const circuit = circuitMessage(o.market.instrument, o.order_type, o.price);
    if (circuit !== null) {
      moveTo(o, 'REJECTED');
      o.status_message = circuit;
      o.cancelled_quantity = 0;
      o.pending_quantity = 0;
      this.ttlOrders.delete(o);
      if (o.iceberg !== null) o.iceberg.done = true;
      this.emit({ type: 'rejected', order: o, reason: circuit });
      return;
    }
    if (o.status === 'AMO REQ RECEIVED' && !this.open) {
      this.amoQueue.push(o);
      if (announce) this.emit({ type: 'accepted', order: o });
      return;
    }
    if (o.order_type === 'SL' || o.order_type === 'SL-M') {
      moveTo(o, 'TRIGGER PENDING');
      o.market.stops.push(o);
      if (announce) this.emit({ type: 'accepted', order: o });
      return;
    }
    moveTo(o, 'OPEN');
    if (announce) this.emit({ type: 'accepted', order: o });
    this.submit(o);
  }

  /** Matches an OPEN order and rests, or cancels, what is left. */
  private submit(o: Order): void {
    const market = o.market;
    const book = market.book;
    const side: BookSide = o.transaction_type === 'BUY' ? BUY : SELL;
    const isMarket = o.order_type === 'MARKET';
    const limit = isMarket ? this.protectionLimit(o) : o.price;
    this.fillCount = 0;
    const left = book.match(o.ref, side, limit, o.pending_quantity);
    this.applyFills();
    if (left === 0 || !isPending(o.status)) return;
    if (isMarket) this.finish(o, 'cancelled', MESSAGES.marketRemainder);
    else if (o.validity === 'IOC') this.finish(o, 'cancelled', MESSAGES.iocRemainder);
    else o.handle = book.rest(o.ref, side, o.price, left);
  }

  /** The worst price a market order may trade at: the reference price +- market protection. */
  private protectionLimit(o: Order): number {
    const i = o.market.instrument;
    const reference = o.market.lastPrice;
    const bp =
      o.market_protection === -1
        ? autoProtectionBasisPoints(reference, i.priceDivisor)
        : Math.round(o.market_protection * 100);
    if (o.transaction_type === 'BUY') {
      return Math.min(
        i.upperCircuit,
        toTick(Math.floor((reference * (10_000 + bp)) / 10_000), i.tick_size, false),
      );
    }
    return Math.max(
      i.lowerCircuit,
      toTick(Math.ceil((reference * (10_000 - bp)) / 10_000), i.tick_size, true),
    );
  }

  // ---- fills and what follows them ---------------------------------------------------------------

  private applyFills(): void {
    const n = this.fillCount;
    this.fillCount = 0;
    let market: Market | null = null;
    for (let k = 0; k < n; k++) {
      const at = k * FILL_FIELDS;
      const maker = this.byRef[this.fills[at] ?? -1];
      const taker = this.byRef[this.fills[at + 1] ?? -1];
      const price = this.fills[at + 2] ?? 0;
      const quantity = this.fills[at + 3] ?? 0;
      if (maker === undefined || taker === undefined) continue;
      market = maker.market;
      market.lastPrice = price;
      const st = market.stats;
      st.last_price = price;
      st.last_quantity = quantity;
      st.last_trade_time = this.now();
      st.volume += quantity;
      st.turnover += price * quantity;
      if (st.open === 0) st.open = price;
      if (price > st.high) st.high = price;
      if (st.low === 0 || price < st.low) st.low = price;
      const tradeNumber = this.tradeNumber++;
      this.fill(maker, price, quantity, true, tradeNumber);
      this.fill(taker, price, quantity, false, tradeNumber);
    }
    if (market !== null) this.checkStops(market);
  }

  private fill(o: Order, price: number, quantity: number, maker: boolean, tradeNumber: number): void {
    const now = this.now();
    o.filled_quantity += quantity;
    o.pending_quantity -= quantity;
    o.filled_value += price * quantity;
    o.exchange_update_timestamp = now;
    if (o.pending_quantity === 0) {
      moveTo(o, 'COMPLETE');
      o.handle = NO_ORDER;
      this.ttlOrders.delete(o);
    }
    if (o.meta.iceberg !== undefined && o.iceberg !== null) {
      o.meta = {
        iceberg: { ...o.meta.iceberg, remaining_quantity: o.meta.iceberg.remaining_quantity - quantity },
      };
    }
    this.addPosition(o, price, quantity);
    this.emit({
      type: 'trade',
      order: o,
      trade: {
        trade_id: String(tradeNumber).padStart(8, '0'),
        order_id: o.order_id,
        account: o.account,
        instrument_token: o.instrument_token,
        transaction_type: o.transaction_type,
        product: o.product,
        price,
        quantity,
        maker,
        fill_timestamp: now,
      },
    });
    if (o.variety === 'co' && o.parent_order_id === null) this.coverStop(o, quantity);
    const plan = o.iceberg;
    if (o.status === 'COMPLETE' && plan !== null && !plan.done && plan.placed < plan.total) {
      this.work.push({ kind: 'nextLeg', plan, from: o });
    }
  }

  /** A cover order's entry filled `quantity`: its stoploss leg grows by as much (created first time). */
  private coverStop(entry: Order, quantity: number): void {
    const leg = entry.coStopLeg;
    if (leg !== null && isPending(leg.status)) {
      leg.quantity += quantity;
      leg.pending_quantity += quantity;
      leg.exchange_update_timestamp = this.now();
      this.emit({ type: 'modified', order: leg });
      return;
    }
    const ref = this.orderNumber++;
    const now = this.now();
    const stop: Order = {
      ...entry,
      order_id: this.orderId(now, ref),
      parent_order_id: entry.order_id,
      transaction_type: entry.transaction_type === 'BUY' ? 'SELL' : 'BUY',
      order_type: 'SL-M',
      validity: 'DAY',
      validity_ttl: null,
      quantity,
      price: 0,
      trigger_price: entry.coTrigger,
      filled_quantity: 0,
      pending_quantity: quantity,
      cancelled_quantity: 0,
      filled_value: 0,
      status: 'TRIGGER PENDING',
      status_message: null,
      tags: [...entry.tags],
      market_protection: -1,
      meta: {},
      order_timestamp: now,
      exchange_update_timestamp: now,
      ref,
      handle: NO_ORDER,
      expiresAt: Infinity,
      iceberg: null,
      coStopLeg: null,
      coTrigger: 0,
      position: null,
    };
    entry.coStopLeg = stop;
    this.byRef[ref] = stop;
    this.byId.set(stop.order_id, stop);
    entry.market.stops.push(stop);
    this.emit({ type: 'accepted', order: stop });
  }

  private checkStops(market: Market): void {
    const ltp = market.lastPrice;
    const stops = market.stops;
    let kept = 0;
    for (const s of stops) {
      const hit = s.transaction_type === 'BUY' ? ltp >= s.trigger_price : ltp <= s.trigger_price;
      if (hit && s.status === 'TRIGGER PENDING') this.work.push({ kind: 'trigger', order: s });
      else stops[kept++] = s;
    }
    stops.length = kept;
  }

  /** Runs what fills set off (triggered stops, next iceberg legs) until nothing is left. */
  private drain(): void {
    for (let w = this.work.shift(); w !== undefined; w = this.work.shift()) {
      if (w.kind === 'trigger') {
        const o = w.order;
        if (o.status !== 'TRIGGER PENDING') continue;
        o.order_type = o.order_type === 'SL' ? 'LIMIT' : 'MARKET';
        moveTo(o, 'OPEN');
        o.exchange_update_timestamp = this.now();
        this.emit({ type: 'triggered', order: o });
        this.submit(o);
      } else {
        const { plan, from } = w;
        if (plan.done) continue;
        const quantity = Math.min(plan.legQuantity, plan.total - plan.placed);
        const p: PlaceOrder = {
          account: from.account,
          variety: 'iceberg',
          exchange: from.exchange,
          tradingsymbol: from.tradingsymbol,
          transaction_type: from.transaction_type,
          order_type: plan.orderType === 'SL' ? 'LIMIT' : plan.orderType,
          quantity,
          product: from.product,
          price: from.price,
          validity: from.validity,
          ...(from.validity_ttl === null ? {} : { validity_ttl: from.validity_ttl }),
          ...(from.tag === null ? {} : { tag: from.tag }),
        };
        const leg = this.newOrder(
          p,
          { instrument: from.market.instrument, variety: 'iceberg' },
          quantity,
          plan,
          [],
        );
        this.route(leg);
      }
    }
  }

  private addPosition(o: Order, price: number, quantity: number): void {
    let p = o.position ?? this.positionMap.get(`${o.account}|${o.instrument_token}|${o.product}`);
    if (p === undefined) {
      p = {
        account: o.account,
        instrument_token: o.instrument_token,
        product: o.product,
        quantity: 0,
        buy_quantity: 0,
        buy_value: 0,
        sell_quantity: 0,
        sell_value: 0,
      };
      this.positionMap.set(`${o.account}|${o.instrument_token}|${o.product}`, p);
    }
    o.position = p;
    if (o.transaction_type === 'BUY') {
      p.quantity += quantity;
      p.buy_quantity += quantity;
      p.buy_value += price * quantity;
    } else {
      p.quantity -= quantity;
      p.sell_quantity += quantity;
      p.sell_value += price * quantity;
    }
  }

  // ---- leaving ---------------------------------------------------------------------------------

  /** Takes a pending order out of its book, stop list or AMO queue (it stays pending). */
  private pull(o: Order): void {
    if (o.handle !== NO_ORDER) {
      o.market.book.cancel(o.handle);
      o.handle = NO_ORDER;
    }
    const s = o.market.stops.indexOf(o);
    if (s >= 0) o.market.stops.splice(s, 1);
    const a = this.amoQueue.indexOf(o);
    if (a >= 0) this.amoQueue.splice(a, 1);
  }

  /** Ends a pending order as CANCELLED, reporting `cancelled` or `expired`. */
  private finish(o: Order, how: 'cancelled' | 'expired', reason: string): void {
    this.pull(o);
    o.cancelled_quantity = o.pending_quantity;
    o.pending_quantity = 0;
    moveTo(o, 'CANCELLED');
    o.status_message = reason;
    o.exchange_update_timestamp = this.now();
    this.ttlOrders.delete(o);
    if (how === 'expired') this.emit({ type: 'expired', order: o });
    else this.emit({ type: 'cancelled', order: o, reason });
  }

  private marketOf(i: Instrument): Market {
    let m = this.markets.get(i.instrument_token);
    if (m === undefined) {
      m = {
        instrument: i,
        book: new OrderBook(
          { tick: i.tick_size, lower: i.lowerCircuit, upper: i.upperCircuit },
          this.sink,
          256,
        ),
        lastPrice: i.last_price,
        stops: [],
        stats: {
          instrument_token: i.instrument_token,
          last_price: i.last_price,
          last_quantity: 0,
          last_trade_time: 0,
          volume: 0,
          turnover: 0,
          open: 0,
          high: 0,
          low: 0,
          close: i.last_price,
        },
      };
      this.markets.set(i.instrument_token, m);
    }
    return m;
  }
}

/**
 * The order lifecycle: every status change the exchange makes, and nothing else. An order is born
 * OPEN or AMO REQ RECEIVED. Re-entering a pending status is a modify (it left the queue and came back).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  'AMO REQ RECEIVED': ['OPEN', 'TRIGGER PENDING', 'REJECTED', 'CANCELLED'],
  OPEN: ['OPEN', 'TRIGGER PENDING', 'COMPLETE', 'CANCELLED', 'REJECTED'],
  'TRIGGER PENDING': ['TRIGGER PENDING', 'OPEN', 'CANCELLED'],
  COMPLETE: [],
  CANCELLED: [],
  REJECTED: [],
};

/** Changes an order's status, or throws: a transition not in the table is a bug, never guessed at. */
function moveTo(o: Order, next: OrderStatus): void {
  if (!ORDER_TRANSITIONS[o.status].includes(next)) {
    throw new Error(`order ${o.order_id}: no transition ${o.status} -> ${next}`);
  }
  o.status = next;
}

function fail(message: string): OrderResult {
  return { ok: false, error: inputError(message) };
}

function isPending(s: OrderStatus): boolean {
  return s === 'OPEN' || s === 'TRIGGER PENDING' || s === 'AMO REQ RECEIVED';
}

function isOnTick(price: number, i: Instrument): boolean {
  return Number.isSafeInteger(price) && price % i.tick_size === 0;
}

function circuitMessage(i: Instrument, type: OrderType, price: number): string | null {
  if (type !== 'LIMIT' && type !== 'SL') return null;
  if (price > i.upperCircuit) return MESSAGES.upperCircuit(rupees(i.upperCircuit, i.priceDivisor));
  if (price < i.lowerCircuit) return MESSAGES.lowerCircuit(rupees(i.lowerCircuit, i.priceDivisor));
  return null;
}

function checkProtection(mp: number | undefined): KiteError | null {
  if (mp === undefined || mp === -1 || (Number.isFinite(mp) && mp > 0 && mp <= 100)) return null;
  return inputError(MESSAGES.marketProtection);
}

function checkTtl(ttl: number | undefined): KiteError | null {
  return ttl !== undefined && Number.isSafeInteger(ttl) && ttl >= 1 && ttl <= 1440
    ? null
    : inputError(MESSAGES.ttl);
}

function checkIceberg(p: PlaceOrder, i: Instrument, type: OrderType): KiteError | null {
  if (type !== 'LIMIT' && type !== 'SL') return inputError(MESSAGES.icebergOrderType);
  const legs = p.iceberg_legs;
  if (legs === undefined || !Number.isSafeInteger(legs) || legs < 2 || legs > 50) {
    return inputError(MESSAGES.icebergLegs);
  }
  const per = p.iceberg_quantity;
  if (per === undefined || !Number.isSafeInteger(per) || per <= 0 || per % i.lot_size !== 0) {
    return inputError(MESSAGES.icebergQuantity);
  }
  const first = p.quantity - per * (legs - 1);
  if (first < per || first > 2 * per) return inputError(MESSAGES.icebergQuantity);
  if (first > i.freezeQuantity) return inputError(MESSAGES.freeze(first, i.freezeQuantity));
  return null;
}

function icebergMeta(plan: IcebergPlan, legQuantity: number): IcebergMeta {
  return {
    leg: plan.leg,
    legs: plan.legs,
    leg_quantity: legQuantity,
    total_quantity: plan.total,
    remaining_quantity: plan.total - plan.placed + legQuantity,
  };
}
