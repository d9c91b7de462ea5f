/**
 * Broker-facing domain types: what a venue adapter (Kite today, paper and FIX later) hands to the
 * OMS, positions, market data and the UI. Prices are integers in the instrument's wire unit
 * (`Price`, shared/domain/money.ts), money is integer paise (`Paise`), times are epoch ms (UTC
 * instants, parsed from IST explicitly). No floats and no Date objects cross this boundary.
 *
 * Where Kite's own value is derived with floating point (an average of fills, P&L, margins,
 * charges), the field says "rounded": it is rounded to the nearest wire unit or paisa at the edge.
 * Every other price is converted exactly or refused.
 */
import type { Paise, Price } from '../../../shared/domain/money';

/** Exchanges an order may be sent to (NSEIX is in the official client's enum). */
export type Exchange = 'NSE' | 'BSE' | 'NFO' | 'BFO' | 'CDS' | 'BCD' | 'MCX' | 'NSEIX';
/** `/orders/{variety}`: regular, after-market, cover, iceberg, auction. */
export type Variety = 'regular' | 'amo' | 'co' | 'iceberg' | 'auction';
export type Side = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
export type Product = 'CNC' | 'NRML' | 'MIS' | 'MTF';
export type Validity = 'DAY' | 'IOC' | 'TTL';

/** The statuses at which an order can no longer change (kite-protocol.md section 5). */
export const TERMINAL_ORDER_STATUSES: ReadonlySet<string> = new Set(['COMPLETE', 'CANCELLED', 'REJECTED']);

/** One row of the broker's order book (or of an order's history). */
export interface BrokerOrder {
  readonly orderId: string;
  readonly exchangeOrderId: string | null;
  readonly parentOrderId: string | null;
  /** Kite's status text as sent (`OPEN`, `TRIGGER PENDING`, `MODIFY PENDING`, `COMPLETE`, ...). */
  readonly status: string;
  readonly statusMessage: string | null;
  readonly placedBy: string;
  readonly variety: Variety;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentToken: number;
  readonly orderType: OrderType;
  readonly side: Side;
  readonly validity: Validity;
  /** Minutes, for validity TTL; 0 otherwise. */
  readonly validityTtl: number;
  readonly product: Product;
  readonly quantity: number;
  readonly disclosedQuantity: number;
  readonly filledQuantity: number;
  readonly pendingQuantity: number;
  readonly cancelledQuantity: number;
  /** 0 for a market order. */
  readonly price: Price;
  /** 0 when the order has no trigger. */
  readonly triggerPrice: Price;
  /** Average fill price, rounded to the wire unit (Kite averages in floating point). 0 if unfilled. */
  readonly averagePrice: Price;
  /** -1 automatic, 0 none, else a percentage. */
  readonly marketProtection: number;
  readonly modified: boolean;
  /** Our client order id, when we gave one. */
  readonly tag: string | null;
  readonly tags: readonly string[];
  readonly guid: string | null;
  /** When Kite's OMS received it (epoch ms). */
  readonly orderTime: number;
  readonly exchangeTime: number | null;
  readonly exchangeUpdateTime: number | null;
  /** Kite's `meta` (iceberg legs, autoslice parents), passed through as data. */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** One fill. */
export interface BrokerTrade {
  readonly tradeId: string;
  readonly orderId: string;
  readonly exchangeOrderId: string | null;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentToken: number;
  readonly product: Product;
  readonly side: Side;
  readonly quantity: number;
  /** The fill price (Kite's `average_price` of a trade row is the one price it traded at). */
  readonly price: Price;
  readonly fillTime: number;
  readonly exchangeTime: number | null;
}

/** One position row; the same shape in `net` and `day`. Money fields are rounded paise. */
export interface BrokerPosition {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentToken: number;
  readonly product: Product;
  /** Net quantity: positive long, negative short. */
  readonly quantity: number;
  readonly overnightQuantity: number;
  readonly multiplier: number;
  /** Rounded to the wire unit. */
  readonly averagePrice: Price;
  readonly lastPrice: Price;
  readonly closePrice: Price;
  readonly value: Paise;
  readonly pnl: Paise;
  readonly m2m: Paise;
  readonly realised: Paise;
  readonly unrealised: Paise;
  readonly buyQuantity: number;
  readonly buyValue: Paise;
  readonly sellQuantity: number;
  readonly sellValue: Paise;
  readonly dayBuyQuantity: number;
  readonly daySellQuantity: number;
}

/** `GET /portfolio/positions`. */
export interface BrokerPositions {
  /** Overnight plus today's net. */
  readonly net: readonly BrokerPosition[];
  /** Today's activity only. */
  readonly day: readonly BrokerPosition[];
}

/** One demat holding. */
export interface BrokerHolding {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentToken: number;
  readonly isin: string;
  readonly product: Product;
  readonly quantity: number;
  readonly t1Quantity: number;
  readonly usedQuantity: number;
  readonly collateralQuantity: number;
  /** Rounded to the wire unit. */
  readonly averagePrice: Price;
  readonly lastPrice: Price;
  readonly closePrice: Price;
  readonly pnl: Paise;
}

/** One segment of the account's funds; every amount rounded paise. */
export interface SegmentMargins {
  readonly enabled: boolean;
  readonly net: Paise;
  /** Kite's `available` breakdown (cash, collateral, opening_balance, live_balance, ...). */
  readonly available: Readonly<Record<string, Paise>>;
  /** Kite's `utilised` breakdown (span, exposure, debits, m2m_realised, ...). */
  readonly utilised: Readonly<Record<string, Paise>>;
}

/** `GET /user/margins`. */
export interface AccountMargins {
  readonly equity: SegmentMargins;
  readonly commodity: SegmentMargins;
}

/** The logged-in user. */
export interface BrokerProfile {
  readonly userId: string;
  readonly userName: string;
  readonly userShortname: string;
  readonly email: string;
  readonly userType: string;
  readonly broker: string;
  readonly exchanges: readonly string[];
  readonly products: readonly string[];
  readonly orderTypes: readonly string[];
}

/** What a login (or a token renewal) returns. Secret: never log or send it to a renderer. */
export interface BrokerSession extends BrokerProfile {
  readonly apiKey: string;
  readonly accessToken: string;
  readonly publicToken: string | null;
  /** Only apps that Kite gives one to. */
  readonly refreshToken: string | null;
  readonly loginTime: number | null;
}

/** One level of market depth. */
export interface DepthLevel {
  readonly price: Price;
  readonly quantity: number;
  readonly orders: number;
}

/** Open, high, low, close. In a quote `close` is the previous session's close. */
export interface Ohlc {
  readonly open: Price;
  readonly high: Price;
  readonly low: Price;
  readonly close: Price;
}

/** `/quote/ltp`. */
export interface LtpQuote {
  readonly instrumentToken: number;
  readonly lastPrice: Price;
}

/** `/quote/ohlc`. */
export interface OhlcQuote extends LtpQuote {
  readonly ohlc: Ohlc;
}

/** `/quote`: the full snapshot. */
export interface Quote extends OhlcQuote {
  /** The snapshot's time (epoch ms). */
  readonly time: number;
  readonly lastTradeTime: number | null;
  readonly lastQuantity: number;
  readonly buyQuantity: number;
  readonly sellQuantity: number;
  readonly volume: number;
  /** Volume-weighted average price, rounded to the wire unit. */
  readonly averagePrice: Price;
  readonly oi: number;
  readonly oiDayHigh: number;
  readonly oiDayLow: number;
  readonly lowerCircuitLimit: Price;
  readonly upperCircuitLimit: Price;
  /** Best first; empty levels (price 0, quantity 0) are kept as Kite sends them. */
  readonly depth: { readonly buy: readonly DepthLevel[]; readonly sell: readonly DepthLevel[] };
}

/** Candle intervals of Kite's historical API. */
export type CandleInterval =
  'minute' | '3minute' | '5minute' | '10minute' | '15minute' | '30minute' | '60minute' | 'day';

/** One candle; `time` is its start (epoch ms). Day candles start at 00:00 IST. */
export interface Candle {
  readonly time: number;
  readonly open: Price;
  readonly high: Price;
  readonly low: Price;
  readonly close: Price;
  readonly volume: number;
  /** Open interest, only when asked for (an OI of 0 stays 0, unlike the official client). */
  readonly oi: number | null;
}

/** Charges of one order; every amount rounded paise. */
export interface OrderCharges {
  readonly transactionTax: Paise;
  /** `stt` or `ctt`. */
  readonly transactionTaxType: string;
  readonly exchangeTurnoverCharge: Paise;
  readonly sebiTurnoverCharge: Paise;
  readonly brokerage: Paise;
  readonly stampDuty: Paise;
  readonly gst: Paise;
  readonly total: Paise;
}

/** The margin one order needs (`POST /margins/orders`); every amount rounded paise. */
export interface OrderMargin {
  readonly type: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly span: Paise;
  readonly exposure: Paise;
  readonly optionPremium: Paise;
  readonly additional: Paise;
  readonly cash: Paise;
  readonly var: Paise;
  readonly leverage: number;
  readonly charges: OrderCharges;
  readonly total: Paise;
}

/** Charges of one executed order (`POST /charges/orders`, the virtual contract note). */
export interface ContractNote {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly price: Price;
  readonly charges: OrderCharges;
}

/** One order of a GTT. */
export interface GttOrder {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly quantity: number;
  readonly price: Price;
}

/** A GTT's leg as it stands, with the order it placed once triggered. */
export interface GttOrderState extends GttOrder {
  /** Set once the trigger fired: the placed order's id and status, or why it was rejected. */
  readonly result: {
    readonly orderId: string | null;
    readonly status: string;
    readonly rejectionReason: string | null;
  } | null;
}

/** A good-till-triggered order. */
export interface Gtt {
  readonly id: number;
  /** `single` (one trigger) or `two-leg` (OCO: a low and a high trigger). */
  readonly type: 'single' | 'two-leg';
  /** `active`, `triggered`, `disabled`, `expired`, `cancelled`, `rejected`, `deleted`. */
  readonly status: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number | null;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentToken: number | null;
  readonly triggerValues: readonly Price[];
  readonly lastPrice: Price;
  readonly orders: readonly GttOrderState[];
}
