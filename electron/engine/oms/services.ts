/**
 * The contract's `orders`, `portfolio` and `risk` services over the OMS (shared/services). The
 * channel has validated params against the schemas already; these functions add the engine's own
 * refusals (typed, `REJECTED` with `details.code`).
 */
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { ordersService } from '../../../shared/services/orders';
import type { portfolioService, PositionView } from '../../../shared/services/portfolio';
import type { RiskLimits, RiskStatus, riskService } from '../../../shared/services/risk';
import type { OrderLimits, PreTradeLimits, StrategyLimits } from '../risk/preTrade';
import { segmentOfToken, priceDivisor } from '../../../shared/domain/money';
import type { OrderManager, PlaceRequest } from './orderManager';
import type { StopLosses } from './stopLosses';

/** The wire-unit divisor of a token's segment (100, or 1e7 for CDS, 1e4 for BCD). */
function divisorOf(instrumentToken: number): number {
  return priceDivisor(segmentOfToken(instrumentToken));
}

/** The risk limits of the contract as the pre-trade checks' limits. */
export function preTradeLimits(l: RiskLimits): PreTradeLimits {
  const order = (q: number | undefined, v: number | undefined, p: number | undefined): OrderLimits => ({
    ...(q === undefined ? {} : { maxQuantity: q }),
    ...(v === undefined ? {} : { maxValuePaise: v }),
    ...(p === undefined ? {} : { maxPosition: p }),
  });
  const strategy: StrategyLimits = {
    ...order(l.strategyMaxOrderQuantity, l.strategyMaxOrderValuePaise, l.strategyMaxPosition),
    ...(l.strategyMaxOpenOrders === undefined ? {} : { maxOpenOrders: l.strategyMaxOpenOrders }),
  };
  return {
    global: order(l.maxOrderQuantity, l.maxOrderValuePaise, l.maxPosition),
    instruments: new Map(
      l.instruments.map((i) => [i.instrumentToken, order(i.maxQuantity, i.maxValuePaise, i.maxPosition)]),
    ),
    maxOpenOrders: l.maxOpenOrders,
    fatFingerBasisPoints: l.fatFingerBasisPoints,
    fatFingerMinTicks: l.fatFingerMinTicks,
    duplicateWindowMs: l.duplicateWindowMs,
    strategyDefaults: strategy,
  };
}

/** The `orders` service. Streams open with the current state, then follow changes. */
export function createOrdersService(oms: OrderManager): ServiceOf<typeof ordersService> {
  return {
    // The channel hands over the schema's output (defaults applied): the casts below say so.
    place: async (p) => ({ order: await oms.place(p as PlaceRequest) }),
    modify: async (m) => ({ order: await oms.modify(m) }),
    cancel: async ({ clientOrderId }) => ({ order: await oms.cancel(clientOrderId) }),
    cancelAll: async (f) => ({
      cancelled: await oms.cancelAll({
        ...(f?.instrumentToken === undefined ? {} : { instrumentToken: f.instrumentToken }),
        ...(f?.strategyId === undefined ? {} : { strategyId: f.strategyId }),
      }),
    }),
    exit: async ({ instrumentToken, product }) => ({ orders: await oms.exit(instrumentToken, product) }),
    list: () => Promise.resolve({ orders: oms.list() }),
    trades: () => Promise.resolve({ trades: oms.trades() }),
    reconciliation: () => Promise.resolve(oms.reconciliationState),
    acceptIssue: ({ id }) => Promise.resolve(oms.acceptIssue(id)),
    onOrders: (listener) => {
      const d = oms.onOrder(listener);
      for (const o of [...oms.list()].reverse()) listener(o);
      return d;
    },
    onTrades: (listener) => {
      const d = oms.onTradeView(listener);
      for (const t of oms.trades()) listener(t);
      return d;
    },
    onReconciliation: (listener) => {
      const d = oms.onReconciliation(listener);
      listener(oms.reconciliationState);
      return d;
    },
  };
}

/**
 * The `portfolio` service. Positions and P&L are pushed when fills change them and every 250 ms
 * while there is an open position (its last price moves); the stream is conflated per position.
 */
export function createPortfolioService(
  oms: OrderManager,
  now: () => number,
): ServiceOf<typeof portfolioService> & Disposable {
  const positionListeners = new Set<(p: PositionView) => void>();
  const pnlListeners = new Set<(p: ReturnType<OrderManager['portfolio']['pnl']>) => void>();
  const push = (): void => {
    if (positionListeners.size > 0)
      for (const p of oms.portfolio.list()) for (const l of positionListeners) l(p);
    if (pnlListeners.size > 0) {
      const pnl = oms.portfolio.pnl(now());
      for (const l of pnlListeners) l(pnl);
    }
  };
  const fills = oms.onPortfolio(push);
  const timer = setInterval(() => {
    if (oms.portfolio.list().some((p) => p.quantity !== 0)) push();
  }, 250);
  timer.unref();
  const noVenue = (): RpcError =>
    new RpcError('REJECTED', 'Not logged in to a broker.', { code: 'NO_SESSION' });
  return {
    positions: () => Promise.resolve({ positions: oms.portfolio.list() }),
    pnl: () => Promise.resolve(oms.portfolio.pnl(now())),
    margins: async () => {
      const venue = oms.currentVenue;
      if (venue === undefined) throw noVenue();
      const m = await venue.margins();
      return { ...m, at: now() };
    },
    // The channel hands over the schema's output (variety defaulted).
    orderMargin: (r) => oms.orderMargin({ ...r, validity: 'DAY' } as PlaceRequest),
    holdings: async () => {
      const venue = oms.currentVenue;
      if (venue === undefined) throw noVenue();
      const rows = venue.holdings === undefined ? [] : await venue.holdings();
      return {
        holdings: rows.map((h) => ({ ...h, priceDivisor: divisorOf(h.instrumentToken) })),
      };
    },
    onPositions: (listener) => {
      positionListeners.add(listener);
      for (const p of oms.portfolio.list()) listener(p);
      return { dispose: () => positionListeners.delete(listener) };
    },
    onPnl: (listener) => {
      pnlListeners.add(listener);
      listener(oms.portfolio.pnl(now()));
      return { dispose: () => pnlListeners.delete(listener) };
    },
    dispose: () => {
      clearInterval(timer);
      fills.dispose();
      positionListeners.clear();
      pnlListeners.clear();
    },
  };
}

/** What the risk service drives: the governor and the limits' persistence. */
export interface RiskControls {
  limits(): RiskLimits;
  /** Validated and persisted; the pre-trade checks are recompiled. Throws RangeError on a limit risk refuses. */
  setLimits(patch: Partial<RiskLimits>): Promise<RiskLimits>;
  status(): RiskStatus;
  kill(reason: string): Promise<string[]>;
  reset(): RiskStatus;
  reduceOnly(): RiskStatus;
  onStatus(listener: (s: RiskStatus) => void): Disposable;
  readonly stops: StopLosses;
}

/** The `risk` service. */
export function createRiskService(controls: RiskControls): ServiceOf<typeof riskService> {
  return {
    limits: () => Promise.resolve(controls.limits()),
    setLimits: async (patch) => {
      try {
        return await controls.setLimits(patch as Partial<RiskLimits>);
      } catch (e) {
        if (e instanceof RangeError) throw new RpcError('INVALID_PARAMS', e.message);
        throw e;
      }
    },
    status: () => Promise.resolve(controls.status()),
    killSwitch: async (p) => {
      const cancelled = await controls.kill(p?.reason ?? 'kill switch');
      return { status: controls.status(), cancelled };
    },
    reset: () => Promise.resolve(controls.reset()),
    reduceOnly: () => Promise.resolve(controls.reduceOnly()),
    onStatus: (listener) => {
      const d = controls.onStatus(listener);
      listener(controls.status());
      return d;
    },
    setStopLoss: ({ instrumentToken, product, stopPrice }) =>
      Promise.resolve(controls.stops.set(instrumentToken, product, stopPrice)),
    clearStopLoss: ({ instrumentToken, product }) =>
      Promise.resolve({ removed: controls.stops.clear(instrumentToken, product) }),
    stopLosses: () => Promise.resolve({ stops: controls.stops.list() }),
    onStopLoss: (listener) => {
      const d = controls.stops.onChange(listener);
      for (const s of controls.stops.list()) listener(s);
      return d;
    },
  };
}
