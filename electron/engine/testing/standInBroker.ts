/**
 * A stand-in broker for algorithm tests over the real OMS: it acknowledges every order and reports
 * what the test tells it to, one update at a time, so that what an algorithm sends in answer to each
 * can be checked exactly. A stand-in because the exact interleaving of a fill and the next event
 * cannot be caused on demand with the local exchange; the exchange tests cover the real path.
 */
import type { Instrument } from '../market/instruments';
import type { OrderVenue, VenueModifyRequest, VenueOrderReport, VenuePlaceRequest } from '../oms/venue';
import { stubVenue } from './stubVenue';

/** A broker that acknowledges every order and reports what the test tells it to. */
export class StandInBroker {
  constructor(private readonly instrument: Instrument) {}

  readonly sent: VenuePlaceRequest[] = [];
  readonly modifies: VenueModifyRequest[] = [];
  readonly cancels: string[] = [];
  private readonly book = new Map<string, VenueOrderReport>();
  private push: ((r: VenueOrderReport) => void) | undefined;

  venue(): OrderVenue {
    return stubVenue({
      place: (r) => {
        this.sent.push(r);
        return Promise.resolve(`V${this.sent.length}`);
      },
      modify: (m) => {
        this.modifies.push(m);
        return Promise.resolve();
      },
      cancel: (orderId) => {
        this.cancels.push(orderId);
        return Promise.resolve();
      },
      orders: () => Promise.resolve([...this.book.values()]),
      onOrder: (l) => {
        this.push = l;
        return { dispose: () => undefined };
      },
    });
  }

  /** The `n`th order sent (1-based), as the broker reports it now: `status`, `filled` of it, and any terms changed. */
  report(n: number, status: string, filled = 0, change: Partial<VenueOrderReport> = {}): void {
    const r = this.sent[n - 1];
    if (r === undefined) throw new Error(`no order ${n}`);
    const known = this.book.get(`V${n}`);
    const at = Date.now();
    const report: VenueOrderReport = {
      orderId: `V${n}`,
      tag: r.clientOrderId,
      status,
      instrumentToken: this.instrument.instrumentToken,
      exchange: this.instrument.exchange,
      tradingsymbol: this.instrument.tradingSymbol,
      side: r.side,
      orderType: r.orderType,
      product: r.product,
      variety: 'regular',
      validity: 'DAY',
      quantity: known?.quantity ?? r.quantity,
      filledQuantity: filled,
      price: known?.price ?? r.price,
      triggerPrice: known?.triggerPrice ?? r.triggerPrice,
      averagePrice: filled > 0 ? (r.price > 0 ? r.price : this.instrument.lastPrice) : 0,
      reason: null,
      orderTime: at,
      updateTime: at,
      ...change,
    };
    this.book.set(report.orderId, report);
    this.push?.(report);
  }
}
