import { toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { ServiceOf } from '../../../shared/rpc/service';
import type {
  OrderRefusalCode,
  OrderView,
  PlaceOrder,
  ReconciliationState,
  TradeView,
  ordersService,
} from '../../../shared/services/orders';
import type { PnlView, PositionView, portfolioService } from '../../../shared/services/portfolio';
import type { RiskStatus, riskService } from '../../../shared/services/risk';

// FOR TESTS: an in-memory fake of the engine's `orders`, `portfolio` and `risk` services (the real
// ones are being written in electron/engine). It behaves like the contract says, in a small way: it
// refuses with REJECTED and a refusal code, fills market orders at once at the last price and rests
// limit orders, keeps positions and the day's P&L, and pushes every change on the streams. No
// engine, no sockets, no clock but the test's.

type OrdersService = ServiceOf<typeof ordersService>;
type PortfolioService = ServiceOf<typeof portfolioService>;
type RiskService = ServiceOf<typeof riskService>;

/** An instrument the fake exchange trades. */
export interface FakeInstrument {
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly priceDivisor: number;
  lastPrice: number;
}

export interface FakeTrading {
  readonly orders: OrdersService;
  readonly portfolio: PortfolioService;
  readonly risk: RiskService;
  /** Every request made, in order. */
  readonly calls: { method: string; params: unknown }[];
  /** Moves an instrument's last price: positions re-mark and are pushed. */
  setLastPrice(token: number, price: number): void;
  setReconciliation(state: ReconciliationState): void;
  /** How many listeners each stream has now. */
  listeners(stream: 'orders' | 'trades' | 'reconciliation' | 'positions' | 'pnl' | 'status'): number;
}

const refuse = (code: OrderRefusalCode, message: string, suggestion?: string): never => {
  throw new RpcError('REJECTED', message, suggestion === undefined ? { code } : { code, suggestion });
};

function stream<E>() {
  const listeners = new Set<(e: E) => void>();
  return {
    listeners,
    open(listener: (e: E) => void, initial: readonly E[] = []): Disposable {
      listeners.add(listener);
      for (const e of initial) listener(e);
      return toDisposable(() => listeners.delete(listener));
    },
    emit(e: E): void {
      for (const l of [...listeners]) l(e);
    },
  };
}

export function fakeTrading(
  instruments: readonly FakeInstrument[],
  options: { now?: () => number } = {},
): FakeTrading {
  let clock = 1_790_000_000_000;
  const now = options.now ?? (() => ++clock);
  const byToken = new Map(instruments.map((i) => [i.instrumentToken, i]));
  const orders = new Map<string, OrderView>();
  const trades: TradeView[] = [];
  const positions = new Map<string, PositionView>();
  const calls: { method: string; params: unknown }[] = [];
  let sequence = 0;
  let reconciliation: ReconciliationState = { state: 'ok', at: 1, summary: 'nothing to do', issues: [] };
  let status: RiskStatus = {
    state: 'ACTIVE',
    reason: '',
    since: 0,
    dayNetPaise: 0,
    dailyLossLimitPaise: 2_500_000,
    openOrders: 0,
    ordersLastSecond: 0,
    ordersLastMinute: 0,
    ordersToday: 0,
  };

  const orderStream = stream<OrderView>();
  const tradeStream = stream<TradeView>();
  const reconciliationStream = stream<ReconciliationState>();
  const positionStream = stream<PositionView>();
  const pnlStream = stream<PnlView>();
  const statusStream = stream<RiskStatus>();

  const pnl = (): PnlView => {
    let realized = 0;
    let unrealized = 0;
    let charges = 0;
    for (const p of positions.values()) {
      realized += p.realized;
      unrealized += p.unrealized;
      charges += p.charges;
    }
    return { realized, unrealized, charges, net: realized + unrealized - charges, at: now() };
  };

  const workingCount = () => [...orders.values()].filter((o) => o.state === 'OPEN').length;
  const pushStatus = () => {
    status = { ...status, openOrders: workingCount(), dayNetPaise: pnl().net };
    statusStream.emit(status);
  };

  const update = (o: OrderView, change: Partial<OrderView>): OrderView => {
    const next = { ...o, ...change, updatedAt: now() };
    orders.set(next.clientOrderId, next);
    orderStream.emit(next);
    return next;
  };

  /** Paise of a wire-unit price x quantity (divisor 100 only, as the fake's instruments are). */
  const value = (price: number, quantity: number, divisor: number) =>
    Math.round((price * quantity * 100) / divisor);

  const remark = (p: PositionView, lastPrice: number): PositionView => {
    const unrealized = p.quantity === 0 ? 0 : value(lastPrice - p.averagePrice, p.quantity, p.priceDivisor);
    return { ...p, lastPrice, unrealized, net: p.realized + unrealized - p.charges };
  };

  const fill = (o: OrderView, price: number): OrderView => {
    const i = byToken.get(o.instrumentToken);
    if (i === undefined) return o;
    const trade: TradeView = {
      tradeId: `T${++sequence}`,
      clientOrderId: o.clientOrderId,
      brokerOrderId: o.brokerOrderId ?? '',
      instrumentToken: o.instrumentToken,
      exchange: o.exchange,
      tradingsymbol: o.tradingsymbol,
      priceDivisor: o.priceDivisor,
      side: o.side,
      product: o.product,
      quantity: o.quantity,
      price,
      time: now(),
    };
    trades.push(trade);
    tradeStream.emit(trade);
    const key = `${o.instrumentToken}:${o.product}`;
    const was = positions.get(key) ?? {
      instrumentToken: o.instrumentToken,
      exchange: o.exchange,
      tradingsymbol: o.tradingsymbol,
      priceDivisor: o.priceDivisor,
      product: o.product,
      quantity: 0,
      averagePrice: 0,
      overnightQuantity: 0,
      dayBuyQuantity: 0,
      daySellQuantity: 0,
      dayBuyValue: 0,
      daySellValue: 0,
      lastPrice: i.lastPrice,
      realized: 0,
      unrealized: 0,
      charges: 0,
      net: 0,
    };
    const signed = o.side === 'BUY' ? o.quantity : -o.quantity;
    const quantity = was.quantity + signed;
    let { averagePrice, realized } = was;
    if (was.quantity === 0 || Math.sign(was.quantity) === Math.sign(signed)) {
      averagePrice = Math.round(
        (was.averagePrice * Math.abs(was.quantity) + price * o.quantity) / Math.abs(quantity),
      );
    } else {
      const closed = Math.min(Math.abs(signed), Math.abs(was.quantity));
      realized += value((price - was.averagePrice) * Math.sign(was.quantity), closed, o.priceDivisor);
      if (quantity === 0) averagePrice = 0;
      else if (Math.sign(quantity) !== Math.sign(was.quantity)) averagePrice = price;
    }
    const charges = was.charges + 2000; // ₹20 a fill, flat: enough to see the column
    const next = remark(
      {
        ...was,
        quantity,
        averagePrice,
        realized,
        charges,
        dayBuyQuantity: was.dayBuyQuantity + (o.side === 'BUY' ? o.quantity : 0),
        daySellQuantity: was.daySellQuantity + (o.side === 'SELL' ? o.quantity : 0),
        dayBuyValue: was.dayBuyValue + (o.side === 'BUY' ? value(price, o.quantity, o.priceDivisor) : 0),
        daySellValue: was.daySellValue + (o.side === 'SELL' ? value(price, o.quantity, o.priceDivisor) : 0),
      },
      i.lastPrice,
    );
    positions.set(key, next);
    positionStream.emit(next);
    pnlStream.emit(pnl());
    return update(o, { state: 'COMPLETE', filledQuantity: o.quantity, averagePrice: price });
  };

  const place = (p: PlaceOrder): OrderView => {
    if (reconciliation.state !== 'ok') refuse('RECONCILING', 'Reconciling with the broker: new orders wait');
    if (status.state === 'HALTED') refuse('HALTED', `Trading is halted (${status.reason})`);
    const i = byToken.get(p.instrumentToken);
    if (i === undefined) return refuse('UNKNOWN_INSTRUMENT', `No instrument ${p.instrumentToken}`);
    if (!Number.isSafeInteger(p.quantity) || p.quantity <= 0) {
      throw new RpcError('INVALID_PARAMS', 'invalid params for orders.place', {
        issues: [{ path: ['quantity'], message: 'Too small: expected number to be >0' }],
      });
    }
    if (p.quantity % i.lotSize !== 0) {
      refuse('LOT_SIZE', `Quantity ${p.quantity} is not a multiple of the lot size ${i.lotSize}`);
    }
    const needsPrice = p.orderType === 'LIMIT' || p.orderType === 'SL';
    if (needsPrice && p.price === undefined)
      refuse('BAD_COMBINATION', `A ${p.orderType} order needs a price`);
    if (p.price !== undefined && p.price % i.tickSize !== 0) {
      const below = p.price - (p.price % i.tickSize);
      refuse(
        'TICK_SIZE',
        `Price ${p.price / i.priceDivisor} is not a multiple of the tick size ${i.tickSize / i.priceDivisor}`,
        `Use ${below / i.priceDivisor} or ${(below + i.tickSize) / i.priceDivisor}`,
      );
    }
    const at = now();
    const id = `FK${String(++sequence).padStart(6, '0')}`;
    const order: OrderView = {
      clientOrderId: id,
      brokerOrderId: `B${sequence}`,
      source: p.strategyId === undefined ? 'manual' : 'strategy',
      strategyId: p.strategyId ?? null,
      instrumentToken: i.instrumentToken,
      exchange: i.exchange,
      tradingsymbol: i.tradingsymbol,
      priceDivisor: i.priceDivisor,
      side: p.side,
      orderType: p.orderType,
      product: p.product,
      variety: p.variety ?? 'regular',
      validity: p.validity ?? 'DAY',
      quantity: p.quantity,
      price: p.price ?? 0,
      triggerPrice: p.triggerPrice ?? 0,
      filledQuantity: 0,
      averagePrice: 0,
      state: 'OPEN',
      reason: '',
      createdAt: at,
      updatedAt: at,
      parentId: null,
    };
    orders.set(id, order);
    orderStream.emit(order);
    status = { ...status, ordersToday: status.ordersToday + 1 };
    const crosses =
      p.orderType === 'MARKET' ||
      (p.orderType === 'LIMIT' &&
        p.price !== undefined &&
        (p.side === 'BUY' ? p.price >= i.lastPrice : p.price <= i.lastPrice));
    const result = crosses ? fill(order, i.lastPrice) : order;
    pushStatus();
    return result;
  };

  const working = (id: string): OrderView => {
    const o = orders.get(id);
    if (o === undefined) return refuse('UNKNOWN_ORDER', `No order ${id}`);
    if (o.state !== 'OPEN') return refuse('NOT_MODIFIABLE', `Order ${id} is ${o.state}`);
    return o;
  };

  const record =
    <P, R>(method: string, fn: (params: P) => R) =>
    (params: P): Promise<R> => {
      calls.push({ method, params });
      try {
        return Promise.resolve(fn(params));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    };

  const cancelOne = (id: string): OrderView => {
    const next = update(working(id), { state: 'CANCELLED' });
    pushStatus();
    return next;
  };

  const ordersImpl: OrdersService = {
    place: record('orders.place', (p: PlaceOrder) => ({ order: place(p) })),
    modify: record('orders.modify', (m: Parameters<OrdersService['modify']>[0]) => {
      const o = working(m.clientOrderId);
      const i = byToken.get(o.instrumentToken);
      if (i !== undefined && m.price !== undefined && m.price % i.tickSize !== 0) {
        refuse('TICK_SIZE', `Price is not a multiple of the tick size ${i.tickSize / i.priceDivisor}`);
      }
      return { order: update(o, { ...(m.price === undefined ? {} : { price: m.price }) }) };
    }),
    cancel: record('orders.cancel', (c: { clientOrderId: string }) => ({
      order: cancelOne(c.clientOrderId),
    })),
    cancelAll: record('orders.cancelAll', () => ({
      cancelled: [...orders.values()]
        .filter((o) => o.state === 'OPEN')
        .map((o) => cancelOne(o.clientOrderId).clientOrderId),
    })),
    exit: record('orders.exit', (e: Parameters<OrdersService['exit']>[0]) => {
      const p = positions.get(`${e.instrumentToken}:${e.product}`);
      if (p === undefined || p.quantity === 0) return { orders: [] };
      return {
        orders: [
          place({
            instrumentToken: e.instrumentToken,
            side: p.quantity > 0 ? 'SELL' : 'BUY',
            quantity: Math.abs(p.quantity),
            orderType: 'MARKET',
            product: e.product,
          }),
        ],
      };
    }),
    list: record('orders.list', () => ({
      orders: [...orders.values()].sort((a, b) => b.createdAt - a.createdAt),
    })),
    trades: record('orders.trades', () => ({ trades: [...trades] })),
    reconciliation: record('orders.reconciliation', () => reconciliation),
    acceptIssue: record('orders.acceptIssue', (a: { id: string }) => {
      const issues = reconciliation.issues.filter((i) => i.id !== a.id);
      reconciliation = { ...reconciliation, issues, state: issues.length === 0 ? 'ok' : 'blocked' };
      reconciliationStream.emit(reconciliation);
      return reconciliation;
    }),
    onOrders: (l) => orderStream.open(l, [...orders.values()]),
    onTrades: (l) => tradeStream.open(l, trades),
    onReconciliation: (l) => reconciliationStream.open(l, [reconciliation]),
  };

  const portfolioImpl: PortfolioService = {
    positions: record('portfolio.positions', () => ({ positions: [...positions.values()] })),
    pnl: record('portfolio.pnl', () => pnl()),
    margins: record('portfolio.margins', () => ({ equity: null, commodity: null, at: now() })),
    holdings: record('portfolio.holdings', () => ({ holdings: [] })),
    orderMargin: record('portfolio.orderMargin', () => {
      throw new RpcError('REJECTED', 'The fake engine prices no orders.', { code: 'NO_SESSION' });
    }),
    onPositions: (l) => positionStream.open(l, [...positions.values()]),
    onPnl: (l) => pnlStream.open(l, [pnl()]),
  };

  const riskImpl: RiskService = {
    limits: record('risk.limits', () => {
      throw new RpcError('UNKNOWN_METHOD', 'the fake has no limits');
    }),
    setLimits: record('risk.setLimits', () => {
      throw new RpcError('UNKNOWN_METHOD', 'the fake has no limits');
    }),
    status: record('risk.status', () => status),
    killSwitch: record('risk.killSwitch', (k: Parameters<RiskService['killSwitch']>[0]) => {
      status = { ...status, state: 'HALTED', reason: k?.reason ?? 'kill switch', since: now() };
      const cancelled = [...orders.values()]
        .filter((o) => o.state === 'OPEN')
        .map((o) => cancelOne(o.clientOrderId).clientOrderId);
      statusStream.emit(status);
      return { status, cancelled };
    }),
    reset: record('risk.reset', () => {
      status = { ...status, state: 'ACTIVE', reason: '', since: now() };
      statusStream.emit(status);
      return status;
    }),
    reduceOnly: record('risk.reduceOnly', () => {
      status = { ...status, state: 'REDUCING', reason: 'reduce only', since: now() };
      statusStream.emit(status);
      return status;
    }),
    onStatus: (l) => statusStream.open(l, [status]),
    setStopLoss: record('risk.setStopLoss', () => {
      throw new RpcError('UNKNOWN_METHOD', 'the fake keeps no stop-losses');
    }),
    clearStopLoss: record('risk.clearStopLoss', () => ({ removed: false })),
    stopLosses: record('risk.stopLosses', () => ({ stops: [] })),
    onStopLoss: () => ({ dispose: () => undefined }),
  };

  const counts = {
    orders: orderStream,
    trades: tradeStream,
    reconciliation: reconciliationStream,
    positions: positionStream,
    pnl: pnlStream,
    status: statusStream,
  } as const;

  return {
    orders: ordersImpl,
    portfolio: portfolioImpl,
    risk: riskImpl,
    calls,
    setLastPrice(token, price) {
      const i = byToken.get(token);
      if (i === undefined) return;
      i.lastPrice = price;
      for (const [key, p] of positions) {
        if (p.instrumentToken !== token) continue;
        const next = remark(p, price);
        positions.set(key, next);
        positionStream.emit(next);
      }
      pnlStream.emit(pnl());
    },
    setReconciliation(state) {
      reconciliation = state;
      reconciliationStream.emit(state);
    },
    listeners: (name) => counts[name].listeners.size,
  };
}

/** An order as the engine shows it, an open INFY limit buy unless `more` says otherwise. */
export function orderViewOf(id: string, more: Partial<OrderView> = {}): OrderView {
  return {
    clientOrderId: id,
    brokerOrderId: null,
    source: 'manual',
    strategyId: null,
    instrumentToken: 408065,
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    priceDivisor: 100,
    side: 'BUY',
    orderType: 'LIMIT',
    product: 'CNC',
    variety: 'regular',
    validity: 'DAY',
    quantity: 10,
    price: 150_000,
    triggerPrice: 0,
    filledQuantity: 0,
    averagePrice: 0,
    state: 'OPEN',
    reason: '',
    createdAt: Date.parse('2026-11-24T03:45:07Z'),
    updatedAt: Date.parse('2026-11-24T03:45:07Z'),
    parentId: null,
    ...more,
  };
}
