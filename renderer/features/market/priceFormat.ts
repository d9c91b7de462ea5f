import { formatPrice, priceFromUnits } from '../../../shared/domain/money';

// How market numbers read on screen. Prices arrive as integers in the instrument's wire unit
// (price x divisor); they are divided only here, by integer arithmetic, never through a float.

/** Shown for a value that is unknown. */
export const EM_DASH = '—';

/** How a price of one instrument is written: its divisor and the decimals its tick needs. */
export interface PriceStyle {
  readonly divisor: number;
  readonly decimals: number;
}

function log10Exact(divisor: number): number {
  return Math.round(Math.log10(divisor));
}

/**
 * The decimals that show every price of an instrument exactly: as many as its tick needs (0.05 ->
 * 2, CDS 0.0025 -> 4), never fewer than two (a rupee tick still reads 123.00, as on Kite), never
 * more than the divisor holds.
 */
export function priceDecimals(tickSize: number, divisor: number): number {
  const max = log10Exact(divisor);
  const min = Math.min(2, max);
  if (!Number.isSafeInteger(tickSize) || tickSize <= 0) return min;
  let zeros = 0;
  for (let t = tickSize; t % 10 === 0 && zeros < max; t /= 10) zeros++;
  return Math.max(min, max - zeros);
}

/** The price style of an instrument. */
export function priceStyleOf(instrument: {
  readonly tickSize: number;
  readonly priceDivisor: number;
}): PriceStyle {
  return {
    divisor: instrument.priceDivisor,
    decimals: priceDecimals(instrument.tickSize, instrument.priceDivisor),
  };
}

/** A price in wire units as text: `1523.45`; EM_DASH for a missing (0) or non-integer price. */
export function formatPriceUnits(units: number, style: PriceStyle): string {
  if (units === 0 || !Number.isSafeInteger(units)) return EM_DASH;
  return formatPrice(priceFromUnits(units), style.divisor, style.decimals);
}

/** A signed move in wire units: `+12.35`, `-0.05`, `0.00`. */
export function formatPriceChange(units: number, style: PriceStyle): string {
  if (!Number.isSafeInteger(units)) return EM_DASH;
  const text = formatPrice(priceFromUnits(units), style.divisor, style.decimals);
  return units > 0 ? `+${text}` : text;
}

/** A move as a percentage of `base`, rounded half away from zero: `+1.24%`; EM_DASH without a base. */
export function formatPercentChange(change: number, base: number): string {
  if (base <= 0 || !Number.isFinite(change) || !Number.isFinite(base)) return EM_DASH;
  // In hundredths of a percent, from the integers (1235 / 100000 is 123.5 exactly, not 1.2349...).
  const hundredths = Math.round((Math.abs(change) * 10_000) / base);
  if (hundredths === 0) return '0.00%';
  const text = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
  return `${change > 0 ? '+' : '-'}${text}%`;
}

/** Which way a value moved: the colour of a change and of a flash. */
export type Direction = 'up' | 'down' | 'flat';

export function directionOf(change: number): Direction {
  return change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
}

/**
 * A whole quantity with Indian digit grouping, as traders read volumes: `12,34,56,789`. Negative or
 * non-integer input gives EM_DASH.
 */
export function formatQuantity(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return EM_DASH;
  const digits = String(n);
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3);
  const groups: string[] = [];
  for (let end = rest.length; end > 0; end -= 2) groups.unshift(rest.slice(Math.max(0, end - 2), end));
  return `${groups.join(',')},${last3}`;
}

/** A large quantity in lakhs and crores, for narrow cells: `9,876`, `12.35 L`, `3.41 Cr`. */
export function formatCompactQuantity(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return EM_DASH;
  if (n < 100_000) return formatQuantity(n);
  if (n < 10_000_000) return `${(n / 100_000).toFixed(2)} L`;
  return `${(n / 10_000_000).toFixed(2)} Cr`;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** A contract's expiry `YYYY-MM-DD` as traders write it: `26 DEC 24` (day, month, year); '' for none. */
export function formatExpiry(expiry: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expiry);
  if (m === null) return '';
  const [, year = '', month = '', day = ''] = m;
  const name = MONTHS[Number(month) - 1];
  if (name === undefined) return '';
  return `${day} ${name} ${year.slice(2)}`;
}

/** An option's strike without needless zeros: `24000`, `24012.5`, `83.2500` -> `83.25`. */
export function formatStrike(units: number, divisor: number): string {
  if (!Number.isSafeInteger(units) || units <= 0) return '';
  const text = formatPrice(priceFromUnits(units), divisor);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
