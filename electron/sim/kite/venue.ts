/**
 * The seam between the Kite Connect protocol layer (REST + WebSocket, this folder) and the exchange
 * core that will implement it (the matching engine, instruments, portfolio). The protocol layer
 * validates and decodes every request before calling a venue, so a venue sees typed values only,
 * and answers with Kite-shaped data (field names and units as on the wire, kite-protocol.md
 * sections 4-5) or a typed Kite error. It never sees HTTP, sessions, rate limits or faults.
 */
import type { Disposable } from '../../../shared/disposable';
import type { TickSnapshot } from '../../../shared/kite/tickPacket';

/** Kite's error types (kite-protocol.md 3.1); the protocol layer maps each to its HTTP status. */
export type KiteErrorType =
  | 'TokenException'
  | 'InputException'
  | 'OrderException'
  | 'MarginException'
  | 'HoldingException'
  | 'UserException'
  | 'PermissionException'
  | 'TwoFAException'
  | 'NetworkException'
  | 'DataException'
  | 'GeneralException';

/** A refusal, as Kite words it: `{error_type, message}`. */
export interface KiteError {
  readonly error_type: KiteErrorType;
  readonly message: string;
}

/** A venue's answer: Kite-shaped data, or a Kite error. */
export type KiteResult<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: KiteError };

/** A venue may answer at once or later; the protocol layer awaits either. */
export type VenueAnswer<T> = KiteResult<T> | Promise<KiteResult<T>>;

/** Wraps data as a successful result. */
export function ok<T>(data: T): KiteResult<T> {
  return { ok: true, data };
}

/** Wraps a Kite error as a failed result. */
export function fail(error_type: KiteErrorType, message: string): KiteResult<never> {
  return { ok: false, error: { error_type, message } };
}

/** Exchanges an order may be sent to (NSEIX is in the JS client's enum). */
export type KiteExchange = 'NSE' | 'BSE' | 'NFO' | 'BFO' | 'CDS' | 'BCD' | 'MCX' | 'NSEIX';
/** `/orders/{variety}`. */
export type KiteVariety = 'regular' | 'amo' | 'co' | 'iceberg' | 'auction';
export type KiteTransactionType = 'BUY' | 'SELL';
export type KiteOrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
export type KiteProduct = 'CNC' | 'NRML' | 'MIS' | 'MTF';
export type KiteValidity = 'DAY' | 'IOC' | 'TTL';

/**
 * A price exactly as the client sent it, as decimal text ("2950.05"), already checked to be a
 * non-negative decimal. Text, not a number, so that no float rounding happens before the venue
 * converts it with `toPrice(value, divisor)` for the instrument it knows (a modify request does not
 * carry the exchange, so the protocol layer cannot pick the divisor).
 */
export type KiteDecimal = string & { readonly __kiteDecimal: true };

/** `POST /orders/{variety}`, validated. Absent optional fields were absent or empty on the wire. */
export interface PlaceOrderParams {
  readonly exchange: KiteExchange;
  readonly tradingsymbol: string;
  readonly transaction_type: KiteTransactionType;
  readonly order_type: KiteOrderType;
  /** Positive; for iceberg orders the total quantity. */
  readonly quantity: number;
  readonly product: KiteProduct;
  /** Default DAY. */
  readonly validity: KiteValidity;
  readonly price?: KiteDecimal;
  readonly trigger_price?: KiteDecimal;
  readonly disclosed_quantity?: number;
  /** Minutes; present only with validity TTL. */
  readonly validity_ttl?: number;
  /** variety iceberg only: 2..50. */
  readonly iceberg_legs?: number;
  readonly iceberg_quantity?: number;
  /** variety auction only. */
  readonly auction_number?: string;
  /** The client order id: at most 20 alphanumerics. */
  readonly tag?: string;
  /** -1 = automatic, else a percentage in (0, 100]. */
  readonly market_protection?: number;
  /** Split quantities above the freeze limit into child orders. */
  readonly autoslice?: boolean;
  readonly algo_id?: string;
}

/** `PUT /orders/{variety}/{order_id}`, validated: only the fields being changed are present. */
export interface ModifyOrderParams {
  readonly quantity?: number;
  readonly price?: KiteDecimal;
  readonly order_type?: KiteOrderType;
  readonly trigger_price?: KiteDecimal;
  readonly validity?: KiteValidity;
  readonly disclosed_quantity?: number;
  readonly parent_order_id?: string;
  readonly market_protection?: number;
}

/** One child of an autosliced order: its id, or why it was refused. */
export type KiteAutosliceChild =
  | { readonly order_id: string }
  | {
      readonly error: {
        readonly code: number;
        readonly error_type: KiteErrorType;
        readonly message: string;
        readonly data: null;
      };
    };

/** What placing an order returns; `children` only for autoslice. */
export interface KitePlaceOrderResult {
  readonly order_id: string;
  readonly children?: readonly KiteAutosliceChild[];
}

/**
 * An order row (orders.json, order_info.json). Timestamps are IST wall-clock `YYYY-MM-DD HH:MM:SS`
 * (see `formatIstDateTime`); prices are rupees as JSON numbers; ids are strings.
 */
export interface KiteOrder {
  readonly account_id?: string;
  readonly placed_by: string;
  readonly order_id: string;
  readonly exchange_order_id: string | null;
  readonly parent_order_id: string | null;
  readonly status: string;
  readonly status_message: string | null;
  readonly status_message_raw: string | null;
  readonly order_timestamp: string;
  readonly exchange_update_timestamp: string | null;
  readonly exchange_timestamp: string | null;
  readonly variety: KiteVariety;
  readonly modified: boolean;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrument_token: number;
  readonly order_type: KiteOrderType;
  readonly transaction_type: KiteTransactionType;
  readonly validity: KiteValidity;
  readonly validity_ttl: number;
  readonly product: KiteProduct;
  readonly quantity: number;
  readonly disclosed_quantity: number;
  readonly price: number;
  readonly trigger_price: number;
  readonly average_price: number;
  readonly filled_quantity: number;
  readonly pending_quantity: number;
  readonly cancelled_quantity: number;
  readonly auction_number?: string | null;
  readonly market_protection: number;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly tag: string | null;
  readonly tags?: readonly string[];
  readonly guid: string;
}

/** A trade row (trades.json). `fill_timestamp`, `exchange_timestamp`: `YYYY-MM-DD HH:MM:SS` IST. */
export interface KiteTrade {
  readonly trade_id: string;
  readonly order_id: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrument_token: number;
  readonly product: KiteProduct;
  readonly average_price: number;
  readonly quantity: number;
  readonly exchange_order_id: string;
  readonly transaction_type: KiteTransactionType;
  readonly fill_timestamp: string;
  readonly order_timestamp: string;
  readonly exchange_timestamp: string;
}

/** A position row (positions.json); the same shape in `net` and `day`. */
export interface KitePosition {
  readonly tradingsymbol: string;
  readonly exchange: string;
  readonly instrument_token: number;
  readonly product: KiteProduct;
  readonly quantity: number;
  readonly overnight_quantity: number;
  readonly multiplier: number;
  readonly average_price: number;
  readonly close_price: number;
  readonly last_price: number;
  readonly value: number;
  readonly pnl: number;
  readonly m2m: number;
  readonly unrealised: number;
  readonly realised: number;
  readonly buy_quantity: number;
  readonly buy_price: number;
  readonly buy_value: number;
  readonly buy_m2m: number;
  readonly sell_quantity: number;
  readonly sell_price: number;
  readonly sell_value: number;
  readonly sell_m2m: number;
  readonly day_buy_quantity: number;
  readonly day_buy_price: number;
  readonly day_buy_value: number;
  readonly day_sell_quantity: number;
  readonly day_sell_price: number;
  readonly day_sell_value: number;
}

/** `GET /portfolio/positions`. */
export interface KitePositions {
  readonly net: readonly KitePosition[];
  readonly day: readonly KitePosition[];
}

/** A holding row (holdings.json); auction rows add `auction_number`. Extra fields pass through. */
export interface KiteHolding {
  readonly tradingsymbol: string;
  readonly exchange: string;
  readonly instrument_token: number;
  readonly isin: string;
  readonly product: KiteProduct;
  readonly price: number;
  readonly quantity: number;
  readonly used_quantity: number;
  readonly t1_quantity: number;
  readonly realised_quantity: number;
  readonly authorised_quantity: number;
  readonly authorised_date: string;
  readonly opening_quantity: number;
  readonly collateral_quantity: number;
  readonly collateral_type: string;
  readonly discrepancy: boolean;
  readonly average_price: number;
  readonly last_price: number;
  readonly close_price: number;
  readonly pnl: number;
  readonly day_change: number;
  readonly day_change_percentage: number;
  readonly [extra: string]: unknown;
}

/** One segment of `GET /user/margins` (margins_equity.json). */
export interface KiteSegmentMargins {
  readonly enabled: boolean;
  readonly net: number;
  readonly available: Readonly<Record<string, number>>;
  readonly utilised: Readonly<Record<string, number>>;
}

/** `GET /user/margins`. */
export interface KiteMargins {
  readonly equity: KiteSegmentMargins;
  readonly commodity: KiteSegmentMargins;
}

/** `/user/margins/{segment}`. */
export type KiteMarginSegment = 'equity' | 'commodity';

/** One level of market depth in a quote, in rupees. */
export interface KiteDepthLevel {
  readonly price: number;
  readonly quantity: number;
  readonly orders: number;
}

/** OHLC in rupees; `close` is the previous session's close. */
export interface KiteOhlc {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * A full quote (quote.json). `timestamp` and `last_trade_time` are `YYYY-MM-DD HH:MM:SS` IST. The
 * protocol layer derives `/quote/ohlc` and `/quote/ltp` from it.
 */
export interface KiteQuote {
  readonly instrument_token: number;
  readonly timestamp: string;
  readonly last_trade_time: string | null;
  readonly last_price: number;
  readonly last_quantity: number;
  readonly buy_quantity: number;
  readonly sell_quantity: number;
  readonly volume: number;
  readonly average_price: number;
  readonly oi: number;
  readonly oi_day_high: number;
  readonly oi_day_low: number;
  readonly net_change: number;
  readonly lower_circuit_limit: number;
  readonly upper_circuit_limit: number;
  readonly ohlc: KiteOhlc;
  readonly depth: { readonly buy: readonly KiteDepthLevel[]; readonly sell: readonly KiteDepthLevel[] };
}

/**
 * One row of the instrument dump, written as CSV in this column order (kite-protocol.md 4.3).
 * `expiry` is `YYYY-MM-DD` or empty; `strike`, `tick_size`, `last_price` are rupees.
 */
export interface KiteInstrumentRow {
  readonly instrument_token: number;
  readonly exchange_token: number;
  readonly tradingsymbol: string;
  readonly name: string;
  readonly last_price: number;
  readonly expiry: string;
  readonly strike: number;
  readonly tick_size: number;
  readonly lot_size: number;
  readonly instrument_type: string;
  readonly segment: string;
  readonly exchange: string;
}

/** Candle intervals of `/instruments/historical`. */
export type KiteInterval =
  'minute' | '3minute' | '5minute' | '10minute' | '15minute' | '30minute' | '60minute' | 'day';

/** `GET /instruments/historical/{token}/{interval}`, validated; `from`/`to` as epoch ms (IST parsed). */
export interface HistoricalQuery {
  readonly instrumentToken: number;
  readonly interval: KiteInterval;
  readonly from: number;
  readonly to: number;
  readonly continuous: boolean;
  readonly oi: boolean;
}

/**
 * A candle as Kite sends it: `[timestamp, open, high, low, close, volume]`, plus `oi` when asked.
 * The timestamp is `YYYY-MM-DDTHH:MM:SS+0530` (see `formatCandleTime`).
 */
export type KiteCandle =
  | readonly [string, number, number, number, number, number]
  | readonly [string, number, number, number, number, number, number];

/** An order of a margin or charges request (`MarginOrder`), validated. */
export interface MarginOrderParams {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly transaction_type: KiteTransactionType;
  readonly variety: KiteVariety;
  readonly product: KiteProduct;
  readonly order_type: KiteOrderType;
  readonly quantity: number;
  readonly price?: number;
  readonly trigger_price?: number;
}

/** An order of `POST /charges/orders` (virtual contract note), validated. */
export interface ContractNoteOrderParams {
  readonly order_id: string;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly transaction_type: KiteTransactionType;
  readonly variety: KiteVariety;
  readonly product: KiteProduct;
  readonly order_type: KiteOrderType;
  readonly quantity: number;
  readonly average_price: number;
}

/** `PUT /portfolio/positions`, validated. */
export interface ConvertPositionParams {
  readonly exchange: KiteExchange;
  readonly tradingsymbol: string;
  readonly transaction_type: KiteTransactionType;
  readonly position_type: 'day' | 'overnight';
  readonly quantity: number;
  readonly old_product: KiteProduct;
  readonly new_product: KiteProduct;
}

/** A GTT's condition, validated (from the `condition` JSON string). */
export interface GttCondition {
  readonly exchange: string;
  readonly tradingsymbol: string;
  /** One value for `single`, two for `two-leg`. */
  readonly trigger_values: readonly number[];
  readonly last_price: number;
}

/** One order of a GTT, validated (from the `orders` JSON string). */
export interface GttOrder {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly transaction_type: KiteTransactionType;
  readonly order_type: KiteOrderType;
  readonly product: KiteProduct;
  readonly quantity: number;
  readonly price: number;
}

/** `POST /gtt/triggers` and `PUT /gtt/triggers/{id}`, validated. */
export interface GttParams {
  readonly type: 'single' | 'two-leg';
  readonly condition: GttCondition;
  readonly orders: readonly GttOrder[];
}

/** A GTT trigger (gtt_get_order.json); nested shapes pass through as the venue builds them. */
export interface KiteGtt {
  readonly id: number;
  readonly user_id: string;
  readonly parent_trigger: number | null;
  readonly type: 'single' | 'two-leg';
  readonly created_at: string;
  readonly updated_at: string;
  readonly expires_at: string;
  readonly status: string;
  readonly condition: Readonly<Record<string, unknown>>;
  readonly orders: readonly Readonly<Record<string, unknown>>[];
  readonly meta: unknown;
}

/**
 * The exchange core as the Kite protocol layer needs it. Implemented by the matching engine's
 * venue; `testing/memoryVenue.ts` is a small test double. Every method may answer synchronously or
 * with a promise. Inputs are already validated for shape (types, enums, ranges that need no market
 * knowledge); a venue checks what needs its knowledge (the instrument exists, tick and lot sizes,
 * freeze quantities, margins, the order's state) and answers with Kite's error types for those.
 */
export interface KiteVenue {
  /** Places an order; `{order_id}` means accepted for processing (a rejection arrives later). */
  placeOrder(variety: KiteVariety, params: PlaceOrderParams): VenueAnswer<KitePlaceOrderResult>;
  modifyOrder(
    variety: KiteVariety,
    orderId: string,
    params: ModifyOrderParams,
  ): VenueAnswer<{ readonly order_id: string }>;
  /** Cancels an order, or exits a CO's second leg when `parentOrderId` is given. */
  cancelOrder(
    variety: KiteVariety,
    orderId: string,
    parentOrderId: string | undefined,
  ): VenueAnswer<{ readonly order_id: string }>;

  /** Today's order book: the latest state of every order. */
  orders(): VenueAnswer<readonly KiteOrder[]>;
  /** One row per state transition, oldest first; unknown id: an error. */
  orderHistory(orderId: string): VenueAnswer<readonly KiteOrder[]>;
  trades(): VenueAnswer<readonly KiteTrade[]>;
  orderTrades(orderId: string): VenueAnswer<readonly KiteTrade[]>;

  positions(): VenueAnswer<KitePositions>;
  convertPosition(params: ConvertPositionParams): VenueAnswer<boolean>;
  holdings(): VenueAnswer<readonly KiteHolding[]>;
  /** Holdings eligible for today's auctions, each with `auction_number`. */
  auctionInstruments(): VenueAnswer<readonly KiteHolding[]>;
  margins(): VenueAnswer<KiteMargins>;

  /** `POST /margins/orders`: one margin row per order (order_margins.json shape). */
  orderMargins(orders: readonly MarginOrderParams[], mode: string): VenueAnswer<readonly unknown[]>;
  /** `POST /margins/basket`: `{initial, final, orders, charges}` (basket_margins.json shape). */
  basketMargins(
    orders: readonly MarginOrderParams[],
    considerPositions: boolean,
    mode: string,
  ): VenueAnswer<unknown>;
  /** `POST /charges/orders`: one charges row per order (virtual_contract_note.json shape). */
  contractNote(orders: readonly ContractNoteOrderParams[]): VenueAnswer<readonly unknown[]>;

  /**
   * Quotes keyed by the requested `EXCHANGE:TRADINGSYMBOL` (or instrument token) strings; keys the
   * venue does not know are left out.
   */
  quotes(keys: readonly string[]): VenueAnswer<Readonly<Record<string, KiteQuote>>>;
  /** The instrument dump, all exchanges or one (`exchange` as in the CSV's `exchange` column). */
  instruments(exchange: string | undefined): VenueAnswer<readonly KiteInstrumentRow[]>;
  historical(query: HistoricalQuery): VenueAnswer<{ readonly candles: readonly KiteCandle[] }>;

  gtts(): VenueAnswer<readonly KiteGtt[]>;
  gtt(triggerId: number): VenueAnswer<KiteGtt>;
  placeGtt(params: GttParams): VenueAnswer<{ readonly trigger_id: number }>;
  modifyGtt(triggerId: number, params: GttParams): VenueAnswer<{ readonly trigger_id: number }>;
  deleteGtt(triggerId: number): VenueAnswer<{ readonly trigger_id: number }>;

  /**
   * Calls `listener` with the order's new row on every state change (placed, opened, modified,
   * partly filled, filled, cancelled, rejected), synchronously or soon after, in order.
   */
  onOrderUpdate(listener: (order: KiteOrder) => void): Disposable;
  /**
   * The instrument's current snapshot in wire units, or undefined when the venue does not know the
   * token. The ticker sends it on subscribe and on a mode change.
   */
  snapshot(instrumentToken: number): TickSnapshot | undefined;
  /**
   * Calls `listener` with each new snapshot of one instrument (the ticker conflates them per
   * connection). Returns undefined when the venue does not know the token.
   */
  watchInstrument(
    instrumentToken: number,
    listener: (snapshot: TickSnapshot) => void,
  ): Disposable | undefined;
}
