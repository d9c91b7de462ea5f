/**
 * What the OMS sends orders to: the mode's broker. Kite (live, and the local exchange in sim mode)
 * and the paper broker implement it. Prices are wire units (price x divisor), quantities units.
 *
 * Outcomes: a method resolves when the venue accepted the request. It rejects with a `VenueError`:
 * `rejected` when the venue definitely refused it (nothing happened), `unknown` when the request may
 * or may not have been carried out (a timeout, a reset connection, a 5xx). The OMS never re-sends a
 * request whose outcome is unknown; it finds out from `orders()` and the order updates.
 */
import type { Disposable } from '../../../shared/disposable';
import type { OrderType, Product, Side, Validity, Variety } from '../../../shared/services/orders';

/** A refusal (`rejected`) or a request whose effect is not known (`unknown`). */
export class VenueError extends Error {
  override readonly name = 'VenueError';
  constructor(
    readonly outcome: 'rejected' | 'unknown',
    message: string,
  ) {
    super(message);
  }
}

/** A new order, as the OMS sends it. */
export interface VenuePlaceRequest {
  /** Our client order id; the venue echoes it as the order's `tag`. */
  readonly clientOrderId: string;
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly variety: Variety;
  readonly validity: Validity;
  readonly validityTtl: number | null;
  readonly quantity: number;
  /** Wire units; 0 for MARKET and SL-M. */
  readonly price: number;
  /** Wire units; 0 unless SL or SL-M. */
  readonly triggerPrice: number;
  readonly disclosedQuantity: number;
  /** -1 (the broker's automatic value) or (0, 100]; set on MARKET and SL-M. */
  readonly marketProtection: number | null;
  /** Strategy orders carry an algo id (SEBI); null for a manual order. */
  readonly algoId: string | null;
}

/** A change to a working order; absent fields are unchanged. */
export interface VenueModifyRequest {
  readonly orderId: string;
  readonly variety: Variety;
  readonly exchange: string;
  readonly quantity?: number;
  readonly price?: number;
  readonly triggerPrice?: number;
  readonly orderType?: OrderType;
}

/** The venue's view of one order: a row of its order book, or an order update. */
export interface VenueOrderReport {
  readonly orderId: string;
  /** Our client order id, if the order was placed with one. */
  readonly tag: string | null;
  /** Kite's status string (OPEN, COMPLETE, ...). */
  readonly status: string;
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly variety: string;
  readonly validity: string;
  readonly quantity: number;
  readonly filledQuantity: number;
  readonly price: number;
  readonly triggerPrice: number;
  /** Wire units, rounded. */
  readonly averagePrice: number;
  readonly reason: string | null;
  /** When the order was placed, epoch ms. */
  readonly orderTime: number;
  /** The exchange's time of this state (or the order time), epoch ms: reports apply in this order. */
  readonly updateTime: number;
}

/** One fill. */
export interface VenueTrade {
  readonly tradeId: string;
  readonly orderId: string;
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly product: Product;
  readonly quantity: number;
  /** Wire units. */
  readonly price: number;
  /** Exchange time, epoch ms. */
  readonly time: number;
}

/** The venue's net position of one instrument and product. */
export interface VenuePosition {
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly product: Product;
  /** Net (overnight + today), signed. */
  readonly quantity: number;
  /** Carried from the previous day, signed. */
  readonly overnightQuantity: number;
  /** Wire units, rounded. */
  readonly averagePrice: number;
}

/** A demat holding. Prices wire units, P&L paise. */
export interface VenueHolding {
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  /** Settled plus T1 quantity. */
  readonly quantity: number;
  readonly averagePrice: number;
  readonly lastPrice: number;
  readonly pnl: number;
}

/** Funds of one segment, paise. */
export interface VenueSegmentMargins {
  readonly net: number;
  readonly availableCash: number;
  readonly utilised: number;
}

/** An order to price before it is sent (nothing is placed). Prices wire units. */
export interface VenueMarginRequest {
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly variety: Variety;
  readonly quantity: number;
  /** The price the order is valued at: its limit price, or the last price for MARKET and SL-M. */
  readonly price: number;
  /** 0 unless SL or SL-M. */
  readonly triggerPrice: number;
}

/** The mode's broker, as the OMS uses it. */
export interface OrderVenue extends Disposable {
  /** `kite` for Kite and the local exchange, `paper` for the paper broker. */
  readonly kind: 'kite' | 'paper';
  /** Places an order; resolves with the venue's order id. */
  place(request: VenuePlaceRequest): Promise<string>;
  modify(request: VenueModifyRequest): Promise<void>;
  cancel(orderId: string, variety: Variety): Promise<void>;
  /** Today's order book. */
  orders(): Promise<VenueOrderReport[]>;
  /** Today's fills. */
  trades(): Promise<VenueTrade[]>;
  /** The fills of one order. */
  orderTrades(orderId: string): Promise<VenueTrade[]>;
  positions(): Promise<VenuePosition[]>;
  margins(): Promise<{ equity: VenueSegmentMargins | null; commodity: VenueSegmentMargins | null }>;
  /**
   * The margin the order would block, paise: the broker's calculator (Kite's `POST /margins/orders`),
   * or the paper broker's own rule. Nothing is placed.
   */
  orderMargin(request: VenueMarginRequest): Promise<number>;
  /** Demat holdings, where the venue has them (Kite; the paper broker holds none). */
  holdings?(): Promise<VenueHolding[]>;
  /** Pushed order updates (Kite's order-update messages); none are replayed after a reconnect. */
  onOrder(listener: (report: VenueOrderReport) => void): Disposable;
  /** Pushed fills, where the venue pushes them (the paper broker); Kite's adapter finds them from order updates. */
  onTrade(listener: (trade: VenueTrade) => void): Disposable;
}
