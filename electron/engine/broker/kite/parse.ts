/**
 * Kite Connect v3 payloads to our domain types, and our requests to Kite's parameters. Pure: no I/O,
 * no clock, no machine time zone. Every field is checked as it is read; a payload that does not fit
 * throws a `data` BrokerError naming the field (`orders[3].price: ...`).
 *
 * Times: Kite sends IST wall-clock text without an offset (`2026-12-01 09:15:00`); it is parsed here
 * as IST, explicitly (the official client hands it to `new Date()`, which reads it in the machine's
 * zone). Candle times carry their offset (`2026-12-01T09:15:00+0530`) and are parsed with it.
 *
 * Prices: Kite sends rupees as JSON numbers. Prices that are exact by nature (an order's limit, a
 * trade's price, a quote, a candle, the dump) are converted exactly with `toPrice` or refused;
 * values Kite derives in floating point (averages, P&L, margins, charges) are rounded to the wire
 * unit or paisa, and their field names in types.ts say so.
 */
import { MoneyError, paise, priceDivisor, segmentOfToken, toPrice } from '../../../../shared/domain/money';
import type { Paise, Price } from '../../../../shared/domain/money';
import { formatIstDateTime, IST_OFFSET_MS } from '../../../../shared/time/ist';
import { BrokerError } from '../errors';
import type { BrokerErrorKind } from '../errors';
import type {
  AccountMargins,
  BrokerHolding,
  BrokerOrder,
  BrokerPosition,
  BrokerPositions,
  BrokerProfile,
  BrokerSession,
  BrokerTrade,
  Candle,
  ContractNote,
  DepthLevel,
  Exchange,
  Gtt,
  GttOrder,
  GttOrderState,
  LtpQuote,
  Ohlc,
  OhlcQuote,
  OrderCharges,
  OrderMargin,
  OrderType,
  Product,
  Quote,
  SegmentMargins,
  Side,
  Validity,
  Variety,
} from '../types';

// ------------------------------------------------------------------------------------------------
// Errors

function dataError(path: string, why: string): BrokerError {
  return new BrokerError('data', `${path}: ${why}`);
}

/**
 * Our error kind for a Kite `error_type` and HTTP status (kite-protocol.md 3.1). A 429 is
 * `rateLimited` whatever its type (Kite labels it NetworkException).
 */
export function kiteErrorKind(
  errorType: string | undefined,
  httpStatus: number | undefined,
): BrokerErrorKind {
  if (httpStatus === 429) return 'rateLimited';
  switch (errorType) {
    case 'TokenException':
      return 'token';
    case 'InputException':
      return 'input';
    case 'OrderException':
      return 'order';
    case 'MarginException':
      return 'margin';
    case 'HoldingException':
      return 'holding';
    case 'UserException':
    case 'PermissionException':
    case 'TwoFAException':
      return 'permission';
    case 'NetworkException':
      return 'network';
    case 'DataException':
      return 'data';
    default:
      return 'general';
  }
}

/** Kite's error_type for an HTTP status, for error bodies that are not Kite JSON (a proxy's 502). */
export function errorTypeOfStatus(httpStatus: number): string {
  if (httpStatus === 403) return 'TokenException';
  if (httpStatus === 400) return 'InputException';
  if (httpStatus === 429 || httpStatus === 502 || httpStatus === 503 || httpStatus === 504)
    return 'NetworkException';
  return 'GeneralException';
}

// ------------------------------------------------------------------------------------------------
// Time

const IST_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const IST_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const OFFSET_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/** Epoch ms of a wall-clock reading at UTC, or NaN when a field is out of range (Feb 30, 24:00). */
function wallClockUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return Number.NaN;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(t);
  // Date.UTC rolls Feb 30 over into March; a real date reads back the same day.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
    return Number.NaN;
  return t;
}

/** `YYYY-MM-DD HH:MM:SS` read as IST, to epoch ms. Throws a `data` BrokerError for anything else. */
export function parseIstDateTime(text: string, path = 'time'): number {
  const m = IST_DATE_TIME.exec(text);
  const t =
    m === null
      ? Number.NaN
      : wallClockUtc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (Number.isNaN(t)) throw dataError(path, `"${text}" is not an IST date-time (YYYY-MM-DD HH:MM:SS)`);
  return t - IST_OFFSET_MS;
}

/** Validates an IST calendar date `YYYY-MM-DD` and returns it; throws a `data` BrokerError otherwise. */
export function parseIstDate(text: string, path = 'date'): string {
  const m = IST_DATE.exec(text);
  if (m === null || Number.isNaN(wallClockUtc(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0)))
    throw dataError(path, `"${text}" is not a date (YYYY-MM-DD)`);
  return text;
}

/**
 * An ISO date-time with an explicit offset (`2026-12-01T09:15:00+0530`, `+05:30`, `Z`), as in
 * Kite's candles, to epoch ms. Throws a `data` BrokerError for text without an offset: guessing a
 * zone is exactly the fault this module exists to avoid.
 */
export function parseOffsetDateTime(text: string, path = 'time'): number {
  const m = OFFSET_DATE_TIME.exec(text);
  if (m === null) throw dataError(path, `"${text}" is not a date-time with an offset`);
  const wall = wallClockUtc(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  const offsetMinutes = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (Number.isNaN(wall) || Number(m[11]) > 59) throw dataError(path, `"${text}" is out of range`);
  return wall - offsetMinutes * 60_000;
}

/** An instant as Kite's historical API wants `from`/`to`: IST `YYYY-MM-DD HH:MM:SS`. */
export function formatHistoricalTime(epochMs: number): string {
  return formatIstDateTime(epochMs);
}

// ------------------------------------------------------------------------------------------------
// Prices

/** The wire-unit divisor of an instrument_token (its low byte is the segment). */
export function divisorOfToken(instrumentToken: number, path = 'instrument_token'): number {
  try {
    return priceDivisor(segmentOfToken(instrumentToken));
  } catch (e) {
    throw dataError(path, e instanceof Error ? e.message : String(e));
  }
}

/** The wire-unit divisor of an exchange an order goes to: CDS 1e7, BCD 1e4, else 100. */
export function divisorOfExchange(exchange: string): number {
  if (exchange === 'CDS') return 10_000_000;
  if (exchange === 'BCD') return 10_000;
  return 100;
}

function exactPrice(value: unknown, divisor: number, path: string): Price {
  if (typeof value !== 'number' && typeof value !== 'string') throw dataError(path, 'not a price');
  try {
    return toPrice(value, divisor);
  } catch (e) {
    throw dataError(path, e instanceof MoneyError ? e.message : String(e));
  }
}

/** Rounds half away from zero, so that -2.5 and 2.5 round alike. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function roundedUnits(value: unknown, scale: number, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw dataError(path, 'not a finite number');
  const units = roundHalfAway(value * scale);
  if (!Number.isSafeInteger(units)) throw dataError(path, `${value} is out of range`);
  return units;
}

// ------------------------------------------------------------------------------------------------
// A checked reader over one JSON object

/** Reads fields of one JSON object, each checked, with errors that name the field. */
class Fields {
  private constructor(
    private readonly value: Readonly<Record<string, unknown>>,
    readonly path: string,
  ) {}

  static of(value: unknown, path: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw dataError(path, 'not an object');
    return new Fields(value as Readonly<Record<string, unknown>>, path);
  }

  static list(value: unknown, path: string): Fields[] {
    if (!Array.isArray(value)) throw dataError(path, 'not an array');
    return value.map((v: unknown, i) => Fields.of(v, `${path}[${i}]`));
  }

  raw(key: string): unknown {
    return this.value[key];
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  at(key: string): string {
    return `${this.path}.${key}`;
  }

  str(key: string): string {
    const v = this.value[key];
    if (typeof v !== 'string') throw dataError(this.at(key), 'not a string');
    return v;
  }

  /** null, absent and '' all mean "none" in Kite's rows. */
  strOrNull(key: string): string | null {
    const v = this.value[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') throw dataError(this.at(key), 'not a string');
    return v;
  }

  /** Ids that Kite sends as strings (and some mocks as numbers). */
  id(key: string): string {
    const v = this.value[key];
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    if (typeof v !== 'string' || v === '') throw dataError(this.at(key), 'not an id');
    return v;
  }

  int(key: string): number {
    const v = this.value[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw dataError(this.at(key), 'not an integer');
    return v;
  }

  /** An integer that Kite leaves out of some rows. */
  intOr(key: string, fallback: number): number {
    return this.has(key) ? this.int(key) : fallback;
  }

  num(key: string): number {
    const v = this.value[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw dataError(this.at(key), 'not a finite number');
    return v;
  }

  bool(key: string): boolean {
    const v = this.value[key];
    if (typeof v !== 'boolean') throw dataError(this.at(key), 'not a boolean');
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.value[key];
    const found = values.find((x) => x === v);
    if (found === undefined)
      throw dataError(this.at(key), `${JSON.stringify(v)} is not one of ${values.join(', ')}`);
    return found;
  }

  price(key: string, divisor: number): Price {
    return exactPrice(this.value[key], divisor, this.at(key));
  }

  /** A price Kite computes in floating point, rounded to the wire unit. */
  roundedPrice(key: string, divisor: number): Price {
    return roundedUnits(this.value[key], divisor, this.at(key)) as Price;
  }

  /** Rupees Kite computes in floating point, rounded to paise. */
  paise(key: string): Paise {
    return paise(roundedUnits(this.value[key], 100, this.at(key)));
  }

  /** Rupees, or 0 when Kite leaves the field out. */
  paiseOr0(key: string): Paise {
    return this.has(key) ? this.paise(key) : paise(0);
  }

  time(key: string): number {
    return parseIstDateTime(this.str(key), this.at(key));
  }

  timeOrNull(key: string): number | null {
    const v = this.strOrNull(key);
    return v === null ? null : parseIstDateTime(v, this.at(key));
  }

  obj(key: string): Fields {
    return Fields.of(this.value[key], this.at(key));
  }

  objs(key: string): Fields[] {
    return Fields.list(this.value[key], this.at(key));
  }

  strings(key: string): string[] {
    const v = this.value[key];
    if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string'))
      throw dataError(this.at(key), 'not a list of strings');
    return v;
  }

  /** A list of strings that Kite leaves out of some rows. */
  stringsOrEmpty(key: string): string[] {
    return this.has(key) ? this.strings(key) : [];
  }

  record(key: string): Readonly<Record<string, unknown>> {
    const v = this.value[key];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw dataError(this.at(key), 'not an object');
    return v as Readonly<Record<string, unknown>>;
  }

  /** Every numeric field of a sub-object as rounded paise (margins' `available`, `utilised`). */
  paiseRecord(key: string): Readonly<Record<string, Paise>> {
    const f = this.obj(key);
    const out: Record<string, Paise> = {};
    for (const k of Object.keys(f.value)) out[k] = f.paise(k);
    return out;
  }

  keys(): string[] {
    return Object.keys(this.value);
  }
}

// ------------------------------------------------------------------------------------------------
// Enums

const VARIETIES: readonly Variety[] = ['regular', 'amo', 'co', 'iceberg', 'auction'];
const SIDES: readonly Side[] = ['BUY', 'SELL'];
const ORDER_TYPES: readonly OrderType[] = ['MARKET', 'LIMIT', 'SL', 'SL-M'];
const PRODUCTS: readonly Product[] = ['CNC', 'NRML', 'MIS', 'MTF'];
const VALIDITIES: readonly Validity[] = ['DAY', 'IOC', 'TTL'];
const EXCHANGES: readonly Exchange[] = ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX', 'NSEIX'];

// ------------------------------------------------------------------------------------------------
// Orders and trades

function order(f: Fields): BrokerOrder {
  const instrumentToken = f.int('instrument_token');
  const divisor = divisorOfToken(instrumentToken, f.at('instrument_token'));
  return {
    orderId: f.id('order_id'),
    exchangeOrderId: f.strOrNull('exchange_order_id'),
    parentOrderId: f.strOrNull('parent_order_id'),
    status: f.str('status'),
    statusMessage: f.strOrNull('status_message'),
    placedBy: f.str('placed_by'),
    variety: f.oneOf('variety', VARIETIES),
    exchange: f.str('exchange'),
    tradingsymbol: f.str('tradingsymbol'),
    instrumentToken,
    orderType: f.oneOf('order_type', ORDER_TYPES),
    side: f.oneOf('transaction_type', SIDES),
    validity: f.oneOf('validity', VALIDITIES),
    validityTtl: f.intOr('validity_ttl', 0),
    product: f.oneOf('product', PRODUCTS),
    quantity: f.int('quantity'),
    disclosedQuantity: f.intOr('disclosed_quantity', 0),
    filledQuantity: f.int('filled_quantity'),
    pendingQuantity: f.int('pending_quantity'),
    cancelledQuantity: f.intOr('cancelled_quantity', 0),
    price: f.price('price', divisor),
    triggerPrice: f.price('trigger_price', divisor),
    averagePrice: f.roundedPrice('average_price', divisor),
    marketProtection: f.has('market_protection') ? f.num('market_protection') : 0,
    modified: f.has('modified') ? f.bool('modified') : false,
    tag: f.strOrNull('tag'),
    tags: f.stringsOrEmpty('tags'),
    guid: f.strOrNull('guid'),
    orderTime: f.time('order_timestamp'),
    exchangeTime: f.timeOrNull('exchange_timestamp'),
    exchangeUpdateTime: f.timeOrNull('exchange_update_timestamp'),
    meta: f.record('meta'),
  };
}

/** One order object: a row of the order book, or the `data` of an order-update message. */
export function parseOrder(data: unknown, path = 'order'): BrokerOrder {
  return order(Fields.of(data, path));
}

/** `GET /orders` and `GET /orders/{id}` (one row per state transition, oldest first). */
export function parseOrders(data: unknown, path = 'orders'): BrokerOrder[] {
  return Fields.list(data, path).map(order);
}

function trade(f: Fields): BrokerTrade {
  const instrumentToken = f.int('instrument_token');
  return {
    tradeId: f.id('trade_id'),
    orderId: f.id('order_id'),
    exchangeOrderId: f.strOrNull('exchange_order_id'),
    exchange: f.str('exchange'),
    tradingsymbol: f.str('tradingsymbol'),
    instrumentToken,
    product: f.oneOf('product', PRODUCTS),
    side: f.oneOf('transaction_type', SIDES),
    quantity: f.int('quantity'),
    price: f.price('average_price', divisorOfToken(instrumentToken, f.at('instrument_token'))),
    // A trade row's `order_timestamp` is a bare `HH:MM:SS` (mocks and simulator): the order row
    // has the full time, so it is not read here.
    fillTime: f.time('fill_timestamp'),
    exchangeTime: f.timeOrNull('exchange_timestamp'),
  };
}

/** `GET /trades` and `GET /orders/{id}/trades`. */
export function parseTrades(data: unknown, path = 'trades'): BrokerTrade[] {
  return Fields.list(data, path).map(trade);
}

/** One child of an autosliced placement: its order id, or why it was refused. */
export type PlacedChild = { readonly orderId: string } | { readonly error: BrokerError };

/** What placing an order returns. `children` only for autoslice. */
export interface PlaceOrderResult {
  readonly orderId: string;
  readonly children?: readonly PlacedChild[];
}

/** `POST /orders/{variety}`: `{order_id}`, with autoslice `{order_id, children:[...]}`. */
export function parsePlaceOrderResult(data: unknown): PlaceOrderResult {
  const f = Fields.of(data, 'placeOrder');
  const orderId = f.id('order_id');
  if (!f.has('children')) return { orderId };
  const children = f.objs('children').map((c): PlacedChild => {
    if (c.has('order_id')) return { orderId: c.id('order_id') };
    const e = c.obj('error');
    const errorType = e.strOrNull('error_type') ?? undefined;
    const httpStatus = e.has('code') ? e.int('code') : undefined;
    return {
      error: new BrokerError(kiteErrorKind(errorType, httpStatus), e.strOrNull('message') ?? 'refused', {
        ...(errorType === undefined ? {} : { venueErrorType: errorType }),
        ...(httpStatus === undefined ? {} : { httpStatus }),
        endpoint: 'orders.place',
      }),
    };
  });
  return { orderId, children };
}

/** `{order_id}` of a modify or cancel. */
export function parseOrderId(data: unknown, path: string): string {
  return Fields.of(data, path).id('order_id');
}

// ------------------------------------------------------------------------------------------------
// Portfolio, funds, user

function position(f: Fields): BrokerPosition {
  const instrumentToken = f.int('instrument_token');
  const divisor = divisorOfToken(instrumentToken, f.at('instrument_token'));
  return {
    exchange: f.str('exchange'),
    tradingsymbol: f.str('tradingsymbol'),
    instrumentToken,
    product: f.oneOf('product', PRODUCTS),
    quantity: f.int('quantity'),
    overnightQuantity: f.intOr('overnight_quantity', 0),
    multiplier: f.has('multiplier') ? f.num('multiplier') : 1,
    averagePrice: f.roundedPrice('average_price', divisor),
    // The last and close prices of a position are market prices, but Kite computes nothing from
    // them here; rounding keeps a position readable if Kite ever sends one off the tick.
    lastPrice: f.roundedPrice('last_price', divisor),
    closePrice: f.roundedPrice('close_price', divisor),
    value: f.paise('value'),
    pnl: f.paise('pnl'),
    m2m: f.paiseOr0('m2m'),
    realised: f.paiseOr0('realised'),
    unrealised: f.paiseOr0('unrealised'),
    buyQuantity: f.int('buy_quantity'),
    buyValue: f.paise('buy_value'),
    sellQuantity: f.int('sell_quantity'),
    sellValue: f.paise('sell_value'),
    dayBuyQuantity: f.intOr('day_buy_quantity', 0),
    daySellQuantity: f.intOr('day_sell_quantity', 0),
  };
}

/** `GET /portfolio/positions`: `{net, day}`. */
export function parsePositions(data: unknown): BrokerPositions {
  const f = Fields.of(data, 'positions');
  return { net: f.objs('net').map(position), day: f.objs('day').map(position) };
}

/** `GET /portfolio/holdings`. */
export function parseHoldings(data: unknown): BrokerHolding[] {
  return Fields.list(data, 'holdings').map((f) => {
    const instrumentToken = f.int('instrument_token');
    const divisor = divisorOfToken(instrumentToken, f.at('instrument_token'));
    return {
      exchange: f.str('exchange'),
      tradingsymbol: f.str('tradingsymbol'),
      instrumentToken,
      isin: f.str('isin'),
      product: f.oneOf('product', PRODUCTS),
      quantity: f.int('quantity'),
      t1Quantity: f.intOr('t1_quantity', 0),
      usedQuantity: f.intOr('used_quantity', 0),
      collateralQuantity: f.intOr('collateral_quantity', 0),
      averagePrice: f.roundedPrice('average_price', divisor),
      lastPrice: f.roundedPrice('last_price', divisor),
      closePrice: f.roundedPrice('close_price', divisor),
      pnl: f.paise('pnl'),
    };
  });
}

function segmentMargins(f: Fields): SegmentMargins {
  return {
    enabled: f.bool('enabled'),
    net: f.paise('net'),
    available: f.paiseRecord('available'),
    utilised: f.paiseRecord('utilised'),
  };
}

/** `GET /user/margins`. */
export function parseMargins(data: unknown): AccountMargins {
  const f = Fields.of(data, 'margins');
  return { equity: segmentMargins(f.obj('equity')), commodity: segmentMargins(f.obj('commodity')) };
}

/** `GET /user/margins/{segment}`. */
export function parseSegmentMargins(data: unknown, segment: string): SegmentMargins {
  return segmentMargins(Fields.of(data, `margins.${segment}`));
}

function profile(f: Fields): BrokerProfile {
  return {
    userId: f.str('user_id'),
    userName: f.str('user_name'),
    userShortname: f.strOrNull('user_shortname') ?? '',
    email: f.strOrNull('email') ?? '',
    userType: f.strOrNull('user_type') ?? '',
    broker: f.strOrNull('broker') ?? '',
    exchanges: f.stringsOrEmpty('exchanges'),
    products: f.stringsOrEmpty('products'),
    orderTypes: f.stringsOrEmpty('order_types'),
  };
}

/** `GET /user/profile`. */
export function parseProfile(data: unknown): BrokerProfile {
  return profile(Fields.of(data, 'profile'));
}

/** `POST /session/token` and `POST /session/refresh_token`. */
export function parseSession(data: unknown): BrokerSession {
  const f = Fields.of(data, 'session');
  return {
    ...profile(f),
    apiKey: f.str('api_key'),
    accessToken: f.str('access_token'),
    publicToken: f.strOrNull('public_token'),
    refreshToken: f.strOrNull('refresh_token'),
    loginTime: f.timeOrNull('login_time'),
  };
}

// ------------------------------------------------------------------------------------------------
// Market data

function ohlc(f: Fields, divisor: number): Ohlc {
  return {
    open: f.price('open', divisor),
    high: f.price('high', divisor),
    low: f.price('low', divisor),
    close: f.price('close', divisor),
  };
}

function depth(list: Fields[], divisor: number): DepthLevel[] {
  return list.map((l) => ({
    price: l.price('price', divisor),
    quantity: l.int('quantity'),
    orders: l.int('orders'),
  }));
}

function quoteMap<T>(data: unknown, path: string, read: (f: Fields, divisor: number) => T): Map<string, T> {
  const all = Fields.of(data, path);
  const out = new Map<string, T>();
  for (const key of all.keys()) {
    const f = all.obj(key);
    out.set(key, read(f, divisorOfToken(f.int('instrument_token'), f.at('instrument_token'))));
  }
  return out;
}

function ltp(f: Fields, divisor: number): LtpQuote {
  return { instrumentToken: f.int('instrument_token'), lastPrice: f.price('last_price', divisor) };
}

/** `GET /quote/ltp`: keyed by the requested `EXCHANGE:TRADINGSYMBOL`; unknown keys are absent. */
export function parseLtpQuotes(data: unknown): Map<string, LtpQuote> {
  return quoteMap(data, 'ltp', ltp);
}

/** `GET /quote/ohlc`. */
export function parseOhlcQuotes(data: unknown): Map<string, OhlcQuote> {
  return quoteMap(data, 'ohlc', (f, d) => ({ ...ltp(f, d), ohlc: ohlc(f.obj('ohlc'), d) }));
}

/** `GET /quote`. */
export function parseQuotes(data: unknown): Map<string, Quote> {
  return quoteMap(data, 'quote', (f, d): Quote => {
    const book = f.obj('depth');
    return {
      ...ltp(f, d),
      ohlc: ohlc(f.obj('ohlc'), d),
      time: f.time('timestamp'),
      lastTradeTime: f.timeOrNull('last_trade_time'),
      lastQuantity: f.intOr('last_quantity', 0),
      buyQuantity: f.intOr('buy_quantity', 0),
      sellQuantity: f.intOr('sell_quantity', 0),
      volume: f.intOr('volume', 0),
      averagePrice: f.has('average_price') ? f.roundedPrice('average_price', d) : (0 as Price),
      oi: f.has('oi') ? f.num('oi') : 0,
      oiDayHigh: f.has('oi_day_high') ? f.num('oi_day_high') : 0,
      oiDayLow: f.has('oi_day_low') ? f.num('oi_day_low') : 0,
      lowerCircuitLimit: f.has('lower_circuit_limit') ? f.price('lower_circuit_limit', d) : (0 as Price),
      upperCircuitLimit: f.has('upper_circuit_limit') ? f.price('upper_circuit_limit', d) : (0 as Price),
      depth: { buy: depth(book.objs('buy'), d), sell: depth(book.objs('sell'), d) },
    };
  });
}

/**
 * `GET /instruments/historical/{token}/{interval}`: `{candles: [[time, o, h, l, c, v(, oi)]]}`, for
 * the instrument whose prices are in `divisor` units.
 */
export function parseCandles(data: unknown, divisor: number, withOi: boolean): Candle[] {
  const candles = Fields.of(data, 'historical').raw('candles');
  if (!Array.isArray(candles)) throw dataError('historical.candles', 'not an array');
  return candles.map((row: unknown, i): Candle => {
    const path = `historical.candles[${i}]`;
    if (!Array.isArray(row) || row.length < 6) throw dataError(path, 'not a candle');
    const cell = (j: number): unknown => row[j] as unknown;
    const time = cell(0);
    if (typeof time !== 'string') throw dataError(`${path}[0]`, 'not a time');
    const volume = cell(5);
    if (typeof volume !== 'number' || !Number.isSafeInteger(volume))
      throw dataError(`${path}[5]`, 'not a volume');
    const oi = cell(6);
    if (oi !== undefined && (typeof oi !== 'number' || !Number.isFinite(oi)))
      throw dataError(`${path}[6]`, 'not an OI');
    return {
      time: parseOffsetDateTime(time, `${path}[0]`),
      open: exactPrice(cell(1), divisor, `${path}[1]`),
      high: exactPrice(cell(2), divisor, `${path}[2]`),
      low: exactPrice(cell(3), divisor, `${path}[3]`),
      close: exactPrice(cell(4), divisor, `${path}[4]`),
      volume,
      oi: withOi ? (oi ?? 0) : null,
    };
  });
}

// ------------------------------------------------------------------------------------------------
// The instrument dump (CSV)

function charges(f: Fields): OrderCharges {
  const gst = f.obj('gst');
  return {
    transactionTax: f.paiseOr0('transaction_tax'),
    transactionTaxType: f.strOrNull('transaction_tax_type') ?? '',
    exchangeTurnoverCharge: f.paiseOr0('exchange_turnover_charge'),
    sebiTurnoverCharge: f.paiseOr0('sebi_turnover_charge'),
    brokerage: f.paiseOr0('brokerage'),
    stampDuty: f.paiseOr0('stamp_duty'),
    gst: gst.paiseOr0('total'),
    total: f.paise('total'),
  };
}

/** `POST /margins/orders`. */
export function parseOrderMargins(data: unknown): OrderMargin[] {
  return Fields.list(data, 'orderMargins').map((f) => ({
    type: f.strOrNull('type') ?? '',
    exchange: f.str('exchange'),
    tradingsymbol: f.str('tradingsymbol'),
    span: f.paiseOr0('span'),
    exposure: f.paiseOr0('exposure'),
    optionPremium: f.paiseOr0('option_premium'),
    additional: f.paiseOr0('additional'),
    cash: f.paiseOr0('cash'),
    var: f.paiseOr0('var'),
    leverage: f.has('leverage') ? f.num('leverage') : 1,
    charges: charges(f.obj('charges')),
    total: f.paise('total'),
  }));
}

/** `POST /charges/orders`. */
export function parseContractNotes(data: unknown): ContractNote[] {
  return Fields.list(data, 'charges').map((f) => {
    const exchange = f.str('exchange');
    return {
      exchange,
      tradingsymbol: f.str('tradingsymbol'),
      side: f.oneOf('transaction_type', SIDES),
      quantity: f.int('quantity'),
      price: f.roundedPrice(f.has('price') ? 'price' : 'average_price', divisorOfExchange(exchange)),
      charges: charges(f.obj('charges')),
    };
  });
}

// ------------------------------------------------------------------------------------------------
// GTT

function gtt(f: Fields): Gtt {
  const condition = f.obj('condition');
  const exchange = condition.str('exchange');
  const instrumentToken = condition.has('instrument_token') ? condition.int('instrument_token') : null;
  const divisor =
    instrumentToken === null
      ? divisorOfExchange(exchange)
      : divisorOfToken(instrumentToken, condition.at('instrument_token'));
  const values = condition.raw('trigger_values');
  if (!Array.isArray(values)) throw dataError(condition.at('trigger_values'), 'not an array');
  return {
    id: f.int('id'),
    type: f.oneOf('type', ['single', 'two-leg'] as const),
    status: f.str('status'),
    createdAt: f.time('created_at'),
    updatedAt: f.time('updated_at'),
    expiresAt: f.timeOrNull('expires_at'),
    exchange,
    tradingsymbol: condition.str('tradingsymbol'),
    instrumentToken,
    triggerValues: values.map((v: unknown, i) =>
      exactPrice(v, divisor, `${condition.at('trigger_values')}[${i}]`),
    ),
    lastPrice: condition.price('last_price', divisor),
    orders: f.objs('orders').map((o): GttOrderState => {
      const result = o.has('result') ? o.obj('result') : null;
      const orderResult = result?.has('order_result') === true ? result.obj('order_result') : null;
      return {
        exchange: o.str('exchange'),
        tradingsymbol: o.str('tradingsymbol'),
        side: o.oneOf('transaction_type', SIDES),
        orderType: o.oneOf('order_type', ORDER_TYPES),
        product: o.oneOf('product', PRODUCTS),
        quantity: o.int('quantity'),
        price: o.price('price', divisor),
        result:
          orderResult === null
            ? null
            : {
                orderId: orderResult.strOrNull('order_id'),
                status: orderResult.strOrNull('status') ?? '',
                rejectionReason: orderResult.strOrNull('rejection_reason'),
              },
      };
    }),
  };
}

/** `GET /gtt/triggers`. */
export function parseGtts(data: unknown): Gtt[] {
  return Fields.list(data, 'gtts').map(gtt);
}

/** `GET /gtt/triggers/{id}`. */
export function parseGtt(data: unknown): Gtt {
  return gtt(Fields.of(data, 'gtt'));
}

/** `{trigger_id}` of a GTT write. */
export function parseTriggerId(data: unknown, path: string): number {
  return Fields.of(data, path).int('trigger_id');
}

// ------------------------------------------------------------------------------------------------
// Requests: our domain to Kite's parameters

/** A value of a Kite form parameter. */
export type FormValue = string | number | boolean;

function inputError(why: string): BrokerError {
  return new BrokerError('input', why);
}

/** A price as the exact decimal text Kite expects (wire units back to rupees, no float on the way). */
export function formatKitePrice(price: Price, divisor: number): string {
  if (!Number.isSafeInteger(price) || price < 0)
    throw inputError(`price ${price} is not a non-negative integer`);
  const decimals = Math.round(Math.log10(divisor));
  const whole = Math.floor(price / divisor);
  const fraction = String(price % divisor)
    .padStart(decimals, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

/** The same price as a JS number, for Kite's JSON bodies (the shortest decimal round-trips). */
function kitePriceNumber(price: Price, divisor: number): number {
  return Number(formatKitePrice(price, divisor));
}

function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw inputError(`${name} ${value} is not a positive whole number`);
  return value;
}

function nonNegativeInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw inputError(`${name} ${value} is not a whole number`);
  return value;
}

const TAG = /^[A-Za-z0-9]{1,20}$/;
const ORDER_ID = /^[0-9A-Za-z]{1,40}$/;

/**
 * Checks an id that goes into a URL path. The official client substitutes path parameters without
 * encoding them, so `../` in an id would change the request's route.
 */
export function checkOrderId(orderId: string, name = 'order_id'): string {
  if (!ORDER_ID.test(orderId)) throw inputError(`${name} "${orderId}" is not an order id`);
  return orderId;
}

function checkExchange(exchange: string): Exchange {
  const found = EXCHANGES.find((e) => e === exchange);
  if (found === undefined) throw inputError(`exchange "${exchange}" is not one of ${EXCHANGES.join(', ')}`);
  return found;
}

/** An order to place. Prices in the exchange's wire units. */
export interface PlaceOrderRequest {
  readonly variety: Variety;
  readonly exchange: Exchange;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly product: Product;
  /** Default DAY. */
  readonly validity?: Validity;
  /** Minutes, with validity TTL. */
  readonly validityTtl?: number;
  /** LIMIT and SL. */
  readonly price?: Price;
  /** SL and SL-M. */
  readonly triggerPrice?: Price;
  readonly disclosedQuantity?: number;
  /** variety iceberg: 2..50 legs, and the quantity of each. */
  readonly icebergLegs?: number;
  readonly icebergQuantity?: number;
  /** variety auction. */
  readonly auctionNumber?: string;
  /** Our client order id: at most 20 letters or digits. Kite echoes it in the order book. */
  readonly tag?: string;
  /** -1 automatic, or a percentage in (0, 100]; market orders must carry it. */
  readonly marketProtection?: number;
  /** Let Kite split a quantity above the freeze limit into child orders. */
  readonly autoslice?: boolean;
  /** Strategy orders carry an algo id. */
  readonly algoId?: string;
}

/** Kite's form parameters for `POST /orders/{variety}` (without `variety`, which is in the path). */
export function placeOrderParams(r: PlaceOrderRequest): Record<string, FormValue> {
  const exchange = checkExchange(r.exchange);
  const divisor = divisorOfExchange(exchange);
  if (r.tradingsymbol === '' || /[\s&=]/.test(r.tradingsymbol))
    throw inputError(`tradingsymbol "${r.tradingsymbol}" is not a symbol`);
  if (r.tag !== undefined && !TAG.test(r.tag))
    throw inputError(`tag "${r.tag}" is not 1-20 letters or digits`);
  if ((r.orderType === 'LIMIT' || r.orderType === 'SL') && r.price === undefined)
    throw inputError(`a ${r.orderType} order needs a price`);
  if ((r.orderType === 'SL' || r.orderType === 'SL-M') && r.triggerPrice === undefined)
    throw inputError(`a ${r.orderType} order needs a trigger price`);
  if (
    r.marketProtection !== undefined &&
    !(r.marketProtection === -1 || (r.marketProtection > 0 && r.marketProtection <= 100))
  )
    throw inputError(`market protection ${r.marketProtection} is neither -1 nor in (0, 100]`);
  const p: Record<string, FormValue> = {
    exchange,
    tradingsymbol: r.tradingsymbol,
    transaction_type: r.side,
    order_type: r.orderType,
    quantity: positiveInt(r.quantity, 'quantity'),
    product: r.product,
    validity: r.validity ?? 'DAY',
  };
  if (r.price !== undefined) p['price'] = formatKitePrice(r.price, divisor);
  if (r.triggerPrice !== undefined) p['trigger_price'] = formatKitePrice(r.triggerPrice, divisor);
  if (r.validityTtl !== undefined) p['validity_ttl'] = positiveInt(r.validityTtl, 'validity_ttl');
  if (r.disclosedQuantity !== undefined)
    p['disclosed_quantity'] = nonNegativeInt(r.disclosedQuantity, 'disclosed_quantity');
  if (r.icebergLegs !== undefined) p['iceberg_legs'] = positiveInt(r.icebergLegs, 'iceberg_legs');
  if (r.icebergQuantity !== undefined)
    p['iceberg_quantity'] = positiveInt(r.icebergQuantity, 'iceberg_quantity');
  if (r.auctionNumber !== undefined) p['auction_number'] = r.auctionNumber;
  if (r.tag !== undefined) p['tag'] = r.tag;
  if (r.marketProtection !== undefined) p['market_protection'] = r.marketProtection;
  if (r.autoslice !== undefined) p['autoslice'] = r.autoslice;
  if (r.algoId !== undefined) p['algo_id'] = r.algoId;
  return p;
}

/** A change to an open order: only the fields given are sent. */
export interface ModifyOrderRequest {
  readonly variety: Variety;
  readonly orderId: string;
  /** The order's exchange: it picks the price unit (the modify request itself does not name it). */
  readonly exchange: Exchange;
  readonly quantity?: number;
  readonly price?: Price;
  readonly orderType?: OrderType;
  readonly triggerPrice?: Price;
  readonly validity?: Validity;
  readonly disclosedQuantity?: number;
  readonly parentOrderId?: string;
  readonly marketProtection?: number;
}

/** Kite's form parameters for `PUT /orders/{variety}/{order_id}` (path parameters left out). */
export function modifyOrderParams(r: ModifyOrderRequest): Record<string, FormValue> {
  checkOrderId(r.orderId);
  const divisor = divisorOfExchange(checkExchange(r.exchange));
  const p: Record<string, FormValue> = {};
  if (r.quantity !== undefined) p['quantity'] = positiveInt(r.quantity, 'quantity');
  if (r.price !== undefined) p['price'] = formatKitePrice(r.price, divisor);
  if (r.orderType !== undefined) p['order_type'] = r.orderType;
  if (r.triggerPrice !== undefined) p['trigger_price'] = formatKitePrice(r.triggerPrice, divisor);
  if (r.validity !== undefined) p['validity'] = r.validity;
  if (r.disclosedQuantity !== undefined)
    p['disclosed_quantity'] = nonNegativeInt(r.disclosedQuantity, 'disclosed_quantity');
  if (r.parentOrderId !== undefined) p['parent_order_id'] = checkOrderId(r.parentOrderId, 'parent_order_id');
  if (r.marketProtection !== undefined) p['market_protection'] = r.marketProtection;
  return p;
}

/** An order whose margin (or, executed, whose charges) to compute. */
export interface MarginOrderRequest {
  readonly exchange: Exchange;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly variety: Variety;
  readonly product: Product;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly price?: Price;
  readonly triggerPrice?: Price;
}

/** One item of `POST /margins/orders`'s JSON body. */
export function marginOrderItem(r: MarginOrderRequest): Record<string, FormValue> {
  const divisor = divisorOfExchange(checkExchange(r.exchange));
  return {
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    transaction_type: r.side,
    variety: r.variety,
    product: r.product,
    order_type: r.orderType,
    quantity: positiveInt(r.quantity, 'quantity'),
    price: r.price === undefined ? 0 : kitePriceNumber(r.price, divisor),
    trigger_price: r.triggerPrice === undefined ? 0 : kitePriceNumber(r.triggerPrice, divisor),
  };
}

/** An executed order whose charges to compute (`POST /charges/orders`). */
export interface ChargesRequest extends Omit<MarginOrderRequest, 'price' | 'triggerPrice'> {
  readonly orderId: string;
  /** The average fill price. */
  readonly averagePrice: Price;
}

/** One item of `POST /charges/orders`'s JSON body. */
export function chargesItem(r: ChargesRequest): Record<string, FormValue> {
  const divisor = divisorOfExchange(checkExchange(r.exchange));
  return {
    order_id: checkOrderId(r.orderId),
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    transaction_type: r.side,
    variety: r.variety,
    product: r.product,
    order_type: r.orderType,
    quantity: positiveInt(r.quantity, 'quantity'),
    average_price: kitePriceNumber(r.averagePrice, divisor),
  };
}

/** A GTT to place or the new state of one to modify. */
export interface GttRequest {
  readonly type: 'single' | 'two-leg';
  readonly exchange: Exchange;
  readonly tradingsymbol: string;
  /** One value for `single`; the low and high triggers for `two-leg`. */
  readonly triggerValues: readonly Price[];
  /** The last price when the GTT is set (Kite checks the triggers against it). */
  readonly lastPrice: Price;
  readonly orders: readonly Omit<GttOrder, 'exchange' | 'tradingsymbol'>[];
}

/** The official client's `placeGTT`/`modifyGTT` parameters (it builds the JSON strings itself). */
export function gttParams(r: GttRequest): {
  trigger_type: 'single' | 'two-leg';
  exchange: Exchange;
  tradingsymbol: string;
  trigger_values: number[];
  last_price: number;
  orders: {
    transaction_type: Side;
    order_type: OrderType;
    product: Product;
    quantity: number;
    price: number;
  }[];
} {
  const divisor = divisorOfExchange(checkExchange(r.exchange));
  const expected = r.type === 'single' ? 1 : 2;
  if (r.triggerValues.length !== expected)
    throw inputError(`a ${r.type} GTT needs ${expected} trigger value${expected === 1 ? '' : 's'}`);
  if (r.orders.length !== expected)
    throw inputError(`a ${r.type} GTT needs ${expected} order${expected === 1 ? '' : 's'}`);
  return {
    trigger_type: r.type,
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    trigger_values: r.triggerValues.map((v) => kitePriceNumber(v, divisor)),
    last_price: kitePriceNumber(r.lastPrice, divisor),
    orders: r.orders.map((o) => ({
      transaction_type: o.side,
      order_type: o.orderType,
      product: o.product,
      quantity: positiveInt(o.quantity, 'quantity'),
      price: kitePriceNumber(o.price, divisor),
    })),
  };
}
