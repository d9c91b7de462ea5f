/**
 * TEST DOUBLE. A tiny in-memory KiteVenue for the protocol layer's tests and for running the server
 * before the matching engine exists ("venue: stub"). It is not an exchange: a MARKET order fills
 * at once at the last price, a LIMIT order rests until `fillOrder` is called or it is cancelled,
 * nothing is matched against anything, margins and charges are fixed numbers. Everything it returns
 * has Kite's shape, so the REST and WebSocket layers can be tested end to end with the official
 * client.
 */
import type { Disposable } from '../../../../shared/disposable';
import { toDisposable } from '../../../../shared/disposable';
import { priceDivisor, segmentOfToken, toPrice } from '../../../../shared/domain/money';
import type { TickSnapshot } from '../../../../shared/kite/tickPacket';
import { formatIstDateTime } from '../../../../shared/time/ist';
import { formatCandleTime } from '../time';
import { fail, ok } from '../venue';
import type {
  ContractNoteOrderParams,
  ConvertPositionParams,
  GttParams,
  HistoricalQuery,
  KiteCandle,
  KiteGtt,
  KiteHolding,
  KiteInstrumentRow,
  KiteMargins,
  KiteOrder,
  KitePlaceOrderResult,
  KitePosition,
  KitePositions,
  KiteQuote,
  KiteResult,
  KiteTrade,
  KiteVariety,
  KiteVenue,
  MarginOrderParams,
  ModifyOrderParams,
  PlaceOrderParams,
} from '../venue';

/** An instrument of the test double, with its starting state in rupees. */
export interface MemoryInstrument {
  readonly row: KiteInstrumentRow;
  readonly lastPrice: number;
  readonly close: number;
}

/** Instruments the test double knows by default: an NSE equity and an index. */
export const MEMORY_INSTRUMENTS: readonly MemoryInstrument[] = [
  {
    row: {
      instrument_token: 408065,
      exchange_token: 1594,
      tradingsymbol: 'INFY',
      name: 'INFOSYS',
      last_price: 0,
      expiry: '',
      strike: 0,
      tick_size: 0.05,
      lot_size: 1,
      instrument_type: 'EQ',
      segment: 'NSE',
      exchange: 'NSE',
    },
    lastPrice: 1500.5,
    close: 1490,
  },
  {
    row: {
      instrument_token: 256265,
      exchange_token: 1001,
      tradingsymbol: 'NIFTY 50',
      name: 'NIFTY 50',
      last_price: 0,
      expiry: '',
      strike: 0,
      tick_size: 0,
      lot_size: 0,
      instrument_type: 'EQ',
      segment: 'INDICES',
      exchange: 'NSE',
    },
    lastPrice: 24_500.25,
    close: 24_400,
  },
];

interface InstrumentState {
  readonly instrument: MemoryInstrument;
  readonly divisor: number;
  snapshot: TickSnapshot;
  readonly listeners: Set<(snapshot: TickSnapshot) => void>;
}

interface OrderState {
  history: KiteOrder[];
  readonly trades: KiteTrade[];
}

const TERMINAL = new Set(['COMPLETE', 'CANCELLED', 'REJECTED']);

/** TEST DOUBLE of KiteVenue; see the file comment. Deterministic: ids count up, time is injected. */
export class MemoryVenue implements KiteVenue {
  private readonly byToken = new Map<number, InstrumentState>();
  private readonly byKey = new Map<string, InstrumentState>();
  private readonly orderStates = new Map<string, OrderState>();
  private readonly orderListeners = new Set<(order: KiteOrder) => void>();
  private readonly gttStore = new Map<number, KiteGtt>();
  private nextOrder = 1;
  private nextTrade = 1;
  private nextGtt = 1;

  constructor(
    private readonly now: () => number = Date.now,
    instruments: readonly MemoryInstrument[] = MEMORY_INSTRUMENTS,
  ) {
    for (const instrument of instruments) {
      const token = instrument.row.instrument_token;
      const divisor = priceDivisor(segmentOfToken(token));
      const last = toPrice(instrument.lastPrice, divisor);
      const close = toPrice(instrument.close, divisor);
      const state: InstrumentState = {
        instrument,
        divisor,
        listeners: new Set(),
        snapshot: {
          instrumentToken: token,
          lastPrice: last,
          lastQuantity: 10,
          averagePrice: last,
          volume: 1000,
          buyQuantity: 500,
          sellQuantity: 700,
          open: close,
          high: Math.max(last, close),
          low: Math.min(last, close),
          close,
          lastTradeTime: Math.floor(now() / 1000),
          oi: 0,
          oiDayHigh: 0,
          oiDayLow: 0,
          exchangeTimestamp: Math.floor(now() / 1000),
          bids: [{ price: last - 5, quantity: 100, orders: 2 }],
          asks: [{ price: last + 5, quantity: 150, orders: 3 }],
        },
      };
      this.byToken.set(token, state);
      this.byKey.set(`${instrument.row.exchange}:${instrument.row.tradingsymbol}`, state);
    }
  }

  /** Test control: a new last price (rupees) for an instrument; watchers get the snapshot. */
  setLastPrice(instrumentToken: number, lastPrice: number): void {
    const s = this.byToken.get(instrumentToken);
    if (s === undefined) throw new Error(`unknown token ${instrumentToken}`);
    const price = toPrice(lastPrice, s.divisor);
    const seconds = Math.floor(this.now() / 1000);
    s.snapshot = {
      ...s.snapshot,
      lastPrice: price,
      high: Math.max(s.snapshot.high, price),
      low: Math.min(s.snapshot.low, price),
      volume: s.snapshot.volume + 1,
      lastTradeTime: seconds,
      exchangeTimestamp: seconds,
    };
    for (const listener of [...s.listeners]) listener(s.snapshot);
  }

  /** Test control: fills a resting order completely at its limit price. */
  fillOrder(orderId: string): void {
    const state = this.orderStates.get(orderId);
    const last = state?.history.at(-1);
    if (state === undefined || last === undefined || TERMINAL.has(last.status))
      throw new Error(`cannot fill ${orderId}`);
    this.fill(state, last, last.price);
  }

  placeOrder(variety: KiteVariety, p: PlaceOrderParams): KiteResult<KitePlaceOrderResult> {
    const s = this.byKey.get(`${p.exchange}:${p.tradingsymbol}`);
    if (s === undefined) return fail('InputException', 'Invalid `tradingsymbol`.');
    if (s.instrument.row.segment === 'INDICES') return fail('InputException', 'Instrument is not tradable.');
    const orderId = String(260_000_000_000_000 + this.nextOrder++);
    const timestamp = formatIstDateTime(this.now());
    const price = p.price === undefined ? 0 : Number(p.price);
    const order: KiteOrder = {
      placed_by: 'SIM001',
      order_id: orderId,
      exchange_order_id: null,
      parent_order_id: null,
      status: 'OPEN PENDING',
      status_message: null,
      status_message_raw: null,
      order_timestamp: timestamp,
      exchange_update_timestamp: null,
      exchange_timestamp: null,
      variety,
      modified: false,
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      instrument_token: s.instrument.row.instrument_token,
      order_type: p.order_type,
      transaction_type: p.transaction_type,
      validity: p.validity,
      validity_ttl: p.validity_ttl ?? 0,
      product: p.product,
      quantity: p.quantity,
      disclosed_quantity: p.disclosed_quantity ?? 0,
      price,
      trigger_price: p.trigger_price === undefined ? 0 : Number(p.trigger_price),
      average_price: 0,
      filled_quantity: 0,
      pending_quantity: p.quantity,
      cancelled_quantity: 0,
      market_protection: p.market_protection ?? 0,
      meta: {},
      tag: p.tag ?? null,
      ...(p.tag === undefined ? {} : { tags: [p.tag] }),
      guid: `sim-${orderId}`,
    };
    const state: OrderState = { history: [], trades: [] };
    this.orderStates.set(orderId, state);
    this.record(state, order);
    const open = this.record(state, {
      ...order,
      status: 'OPEN',
      exchange_order_id: String(1_100_000_000_000_000 + this.nextOrder),
      exchange_timestamp: timestamp,
      exchange_update_timestamp: timestamp,
    });
    if (p.order_type === 'MARKET') this.fill(state, open, s.snapshot.lastPrice / s.divisor);
    return ok({ order_id: orderId });
  }

  modifyOrder(
    _variety: KiteVariety,
    orderId: string,
    p: ModifyOrderParams,
  ): KiteResult<{ order_id: string }> {
    const state = this.orderStates.get(orderId);
    const last = state?.history.at(-1);
    if (state === undefined || last === undefined)
      return fail('OrderException', "Couldn't find that `order_id`.");
    if (TERMINAL.has(last.status))
      return fail(
        'InputException',
        `Maximum allowed order modifications exceeded or order is ${last.status.toLowerCase()}.`,
      );
    const quantity = p.quantity ?? last.quantity;
    this.record(state, {
      ...last,
      status: 'OPEN',
      modified: true,
      quantity,
      pending_quantity: quantity - last.filled_quantity,
      price: p.price === undefined ? last.price : Number(p.price),
      trigger_price: p.trigger_price === undefined ? last.trigger_price : Number(p.trigger_price),
      order_type: p.order_type ?? last.order_type,
      validity: p.validity ?? last.validity,
      exchange_update_timestamp: formatIstDateTime(this.now()),
    });
    return ok({ order_id: orderId });
  }

  cancelOrder(_variety: KiteVariety, orderId: string): KiteResult<{ order_id: string }> {
    const state = this.orderStates.get(orderId);
    const last = state?.history.at(-1);
    if (state === undefined || last === undefined)
      return fail('OrderException', "Couldn't find that `order_id`.");
    if (TERMINAL.has(last.status))
      return fail('InputException', `Order cannot be cancelled as it is ${last.status.toLowerCase()}.`);
    this.record(state, {
      ...last,
      status: 'CANCELLED',
      cancelled_quantity: last.pending_quantity,
      pending_quantity: 0,
      exchange_update_timestamp: formatIstDateTime(this.now()),
    });
    return ok({ order_id: orderId });
  }

  orders(): KiteResult<readonly KiteOrder[]> {
    return ok([...this.orderStates.values()].flatMap((s) => s.history.slice(-1)));
  }

  orderHistory(orderId: string): KiteResult<readonly KiteOrder[]> {
    const state = this.orderStates.get(orderId);
    return state === undefined ? fail('OrderException', "Couldn't find that `order_id`.") : ok(state.history);
  }

  trades(): KiteResult<readonly KiteTrade[]> {
    return ok([...this.orderStates.values()].flatMap((s) => s.trades));
  }

  orderTrades(orderId: string): KiteResult<readonly KiteTrade[]> {
    const state = this.orderStates.get(orderId);
    return state === undefined ? fail('OrderException', "Couldn't find that `order_id`.") : ok(state.trades);
  }

  positions(): KiteResult<KitePositions> {
    const rows = new Map<string, KitePosition>();
    for (const trade of [...this.orderStates.values()].flatMap((s) => s.trades)) {
      const key = `${trade.instrument_token}:${trade.product}`;
      const s = this.byToken.get(trade.instrument_token);
      const lastPrice = s === undefined ? 0 : s.snapshot.lastPrice / s.divisor;
      const p = rows.get(key) ?? emptyPosition(trade, lastPrice);
      const buy = trade.transaction_type === 'BUY';
      const value = trade.quantity * trade.average_price;
      const buyQuantity = p.buy_quantity + (buy ? trade.quantity : 0);
      const sellQuantity = p.sell_quantity + (buy ? 0 : trade.quantity);
      const buyValue = p.buy_value + (buy ? value : 0);
      const sellValue = p.sell_value + (buy ? 0 : value);
      const quantity = buyQuantity - sellQuantity;
      const pnl = sellValue - buyValue + quantity * lastPrice;
      rows.set(key, {
        ...p,
        quantity,
        buy_quantity: buyQuantity,
        sell_quantity: sellQuantity,
        buy_value: buyValue,
        sell_value: sellValue,
        buy_price: buyQuantity === 0 ? 0 : buyValue / buyQuantity,
        sell_price: sellQuantity === 0 ? 0 : sellValue / sellQuantity,
        day_buy_quantity: buyQuantity,
        day_sell_quantity: sellQuantity,
        day_buy_value: buyValue,
        day_sell_value: sellValue,
        day_buy_price: buyQuantity === 0 ? 0 : buyValue / buyQuantity,
        day_sell_price: sellQuantity === 0 ? 0 : sellValue / sellQuantity,
        average_price:
          quantity > 0
            ? buyValue / Math.max(buyQuantity, 1)
            : quantity < 0
              ? sellValue / Math.max(sellQuantity, 1)
              : 0,
        value: sellValue - buyValue,
        pnl,
        m2m: pnl,
        unrealised: pnl,
      });
    }
    const net = [...rows.values()];
    return ok({ net, day: net });
  }

  convertPosition(_p: ConvertPositionParams): KiteResult<boolean> {
    return ok(true);
  }

  holdings(): KiteResult<readonly KiteHolding[]> {
    return ok([holding()]);
  }

  auctionInstruments(): KiteResult<readonly KiteHolding[]> {
    return ok([{ ...holding(), auction_number: '20' }]);
  }

  margins(): KiteResult<KiteMargins> {
    const segment = {
      enabled: true,
      net: 1_000_000,
      available: {
        adhoc_margin: 0,
        cash: 1_000_000,
        opening_balance: 1_000_000,
        live_balance: 1_000_000,
        collateral: 0,
        intraday_payin: 0,
      },
      utilised: {
        debits: 0,
        exposure: 0,
        m2m_realised: 0,
        m2m_unrealised: 0,
        option_premium: 0,
        payout: 0,
        span: 0,
        holding_sales: 0,
        turnover: 0,
        liquid_collateral: 0,
        stock_collateral: 0,
        delivery: 0,
      },
    };
    return ok({ equity: segment, commodity: { ...segment, net: 0, enabled: true } });
  }

  orderMargins(orders: readonly MarginOrderParams[]): KiteResult<readonly unknown[]> {
    return ok(orders.map(marginRow));
  }

  basketMargins(orders: readonly MarginOrderParams[]): KiteResult<unknown> {
    const rows = orders.map(marginRow);
    const total = rows.reduce((sum, r) => sum + r.total, 0);
    const sum = { ...marginRow(orders[0] ?? EMPTY_MARGIN_ORDER), total };
    return ok({ initial: sum, final: sum, orders: rows, charges: charges(0) });
  }

  contractNote(orders: readonly ContractNoteOrderParams[]): KiteResult<readonly unknown[]> {
    return ok(
      orders.map((o) => ({
        transaction_type: o.transaction_type,
        tradingsymbol: o.tradingsymbol,
        exchange: o.exchange,
        variety: o.variety,
        product: o.product,
        order_type: o.order_type,
        quantity: o.quantity,
        price: o.average_price,
        charges: charges(o.quantity * o.average_price),
      })),
    );
  }

  quotes(keys: readonly string[]): KiteResult<Readonly<Record<string, KiteQuote>>> {
    const out: Record<string, KiteQuote> = {};
    for (const key of keys) {
      const s = /^\d+$/.test(key) ? this.byToken.get(Number(key)) : this.byKey.get(key);
      if (s !== undefined) out[key] = this.quote(s);
    }
    return ok(out);
  }

  instruments(exchange: string | undefined): KiteResult<readonly KiteInstrumentRow[]> {
    const rows = [...this.byToken.values()].map((s) => ({
      ...s.instrument.row,
      last_price: s.instrument.close,
    }));
    return ok(exchange === undefined ? rows : rows.filter((r) => r.exchange === exchange));
  }

  historical(q: HistoricalQuery): KiteResult<{ candles: readonly KiteCandle[] }> {
    const s = this.byToken.get(q.instrumentToken);
    if (s === undefined) return fail('InputException', 'invalid token');
    const step = q.interval === 'day' ? 86_400_000 : 60_000 * (Number.parseInt(q.interval, 10) || 1);
    const candles: KiteCandle[] = [];
    const base = s.instrument.close;
    for (let t = q.from, i = 0; t <= q.to && candles.length < 10_000; t += step, i++) {
      const open = base + (i % 7) * 0.5;
      const row = [formatCandleTime(t), open, open + 2, open - 1.5, open + 0.5, 1000 + i] as const;
      candles.push(q.oi ? [...row, 5000 + i] : row);
    }
    return ok({ candles });
  }

  gtts(): KiteResult<readonly KiteGtt[]> {
    return ok([...this.gttStore.values()]);
  }

  gtt(triggerId: number): KiteResult<KiteGtt> {
    const g = this.gttStore.get(triggerId);
    return g === undefined ? fail('InputException', 'Invalid trigger ID.') : ok(g);
  }

  placeGtt(p: GttParams): KiteResult<{ trigger_id: number }> {
    const id = this.nextGtt++;
    this.gttStore.set(id, this.gttRow(id, p, formatIstDateTime(this.now())));
    return ok({ trigger_id: id });
  }

  modifyGtt(triggerId: number, p: GttParams): KiteResult<{ trigger_id: number }> {
    const g = this.gttStore.get(triggerId);
    if (g === undefined) return fail('InputException', 'Invalid trigger ID.');
    this.gttStore.set(triggerId, {
      ...this.gttRow(triggerId, p, g.created_at),
      updated_at: formatIstDateTime(this.now()),
    });
    return ok({ trigger_id: triggerId });
  }

  deleteGtt(triggerId: number): KiteResult<{ trigger_id: number }> {
    if (!this.gttStore.delete(triggerId)) return fail('InputException', 'Invalid trigger ID.');
    return ok({ trigger_id: triggerId });
  }

  onOrderUpdate(listener: (order: KiteOrder) => void): Disposable {
    this.orderListeners.add(listener);
    return toDisposable(() => this.orderListeners.delete(listener));
  }

  snapshot(instrumentToken: number): TickSnapshot | undefined {
    return this.byToken.get(instrumentToken)?.snapshot;
  }

  watchInstrument(
    instrumentToken: number,
    listener: (snapshot: TickSnapshot) => void,
  ): Disposable | undefined {
    const s = this.byToken.get(instrumentToken);
    if (s === undefined) return undefined;
    s.listeners.add(listener);
    return toDisposable(() => s.listeners.delete(listener));
  }

  /** Watchers per token, for tests of subscription bookkeeping. */
  watcherCount(instrumentToken: number): number {
    return this.byToken.get(instrumentToken)?.listeners.size ?? 0;
  }

  private quote(s: InstrumentState): KiteQuote {
    const q = s.snapshot;
    const d = s.divisor;
    const last = q.lastPrice / d;
    const close = q.close / d;
    const level = (l: {
      price: number;
      quantity: number;
      orders: number;
    }): { price: number; quantity: number; orders: number } => ({
      price: l.price / d,
      quantity: l.quantity,
      orders: l.orders,
    });
    return {
      instrument_token: q.instrumentToken,
      timestamp: formatIstDateTime(q.exchangeTimestamp * 1000),
      last_trade_time: q.lastTradeTime === 0 ? null : formatIstDateTime(q.lastTradeTime * 1000),
      last_price: last,
      last_quantity: q.lastQuantity,
      buy_quantity: q.buyQuantity,
      sell_quantity: q.sellQuantity,
      volume: q.volume,
      average_price: q.averagePrice / d,
      oi: q.oi,
      oi_day_high: q.oiDayHigh,
      oi_day_low: q.oiDayLow,
      net_change: Math.round((last - close) * 100) / 100,
      lower_circuit_limit: Math.round(close * 0.8 * 20) / 20,
      upper_circuit_limit: Math.round(close * 1.2 * 20) / 20,
      ohlc: { open: q.open / d, high: q.high / d, low: q.low / d, close },
      depth: { buy: q.bids.map(level), sell: q.asks.map(level) },
    };
  }

  private record(state: OrderState, order: KiteOrder): KiteOrder {
    state.history.push(order);
    for (const listener of [...this.orderListeners]) listener(order);
    return order;
  }

  private fill(state: OrderState, order: KiteOrder, price: number): void {
    const timestamp = formatIstDateTime(this.now());
    state.trades.push({
      trade_id: String(90_000_000 + this.nextTrade++),
      order_id: order.order_id,
      exchange: order.exchange,
      tradingsymbol: order.tradingsymbol,
      instrument_token: order.instrument_token,
      product: order.product,
      average_price: price,
      quantity: order.pending_quantity,
      exchange_order_id: order.exchange_order_id ?? '',
      transaction_type: order.transaction_type,
      fill_timestamp: timestamp,
      order_timestamp: timestamp.slice(11),
      exchange_timestamp: timestamp,
    });
    this.record(state, {
      ...order,
      status: 'COMPLETE',
      average_price: price,
      filled_quantity: order.quantity,
      pending_quantity: 0,
      exchange_update_timestamp: timestamp,
    });
  }

  private gttRow(id: number, p: GttParams, createdAt: string): KiteGtt {
    const s = this.byKey.get(`${p.condition.exchange}:${p.condition.tradingsymbol}`);
    return {
      id,
      user_id: 'SIM001',
      parent_trigger: null,
      type: p.type,
      created_at: createdAt,
      updated_at: createdAt,
      expires_at: createdAt.replace(/^(\d{4})/, (y) => String(Number(y) + 1)),
      status: 'active',
      condition: { ...p.condition, instrument_token: s?.instrument.row.instrument_token ?? 0 },
      orders: p.orders.map((o) => ({ ...o, result: null })),
      meta: {},
    };
  }
}

const EMPTY_MARGIN_ORDER: MarginOrderParams = {
  exchange: 'NSE',
  tradingsymbol: '',
  transaction_type: 'BUY',
  variety: 'regular',
  product: 'CNC',
  order_type: 'MARKET',
  quantity: 1,
};

function charges(turnover: number): Record<string, unknown> {
  const brokerage = Math.min(20, turnover * 0.0003);
  return {
    transaction_tax: 0,
    transaction_tax_type: 'stt',
    exchange_turnover_charge: 0,
    sebi_turnover_charge: 0,
    brokerage,
    stamp_duty: 0,
    gst: { igst: 0, cgst: 0, sgst: 0, total: 0 },
    total: brokerage,
  };
}

function marginRow(o: MarginOrderParams): {
  type: string;
  tradingsymbol: string;
  exchange: string;
  total: number;
  [k: string]: unknown;
} {
  const value = o.quantity * (o.price ?? 0);
  return {
    type: 'equity',
    tradingsymbol: o.tradingsymbol,
    exchange: o.exchange,
    span: 0,
    exposure: 0,
    option_premium: 0,
    additional: 0,
    bo: 0,
    cash: 0,
    var: value,
    pnl: { realised: 0, unrealised: 0 },
    leverage: 1,
    charges: charges(value),
    total: value,
  };
}

function holding(): KiteHolding {
  return {
    tradingsymbol: 'INFY',
    exchange: 'NSE',
    instrument_token: 408065,
    isin: 'INE009A01021',
    product: 'CNC',
    price: 0,
    quantity: 10,
    used_quantity: 0,
    t1_quantity: 0,
    realised_quantity: 10,
    authorised_quantity: 0,
    authorised_date: '2026-01-01 00:00:00',
    authorisation: {},
    opening_quantity: 10,
    short_quantity: 0,
    collateral_quantity: 0,
    collateral_type: '',
    discrepancy: false,
    average_price: 1400,
    last_price: 1500.5,
    close_price: 1490,
    pnl: 1005,
    day_change: 10.5,
    day_change_percentage: 0.7,
    mtf: { quantity: 0, used_quantity: 0, average_price: 0, value: 0, initial_margin: 0 },
  };
}

function emptyPosition(trade: KiteTrade, lastPrice: number): KitePosition {
  return {
    tradingsymbol: trade.tradingsymbol,
    exchange: trade.exchange,
    instrument_token: trade.instrument_token,
    product: trade.product,
    quantity: 0,
    overnight_quantity: 0,
    multiplier: 1,
    average_price: 0,
    close_price: 0,
    last_price: lastPrice,
    value: 0,
    pnl: 0,
    m2m: 0,
    unrealised: 0,
    realised: 0,
    buy_quantity: 0,
    buy_price: 0,
    buy_value: 0,
    buy_m2m: 0,
    sell_quantity: 0,
    sell_price: 0,
    sell_value: 0,
    sell_m2m: 0,
    day_buy_quantity: 0,
    day_buy_price: 0,
    day_buy_value: 0,
    day_sell_quantity: 0,
    day_sell_price: 0,
    day_sell_value: 0,
  };
}
