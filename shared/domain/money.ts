/**
 * Prices, quantities and money as integers (ARCHITECTURE.md, "Money, prices, time"). A price is an
 * integer in its instrument's wire unit: price x divisor, where the divisor is 100 (paise) for most
 * segments, 1e7 for CDS and 1e4 for BCD, as in Kite's tick format. P&L and charges are integer
 * paise. Floats appear only at the edges (a user's typed price, Kite's JSON), where these functions
 * convert them exactly or refuse them.
 */

declare const priceBrand: unique symbol;
declare const paiseBrand: unique symbol;

/** A price in its instrument's wire unit (an integer). Branded: a plain number is not a Price. */
export type Price = number & { readonly [priceBrand]: true };
/** An amount of rupees in paise (an integer): P&L, charges, margins. */
export type Paise = number & { readonly [paiseBrand]: true };

/** Kite's exchange segments, as the low byte of an instrument_token. */
export const SEGMENT = {
  NSE: 1,
  NFO: 2,
  CDS: 3,
  BSE: 4,
  BFO: 5,
  BCD: 6,
  MCX: 7,
  MCXSX: 8,
  INDICES: 9,
} as const;
export type SegmentId = (typeof SEGMENT)[keyof typeof SEGMENT];

const SEGMENT_IDS: ReadonlySet<number> = new Set(Object.values(SEGMENT));

/** Why a value was refused at the edge. Carries the offending input for the message. */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';
  constructor(
    readonly code: 'INVALID_PRICE' | 'INVALID_SEGMENT' | 'INVALID_TICK',
    message: string,
  ) {
    super(message);
  }
}

/** The segment of an instrument_token (`(exchange_token << 8) | segment`). */
export function segmentOfToken(instrumentToken: number): SegmentId {
  const segment = instrumentToken & 0xff;
  if (!Number.isSafeInteger(instrumentToken) || instrumentToken < 0 || !SEGMENT_IDS.has(segment)) {
    throw new MoneyError('INVALID_SEGMENT', `instrument_token ${instrumentToken} has no known segment`);
  }
  return segment as SegmentId;
}

/** The divisor between a segment's wire unit and rupees: 1e7 for CDS, 1e4 for BCD, else 100. */
export function priceDivisor(segment: SegmentId): number {
  if (segment === SEGMENT.CDS) return 10_000_000;
  if (segment === SEGMENT.BCD) return 10_000;
  return 100;
}

/** Decimal places of a divisor (100 -> 2, 1e7 -> 7). */
function decimalsOf(divisor: number): number {
  return Math.round(Math.log10(divisor));
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Converts a price typed or received as text ("2950.05") or a JS number (2950.05) into wire units,
 * exactly. Refuses NaN, Infinity, more decimal places than the segment has, and anything beyond
 * safe integers: a price that cannot be represented exactly is an error, never rounded.
 */
export function toPrice(value: string | number, divisor: number): Price {
  const decimals = decimalsOf(divisor);
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new MoneyError('INVALID_PRICE', `price ${value} is not a finite number`);
    // JS prints the shortest decimal that round-trips to this double: 2950.05 -> "2950.05" (never
    // 2950.0499...). Float noise such as 0.1 + 0.2 prints as 0.30000000000000004 and is refused below.
    text = String(value);
  } else {
    text = value.trim();
  }
  const match = DECIMAL.exec(text);
  if (match === null) throw new MoneyError('INVALID_PRICE', `"${String(value)}" is not a decimal price`);
  const [, sign = '', whole = '', fraction = ''] = match;
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > decimals) {
    throw new MoneyError('INVALID_PRICE', `${String(value)} has more than ${decimals} decimal places`);
  }
  const units = Number(whole) * divisor + Number(trimmed.padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(units)) throw new MoneyError('INVALID_PRICE', `${String(value)} is out of range`);
  return (sign === '-' && units !== 0 ? -units : units) as Price;
}

/** Marks an integer already in wire units (from the binary feed, the journal) as a Price. */
export function priceFromUnits(units: number): Price {
  if (!Number.isSafeInteger(units)) throw new MoneyError('INVALID_PRICE', `${units} is not an integer price`);
  return units as Price;
}

/** Formats a price with exactly the segment's decimals (or `decimals`), by integer arithmetic. */
export function formatPrice(price: Price, divisor: number, decimals = decimalsOf(divisor)): string {
  const negative = price < 0;
  const units = Math.abs(price);
  const whole = Math.floor(units / divisor);
  const fraction = String(units % divisor)
    .padStart(decimalsOf(divisor), '0')
    .slice(0, decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction.padEnd(decimals, '0')}` : ''}`;
}

/** The price as a JS number of rupees, for display and charts only (never for arithmetic). */
export function priceToNumber(price: Price, divisor: number): number {
  return price / divisor;
}

/** An instrument's tick size ("0.05") in wire units (5 for a divisor of 100). */
export function tickInUnits(tickSize: string | number, divisor: number): number {
  const units = toPrice(tickSize, divisor);
  if (units <= 0) throw new MoneyError('INVALID_TICK', `tick size ${String(tickSize)} must be positive`);
  return units;
}

/** True when `price` is a whole number of ticks. */
export function isTickMultiple(price: Price, tickUnits: number): boolean {
  return price % tickUnits === 0;
}

/** Marks an integer number of paise as Paise. */
export function paise(units: number): Paise {
  if (!Number.isSafeInteger(units))
    throw new MoneyError('INVALID_PRICE', `${units} is not a whole number of paise`);
  return units as Paise;
}

/** quantity x price -> paise, for segments whose divisor is 100 (exact); other divisors round half away from zero. */
export function notionalPaise(price: Price, quantity: number, divisor: number): Paise {
  const value = (price * quantity * 100) / divisor;
  return paise(value < 0 ? -Math.round(-value) : Math.round(value));
}

/** `price` rounded to the nearest multiple of `tick` (half up). A tick <= 0 leaves it as is. */
export function roundToTick(price: number, tick: number): number {
  if (!Number.isSafeInteger(tick) || tick <= 0) return price;
  return Math.round(price / tick) * tick;
}
