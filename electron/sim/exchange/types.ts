// Commands in, events out: the local exchange's vocabulary, in Kite Connect's words. Every price is
// an integer in the instrument's wire unit (paise; 1e-7 rupee for CDS); the REST layer converts.

/** BUY or SELL. */
export type TransactionType = 'BUY' | 'SELL';
/** Kite's order types. */
export type OrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
/** Kite's products: delivery, intraday, carry-forward derivatives. */
export type Product = 'CNC' | 'MIS' | 'NRML';
/** Kite's validities; TTL needs `validity_ttl` minutes. */
export type Validity = 'DAY' | 'IOC' | 'TTL';
/** The varieties the simulator supports. */
export type Variety = 'regular' | 'amo' | 'co' | 'iceberg';
/** Kite's order statuses that the simulator produces. */
export type OrderStatus =
  'OPEN' | 'TRIGGER PENDING' | 'AMO REQ RECEIVED' | 'COMPLETE' | 'CANCELLED' | 'REJECTED';

/** Kite's `error_type`s the exchange raises. */
export type KiteErrorType = 'InputException' | 'OrderException';

/** A refused command, with Kite's error_type, HTTP status and message. */
export interface KiteError {
  readonly error_type: KiteErrorType;
  readonly status: 400;
  readonly message: string;
}

/** `POST /orders/{variety}`, after the REST layer parsed the form (prices in the wire unit). */
export interface PlaceOrder {
  /** The trading account (Kite user id); positions are kept per account. */
  readonly account: string;
  readonly variety: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly transaction_type: string;
  readonly order_type: string;
  readonly quantity: number;
  readonly product: string;
  readonly price?: number;
  readonly trigger_price?: number;
  readonly disclosed_quantity?: number;
  readonly validity?: string;
  readonly validity_ttl?: number;
  readonly iceberg_legs?: number;
  readonly iceberg_quantity?: number;
  readonly tag?: string;
  /** -1 = automatic, else a percentage `0 < x <= 100`. Defaults to -1 for market orders. */
  readonly market_protection?: number;
  readonly autoslice?: boolean;
}

/** `PUT /orders/{variety}/{order_id}`: the fields to change. */
export interface ModifyOrder {
  readonly quantity?: number;
  readonly price?: number;
  readonly order_type?: string;
  readonly trigger_price?: number;
  readonly validity?: string;
  readonly validity_ttl?: number;
  readonly disclosed_quantity?: number;
  readonly market_protection?: number;
}

/** Kite's `meta.iceberg` of an iceberg leg. */
export interface IcebergMeta {
  readonly leg: number;
  readonly legs: number;
  readonly leg_quantity: number;
  readonly total_quantity: number;
  readonly remaining_quantity: number;
}

/** An order as the exchange holds it. Read it inside an event callback; copy what you keep. */
export interface ExchangeOrder {
  readonly order_id: string;
  readonly parent_order_id: string | null;
  readonly account: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrument_token: number;
  readonly variety: Variety;
  readonly transaction_type: TransactionType;
  readonly order_type: OrderType;
  readonly product: Product;
  readonly validity: Validity;
  readonly validity_ttl: number | null;
  readonly quantity: number;
  readonly price: number;
  readonly trigger_price: number;
  readonly disclosed_quantity: number;
  readonly filled_quantity: number;
  readonly pending_quantity: number;
  readonly cancelled_quantity: number;
  /** Sum of price x quantity over this order's fills (wire unit); average = this / filled_quantity. */
  readonly filled_value: number;
  readonly status: OrderStatus;
  readonly status_message: string | null;
  readonly tag: string | null;
  readonly tags: readonly string[];
  readonly market_protection: number;
  readonly meta: { readonly iceberg?: IcebergMeta };
  /** Epoch ms. */
  readonly order_timestamp: number;
  /** Epoch ms of the last change. */
  readonly exchange_update_timestamp: number;
}

/** One side of one match: what one order got. */
export interface Trade {
  readonly trade_id: string;
  readonly order_id: string;
  readonly account: string;
  readonly instrument_token: number;
  readonly transaction_type: TransactionType;
  readonly product: Product;
  readonly price: number;
  readonly quantity: number;
  /** True for the resting order. */
  readonly maker: boolean;
  /** Epoch ms. */
  readonly fill_timestamp: number;
}

/** What the exchange reports, in the order it happened. `order` is live: copy what you keep. */
export type ExchangeEvent =
  | { readonly type: 'accepted'; readonly order: ExchangeOrder }
  | { readonly type: 'rejected'; readonly order: ExchangeOrder; readonly reason: string }
  | { readonly type: 'trade'; readonly order: ExchangeOrder; readonly trade: Trade }
  | { readonly type: 'cancelled'; readonly order: ExchangeOrder; readonly reason: string }
  | { readonly type: 'modified'; readonly order: ExchangeOrder }
  | { readonly type: 'triggered'; readonly order: ExchangeOrder }
  | { readonly type: 'expired'; readonly order: ExchangeOrder };

/** The answer to a place: the order id, plus each slice's id (or error) for an autosliced order. */
export type PlaceResult =
  | {
      readonly ok: true;
      readonly order_id: string;
      readonly children?: readonly ({ readonly order_id: string } | { readonly error: KiteError })[];
    }
  | { readonly ok: false; readonly error: KiteError };

/** The answer to a modify or cancel. */
export type OrderResult =
  { readonly ok: true; readonly order_id: string } | { readonly ok: false; readonly error: KiteError };

/**
 * Kite's position conversion (`PUT /portfolio/positions`) as the exchange sees it: `quantity` of the
 * side that opened the account's position moves from one product to another at that side's average.
 */
export interface ConvertPosition {
  readonly account: string;
  readonly instrument_token: number;
  /** The side that opened the position: BUY for a long, SELL for a short. */
  readonly transaction_type: TransactionType;
  readonly quantity: number;
  readonly old_product: Product;
  readonly new_product: Product;
}

/** The answer to a conversion. */
export type ConvertResult = { readonly ok: true } | { readonly ok: false; readonly error: KiteError };

/** An account's position in one instrument and product, from its fills. Values in wire unit x quantity. */
export interface Position {
  readonly account: string;
  readonly instrument_token: number;
  readonly product: Product;
  /** Bought minus sold. */
  readonly quantity: number;
  readonly buy_quantity: number;
  readonly buy_value: number;
  readonly sell_quantity: number;
  readonly sell_value: number;
}

/** An instrument's trading so far today, for quotes and ticks. Prices in the wire unit; 0 = none yet. */
export interface MarketStats {
  readonly instrument_token: number;
  readonly last_price: number;
  readonly last_quantity: number;
  /** Epoch ms of the last trade, 0 before the first. */
  readonly last_trade_time: number;
  readonly volume: number;
  /** Sum of price x quantity; average traded price = turnover / volume. */
  readonly turnover: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  /** Previous close. */
  readonly close: number;
}
