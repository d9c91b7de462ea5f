/**
 * The OMS's venue over Kite Connect (live, and the local exchange in sim mode): KiteRest for
 * requests, the ticker pool's order-update messages for pushed reports. Kite pushes no fills: the
 * OMS fetches an order's trades when a report shows more filled than it has.
 *
 * Outcomes: a BrokerError with `outcomeUnknown` (a timeout, a reset connection, a 5xx on a request
 * that is never retried) becomes `VenueError('unknown')`; any other refusal `VenueError('rejected')`.
 */
import type { Disposable } from '../../../../shared/disposable';
import type { Price } from '../../../../shared/domain/money';
import { BrokerError } from '../errors';
import type { BrokerOrder, BrokerTrade, Exchange, SegmentMargins } from '../types';
import { VenueError } from '../../oms/venue';
import type {
  OrderVenue,
  VenueHolding,
  VenueMarginRequest,
  VenueModifyRequest,
  VenueOrderReport,
  VenuePlaceRequest,
  VenuePosition,
  VenueSegmentMargins,
  VenueTrade,
} from '../../oms/venue';
import type { KiteRest } from './http';
import { parseOrder } from './parse';
import type { KiteTickerPool } from './tickerPool';

function venueError(e: unknown): VenueError {
  if (e instanceof VenueError) return e;
  if (e instanceof BrokerError) return new VenueError(e.outcomeUnknown ? 'unknown' : 'rejected', e.message);
  // Anything else thrown on the way out (a bug, a closed socket before a typed error): not known.
  return new VenueError('unknown', e instanceof Error ? e.message : String(e));
}

/** A Kite order row as the OMS's report. */
export function reportOf(o: BrokerOrder): VenueOrderReport {
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
    averagePrice: o.averagePrice,
    reason: o.statusMessage,
    orderTime: o.orderTime,
    updateTime: o.exchangeUpdateTime ?? o.exchangeTime ?? o.orderTime,
  };
}

function tradeOf(t: BrokerTrade): VenueTrade {
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
    time: t.exchangeTime ?? t.fillTime,
  };
}

function marginsOf(m: SegmentMargins): VenueSegmentMargins | null {
  if (!m.enabled) return null;
  const utilised = Object.values(m.utilised).reduce<number>((a, b) => a + b, 0);
  return { net: m.net, availableCash: m.available['cash'] ?? 0, utilised };
}

export class KiteVenue implements OrderVenue {
  readonly kind = 'kite' as const;
  private readonly disposables: Disposable[] = [];

  constructor(
    private readonly rest: KiteRest,
    private readonly pool: KiteTickerPool,
    private readonly log: (line: string) => void,
  ) {
    // The first order should find a connection open.
    rest.warmOrders();
  }

  async place(r: VenuePlaceRequest): Promise<string> {
    try {
      const result = await this.rest.placeOrder({
        variety: r.variety,
        exchange: r.exchange as Exchange,
        tradingsymbol: r.tradingsymbol,
        side: r.side,
        orderType: r.orderType,
        quantity: r.quantity,
        product: r.product,
        validity: r.validity,
        ...(r.validityTtl === null ? {} : { validityTtl: r.validityTtl }),
        ...(r.price > 0 ? { price: r.price as Price } : {}),
        ...(r.triggerPrice > 0 ? { triggerPrice: r.triggerPrice as Price } : {}),
        ...(r.disclosedQuantity > 0 ? { disclosedQuantity: r.disclosedQuantity } : {}),
        tag: r.clientOrderId,
        ...(r.marketProtection === null ? {} : { marketProtection: r.marketProtection }),
        ...(r.algoId === null ? {} : { algoId: r.algoId }),
      });
      return result.orderId;
    } catch (e) {
      throw venueError(e);
    }
  }

  async modify(r: VenueModifyRequest): Promise<void> {
    try {
      await this.rest.modifyOrder({
        variety: r.variety,
        orderId: r.orderId,
        exchange: r.exchange as Exchange,
        ...(r.quantity === undefined ? {} : { quantity: r.quantity }),
        ...(r.price === undefined ? {} : { price: r.price as Price }),
        ...(r.triggerPrice === undefined ? {} : { triggerPrice: r.triggerPrice as Price }),
        ...(r.orderType === undefined ? {} : { orderType: r.orderType }),
      });
    } catch (e) {
      throw venueError(e);
    }
  }

  async cancel(orderId: string, variety: 'regular' | 'amo'): Promise<void> {
    try {
      await this.rest.cancelOrder(variety, orderId);
    } catch (e) {
      throw venueError(e);
    }
  }

  async orders(): Promise<VenueOrderReport[]> {
    return (await this.rest.orders()).map(reportOf);
  }

  async trades(): Promise<VenueTrade[]> {
    return (await this.rest.trades()).map(tradeOf);
  }

  async orderTrades(orderId: string): Promise<VenueTrade[]> {
    return (await this.rest.orderTrades(orderId)).map(tradeOf);
  }

  async positions(): Promise<VenuePosition[]> {
    const p = await this.rest.positions();
    return p.net.map((x) => ({
      instrumentToken: x.instrumentToken,
      exchange: x.exchange,
      tradingsymbol: x.tradingsymbol,
      product: x.product,
      quantity: x.quantity,
      overnightQuantity: x.overnightQuantity,
      averagePrice: x.averagePrice,
    }));
  }

  async margins(): Promise<{ equity: VenueSegmentMargins | null; commodity: VenueSegmentMargins | null }> {
    const m = await this.rest.margins();
    return { equity: marginsOf(m.equity), commodity: marginsOf(m.commodity) };
  }

  async orderMargin(r: VenueMarginRequest): Promise<number> {
    const [m] = await this.rest.orderMargins([
      {
        exchange: r.exchange as Exchange,
        tradingsymbol: r.tradingsymbol,
        side: r.side,
        variety: r.variety,
        product: r.product,
        orderType: r.orderType,
        quantity: r.quantity,
        ...(r.price > 0 ? { price: r.price as Price } : {}),
        ...(r.triggerPrice > 0 ? { triggerPrice: r.triggerPrice as Price } : {}),
      },
    ]);
    if (m === undefined) throw new VenueError('rejected', 'The broker returned no margin for the order.');
    return m.total;
  }

  async holdings(): Promise<VenueHolding[]> {
    return (await this.rest.holdings()).map((h) => ({
      instrumentToken: h.instrumentToken,
      exchange: h.exchange,
      tradingsymbol: h.tradingsymbol,
      quantity: h.quantity + h.t1Quantity,
      averagePrice: h.averagePrice,
      lastPrice: h.lastPrice,
      pnl: h.pnl,
    }));
  }

  onOrder(listener: (report: VenueOrderReport) => void): Disposable {
    const d = this.pool.onOrderUpdate((u) => {
      let report: VenueOrderReport;
      try {
        report = reportOf(parseOrder(u.data, 'order update'));
      } catch (e) {
        this.log(`order update refused: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      listener(report);
    });
    this.disposables.push(d);
    return d;
  }

  onTrade(): Disposable {
    // Kite pushes no fills; the OMS asks for an order's trades when its filled quantity grows.
    return { dispose: () => undefined };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}
