/**
 * Validation of Kite request parameters (the "parse" part of this adapter): raw form/query values
 * in, typed venue inputs out, or an InputException worded the way Kite words it. Pure.
 *
 * On the wire every value is text. The JS client sends `null` as an empty value (`key=`) and
 * duplicates path params into the query or body, so empty values count as absent and unknown keys
 * are ignored (kite-protocol.md section 10).
 */
import { z } from 'zod';
import type {
  ContractNoteOrderParams,
  ConvertPositionParams,
  GttParams,
  HistoricalQuery,
  KiteDecimal,
  KiteError,
  KiteInterval,
  KiteVariety,
  MarginOrderParams,
  ModifyOrderParams,
  PlaceOrderParams,
} from './venue';
import { parseIstDateTime } from './time';

/** Request values by key, as they came (a key may repeat: `i=..&i=..`). */
export type RawParams = ReadonlyMap<string, readonly string[]>;

/** A validation outcome: the typed value, or the InputException to send. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: KiteError };

/** Collects URLSearchParams (query string or form body) into RawParams. */
export function rawParams(...sources: readonly URLSearchParams[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const source of sources) {
    for (const [key, value] of source) {
      const list = out.get(key);
      if (list === undefined) out.set(key, [value]);
      else list.push(value);
    }
  }
  return out;
}

/** The first non-empty value of each key: how Kite reads scalar params. */
function scalars(raw: RawParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, values] of raw) {
    const value = values.find((v) => v !== '');
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function inputError(message: string): KiteError {
  return { error_type: 'InputException', message };
}

const DECIMAL = /^\d+(?:\.\d+)?$/;
const INTEGER = /^-?\d+$/;

const decimal = z
  .string()
  .regex(DECIMAL)
  .transform((s) => s as KiteDecimal);
const integer = z.string().regex(INTEGER).transform(Number).pipe(z.number().int());
const positiveInt = integer.pipe(z.number().positive());
const nonNegativeInt = integer.pipe(z.number().nonnegative());
const booleanText = z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1');
const marketProtection = z
  .string()
  .regex(/^-?\d+(?:\.\d+)?$/)
  .transform(Number)
  .refine((n) => n === -1 || (n > 0 && n <= 100));

const exchange = z.enum(['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX', 'NSEIX']);
const transactionType = z.enum(['BUY', 'SELL']);
const orderType = z.enum(['MARKET', 'LIMIT', 'SL', 'SL-M']);
const product = z.enum(['CNC', 'NRML', 'MIS', 'MTF']);
const validity = z.enum(['DAY', 'IOC', 'TTL']);
const variety = z.enum(['regular', 'amo', 'co', 'iceberg', 'auction']);
const symbol = z.string().min(1).max(64);

/** Kite's wording: `Missing \`x\`.` for an absent field, `Invalid \`x\`.` for a bad one. */
function firstIssue(error: z.ZodError, input: Record<string, unknown>): KiteError {
  const issue = error.issues[0];
  const field = issue?.path[0];
  if (field === undefined) return inputError(issue?.message ?? 'Invalid input.');
  const name = String(field);
  return inputError(input[name] === undefined ? `Missing \`${name}\`.` : `Invalid \`${name}\`.`);
}

function parseWith<S extends z.ZodType>(schema: S, input: Record<string, unknown>): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, error: firstIssue(result.error, input) };
}

/** Validates the `{variety}` path segment. */
export function parseVariety(value: string): Parsed<KiteVariety> {
  const result = variety.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, error: inputError('Invalid `variety`.') };
}

const placeSchema = z.object({
  exchange,
  tradingsymbol: symbol,
  transaction_type: transactionType,
  order_type: orderType,
  quantity: positiveInt,
  product,
  validity: validity.default('DAY'),
  price: decimal.optional(),
  trigger_price: decimal.optional(),
  disclosed_quantity: nonNegativeInt.optional(),
  validity_ttl: positiveInt.optional(),
  iceberg_legs: integer.pipe(z.number().min(2).max(50)).optional(),
  iceberg_quantity: positiveInt.optional(),
  auction_number: z.string().min(1).max(32).optional(),
  tag: z
    .string()
    .regex(/^[A-Za-z0-9]{1,20}$/)
    .optional(),
  market_protection: marketProtection.optional(),
  autoslice: booleanText.optional(),
  algo_id: z.string().max(64).optional(),
});

/** T with `undefined` taken out of its optional properties' types. */
type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** Drops keys whose value is undefined, for exactOptionalPropertyTypes. */
function defined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}

/** `POST /orders/{variety}`: shape checks plus the rules between fields that need no market data. */
export function parsePlaceOrder(v: KiteVariety, raw: RawParams): Parsed<PlaceOrderParams> {
  const input = scalars(raw);
  const parsed = parseWith(placeSchema, input);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  const needsPrice = p.order_type === 'LIMIT' || p.order_type === 'SL';
  const needsTrigger = p.order_type === 'SL' || p.order_type === 'SL-M';
  if (needsPrice && p.price === undefined) return { ok: false, error: inputError('Missing `price`.') };
  if (needsTrigger && p.trigger_price === undefined)
    return { ok: false, error: inputError('Missing `trigger_price`.') };
  if (p.validity === 'TTL' && p.validity_ttl === undefined)
    return { ok: false, error: inputError('Missing `validity_ttl`.') };
  if (v === 'iceberg') {
    if (p.iceberg_legs === undefined) return { ok: false, error: inputError('Missing `iceberg_legs`.') };
    if (p.iceberg_quantity === undefined)
      return { ok: false, error: inputError('Missing `iceberg_quantity`.') };
  }
  if (v === 'auction' && p.auction_number === undefined)
    return { ok: false, error: inputError('Missing `auction_number`.') };
  if (v === 'co' && p.trigger_price === undefined)
    return { ok: false, error: inputError('Missing `trigger_price`.') };
  if (p.disclosed_quantity !== undefined && p.disclosed_quantity > p.quantity)
    return { ok: false, error: inputError('Invalid `disclosed_quantity`.') };
  const { validity_ttl, ...rest } = p;
  const value: PlaceOrderParams = defined({
    ...rest,
    ...(p.validity === 'TTL' ? { validity_ttl } : {}),
  });
  return { ok: true, value };
}

const modifySchema = z.object({
  quantity: positiveInt.optional(),
  price: decimal.optional(),
  order_type: orderType.optional(),
  trigger_price: decimal.optional(),
  validity: validity.optional(),
  disclosed_quantity: nonNegativeInt.optional(),
  parent_order_id: z.string().min(1).max(32).optional(),
  market_protection: marketProtection.optional(),
});

/** `PUT /orders/{variety}/{order_id}`: only the fields present are to change. */
export function parseModifyOrder(raw: RawParams): Parsed<ModifyOrderParams> {
  const parsed = parseWith(modifySchema, scalars(raw));
  return parsed.ok ? { ok: true, value: defined(parsed.value) } : parsed;
}

/** The order id of a path, as Kite's ids are: digits (we allow up to 32). */
export function parseOrderId(value: string): Parsed<string> {
  return /^\d{1,32}$/.test(value)
    ? { ok: true, value }
    : { ok: false, error: inputError('Invalid `order_id`.') };
}

/** Optional `parent_order_id` of a cancel. */
export function parseParentOrderId(raw: RawParams): Parsed<string | undefined> {
  const value = scalars(raw)['parent_order_id'];
  if (value === undefined) return { ok: true, value: undefined };
  return parseOrderId(value).ok
    ? { ok: true, value }
    : { ok: false, error: inputError('Invalid `parent_order_id`.') };
}

const convertSchema = z.object({
  exchange,
  tradingsymbol: symbol,
  transaction_type: transactionType,
  position_type: z.enum(['day', 'overnight']),
  quantity: positiveInt,
  old_product: product,
  new_product: product,
});

/** `PUT /portfolio/positions`. */
export function parseConvertPosition(raw: RawParams): Parsed<ConvertPositionParams> {
  return parseWith(convertSchema, scalars(raw));
}

const INTERVALS: readonly KiteInterval[] = [
  'minute',
  '3minute',
  '5minute',
  '10minute',
  '15minute',
  '30minute',
  '60minute',
  'day',
];

/** The longest span one historical request may cover, days, per interval (kite-protocol.md 4.3). */
export const MAX_HISTORICAL_DAYS: Readonly<Record<KiteInterval, number>> = {
  minute: 60,
  '3minute': 100,
  '5minute': 100,
  '10minute': 100,
  '15minute': 200,
  '30minute': 200,
  '60minute': 400,
  day: 2000,
};

/** `GET /instruments/historical/{instrument_token}/{interval}`. */
export function parseHistorical(token: string, interval: string, raw: RawParams): Parsed<HistoricalQuery> {
  const input = scalars(raw);
  if (!/^\d{1,12}$/.test(token)) return { ok: false, error: inputError('Invalid `instrument_token`.') };
  const found = INTERVALS.find((i) => i === interval);
  if (found === undefined) return { ok: false, error: inputError('Invalid `interval`.') };
  const fromText = input['from'];
  const toText = input['to'];
  if (fromText === undefined) return { ok: false, error: inputError('Missing `from`.') };
  if (toText === undefined) return { ok: false, error: inputError('Missing `to`.') };
  const from = parseIstDateTime(fromText);
  const to = parseIstDateTime(toText);
  if (from === undefined) return { ok: false, error: inputError('Invalid `from` date.') };
  if (to === undefined) return { ok: false, error: inputError('Invalid `to` date.') };
  if (to < from) return { ok: false, error: inputError('Invalid `from` date: after `to`.') };
  const maxDays = MAX_HISTORICAL_DAYS[found];
  if (to - from > maxDays * 86_400_000)
    return { ok: false, error: inputError(`interval exceeds max limit: ${maxDays} days`) };
  const flag = (name: string): boolean | undefined => {
    const value = input[name];
    if (value === undefined) return false;
    const parsed = booleanText.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  };
  const continuous = flag('continuous');
  const oi = flag('oi');
  if (continuous === undefined) return { ok: false, error: inputError('Invalid `continuous`.') };
  if (oi === undefined) return { ok: false, error: inputError('Invalid `oi`.') };
  return { ok: true, value: { instrumentToken: Number(token), interval: found, from, to, continuous, oi } };
}

/** Max instruments per request: `/quote` 500, `/quote/ohlc` and `/quote/ltp` 1000. */
export const QUOTE_LIMIT = { quote: 500, ohlc: 1000, ltp: 1000 } as const;

/** The `i` keys of a quote request (`EXCHANGE:TRADINGSYMBOL` or a bare instrument token). */
export function parseQuoteKeys(raw: RawParams, limit: number): Parsed<readonly string[]> {
  const keys = (raw.get('i') ?? []).filter((k) => k !== '');
  if (keys.length > limit)
    return { ok: false, error: inputError(`Too many instruments: at most ${limit} per request.`) };
  for (const key of keys) {
    if (!/^[A-Z]+:.+$/.test(key) && !/^\d+$/.test(key))
      return { ok: false, error: inputError(`Invalid instrument \`${key}\`.`) };
  }
  return { ok: true, value: [...new Set(keys)] };
}

const jsonNumber = z.number();
const marginOrderSchema = z.object({
  exchange: z.string().min(1),
  tradingsymbol: symbol,
  transaction_type: transactionType,
  variety,
  product,
  order_type: orderType,
  quantity: z.number().int().positive(),
  price: jsonNumber.nonnegative().optional(),
  trigger_price: jsonNumber.nonnegative().optional(),
});
const contractNoteSchema = z.object({
  order_id: z.string().min(1),
  exchange: z.string().min(1),
  tradingsymbol: symbol,
  transaction_type: transactionType,
  variety,
  product,
  order_type: orderType,
  quantity: z.number().int().positive(),
  average_price: jsonNumber.nonnegative(),
});

function parseJsonArray<S extends z.ZodType>(schema: S, body: unknown, what: string): Parsed<z.output<S>[]> {
  if (!Array.isArray(body))
    return { ok: false, error: inputError(`Invalid ${what}: expected a JSON array.`) };
  const out: z.output<S>[] = [];
  for (const [index, item] of body.entries()) {
    const result = schema.safeParse(item);
    if (!result.success) {
      const field = result.error.issues[0]?.path[0];
      return {
        ok: false,
        error: inputError(`Invalid ${what} ${index}${field === undefined ? '' : `: \`${String(field)}\``}.`),
      };
    }
    out.push(result.data);
  }
  return { ok: true, value: out };
}

/** The JSON body of `/margins/orders` and `/margins/basket`. */
export function parseMarginOrders(body: unknown): Parsed<readonly MarginOrderParams[]> {
  const parsed = parseJsonArray(marginOrderSchema, body, 'order');
  return parsed.ok ? { ok: true, value: parsed.value.map(defined) } : parsed;
}

/** The JSON body of `/charges/orders`. */
export function parseContractNoteOrders(body: unknown): Parsed<readonly ContractNoteOrderParams[]> {
  return parseJsonArray(contractNoteSchema, body, 'order');
}

const gttConditionSchema = z.object({
  exchange: z.string().min(1),
  tradingsymbol: symbol,
  trigger_values: z.array(jsonNumber.positive()).min(1).max(2),
  last_price: jsonNumber.nonnegative(),
});
const gttOrderSchema = z.object({
  exchange: z.string().min(1),
  tradingsymbol: symbol,
  transaction_type: transactionType,
  order_type: orderType,
  product,
  quantity: z.number().int().positive(),
  price: jsonNumber.nonnegative(),
});

function parseJsonText(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `POST /gtt/triggers` and `PUT /gtt/triggers/{id}`: `type` plus JSON-string `condition`, `orders`. */
export function parseGtt(raw: RawParams): Parsed<GttParams> {
  const input = scalars(raw);
  const type = z.enum(['single', 'two-leg']).safeParse(input['type']);
  if (!type.success)
    return {
      ok: false,
      error: inputError(input['type'] === undefined ? 'Missing `type`.' : 'Invalid `type`.'),
    };
  const condition = gttConditionSchema.safeParse(parseJsonText(input['condition']));
  if (!condition.success) return { ok: false, error: inputError('Invalid `condition`.') };
  const orders = z.array(gttOrderSchema).min(1).max(2).safeParse(parseJsonText(input['orders']));
  if (!orders.success) return { ok: false, error: inputError('Invalid `orders`.') };
  const legs = type.data === 'single' ? 1 : 2;
  if (condition.data.trigger_values.length !== legs)
    return { ok: false, error: inputError('Invalid `trigger_values`.') };
  if (orders.data.length !== legs) return { ok: false, error: inputError('Invalid `orders`.') };
  return { ok: true, value: { type: type.data, condition: condition.data, orders: orders.data } };
}

/** A numeric `{trigger_id}` path segment. */
export function parseTriggerId(value: string): Parsed<number> {
  return /^\d{1,15}$/.test(value)
    ? { ok: true, value: Number(value) }
    : { ok: false, error: inputError('Invalid `trigger_id`.') };
}
