import { MoneyError, formatPrice, priceFromUnits, toPrice } from '../../../shared/domain/money';
import type { PriceStyle } from '../market';

// Prices the trader types (the ticket, the orders grid's inline edit): read exactly into wire units
// at the edge, stepped by the instrument's tick with the arrow keys.

export type PriceRead =
  | { readonly ok: true; readonly units: number }
  | { readonly ok: false; readonly empty: boolean; readonly message: string };

/** Reads a typed price ("1544.9") into wire units, exactly; refuses what cannot be a price. */
export function readPrice(text: string, divisor: number): PriceRead {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, empty: true, message: 'no price' };
  try {
    const units = toPrice(trimmed, divisor);
    if (units <= 0) return { ok: false, empty: false, message: `${trimmed} is not a price above zero` };
    return { ok: true, units };
  } catch (e) {
    return { ok: false, empty: false, message: e instanceof MoneyError ? e.message : String(e) };
  }
}

/**
 * One step of the arrow keys from `units`: a tick up or down. A price off the tick grid moves to
 * the next grid price in that direction first (1544.93 up -> 1544.95). Never below one tick.
 */
export function stepPrice(units: number, direction: 1 | -1, tick: number, steps = 1): number {
  if (!Number.isSafeInteger(tick) || tick <= 0) return units;
  const rest = units % tick;
  let next: number;
  if (rest === 0) next = units + direction * tick * steps;
  else if (direction > 0) next = units - rest + tick * steps;
  else next = units - rest - tick * (steps - 1);
  return Math.max(tick, next);
}

/** A price in wire units as the text of an input (no dash for none: an empty field). */
export function priceInputText(units: number, style: PriceStyle): string {
  if (!Number.isSafeInteger(units) || units <= 0) return '';
  return formatPrice(priceFromUnits(units), style.divisor, style.decimals);
}
