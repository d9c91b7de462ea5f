/**
 * The paper account's positions and funds, from its fills alone (pure). Integer arithmetic: prices
 * in wire units, values in wire units x quantity, money in paise; one rounding (half away from zero)
 * where a value is divided.
 *
 * - A position is per instrument and product: the net quantity of its fills, and the average price
 *   of the quantity still open, first in first out (a sell closes the oldest bought units first).
 *   FIFO keeps the open quantity's cost an exact integer; Kite's own `average_price` (the day's
 *   average of the side that opened the position) differs from it once a position was partly closed
 *   and reopened.
 * - `overnightQuantity` is the net of fills from before today's IST date.
 * - Funds: one paper account in the `equity` segment for every exchange (`commodity` is null).
 *   `availableCash` = the starting cash + the realised P&L of closed quantity; `utilised` = the
 *   notional (open quantity x its average price) of every open position, whatever its product;
 *   `net` = available - utilised. Charges are not deducted (the portfolio computes them).
 */
import { priceDivisor, segmentOfToken } from '../../../shared/domain/money';
import type { Product, Side } from '../../../shared/services/orders';
import type { VenuePosition, VenueSegmentMargins } from '../oms/venue';

/** `a / b` rounded half away from zero; `a` a safe integer, `b` a positive safe integer. */
export function divideRounded(a: number, b: number): number {
  const n = Math.abs(a);
  let q = Math.floor(n / b);
  let r = n - q * b;
  // Float division of large values can be off by one; the remainder puts it right.
  if (r < 0) {
    q -= 1;
    r += b;
  } else if (r >= b) {
    q += 1;
    r -= b;
  }
  if (2 * r >= b) q += 1;
  return a < 0 && q !== 0 ? -q : q;
}

/** A fill as positions need it. */
export interface PositionFill {
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly product: Product;
  readonly side: Side;
  readonly quantity: number;
  readonly price: number;
  /** IST date of the fill, `YYYY-MM-DD`. */
  readonly tradingDate: string;
}

/** One position with what the account's funds need of it. */
export interface PaperPosition extends VenuePosition {
  /** Open quantity x its average price, wire units (exact, unsigned). */
  readonly openValue: number;
  /** Realised P&L of the closed quantity, wire units (signed). */
  readonly realisedValue: number;
  /** Whether a fill of it is from today. */
  readonly tradedToday: boolean;
}

interface Lot {
  quantity: number;
  readonly price: number;
}

interface Building {
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly product: Product;
  /** Signed: > 0 long lots, < 0 short lots. */
  net: number;
  overnight: number;
  realised: number;
  tradedToday: boolean;
  /** Open lots, oldest first, all on the side of `net`. */
  readonly lots: Lot[];
}

/**
 * Positions from fills in the order they happened, one per instrument and product (in the order
 * each was first traded). Positions of earlier days that are flat are left out.
 */
export function positionsFromFills(fills: readonly PositionFill[], today: string): PaperPosition[] {
  const byKey = new Map<string, Building>();
  for (const f of fills) {
    const key = `${f.instrumentToken}:${f.product}`;
    let p = byKey.get(key);
    if (p === undefined) {
      p = {
        instrumentToken: f.instrumentToken,
        exchange: f.exchange,
        tradingsymbol: f.tradingsymbol,
        product: f.product,
        net: 0,
        overnight: 0,
        realised: 0,
        tradedToday: false,
        lots: [],
      };
      byKey.set(key, p);
    }
    const signed = f.side === 'BUY' ? f.quantity : -f.quantity;
    if (f.tradingDate < today) p.overnight += signed;
    else p.tradedToday = true;
    let left = f.quantity;
    // Close the oldest opposite lots first.
    while (left > 0 && p.net !== 0 && Math.sign(p.net) !== Math.sign(signed)) {
      const lot = p.lots[0];
      if (lot === undefined) break;
      const q = Math.min(left, lot.quantity);
      p.realised += (p.net > 0 ? f.price - lot.price : lot.price - f.price) * q;
      lot.quantity -= q;
      if (lot.quantity === 0) p.lots.shift();
      p.net += p.net > 0 ? -q : q;
      left -= q;
    }
    if (left > 0) {
      p.lots.push({ quantity: left, price: f.price });
      p.net += signed > 0 ? left : -left;
    }
  }
  const out: PaperPosition[] = [];
  for (const p of byKey.values()) {
    if (p.net === 0 && !p.tradedToday) continue;
    let openValue = 0;
    for (const l of p.lots) openValue += l.price * l.quantity;
    out.push({
      instrumentToken: p.instrumentToken,
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      product: p.product,
      quantity: p.net,
      overnightQuantity: p.overnight,
      averagePrice: p.net === 0 ? 0 : divideRounded(openValue, Math.abs(p.net)),
      openValue,
      realisedValue: p.realised,
      tradedToday: p.tradedToday,
    });
  }
  return out;
}

/** Wire units of an instrument to paise, rounded half away from zero (CDS and BCD have more decimals). */
export function wireToPaise(instrumentToken: number, wire: number): number {
  const divisor = priceDivisor(segmentOfToken(instrumentToken));
  if (divisor === 100) return wire;
  if (divisor < 100) return wire * (100 / divisor);
  return divideRounded(wire, divisor / 100);
}

/** The paper account's funds (see the file comment), paise. */
export function paperMargins(
  positions: readonly PaperPosition[],
  startingCash: number,
): { equity: VenueSegmentMargins; commodity: null } {
  let realised = 0;
  let utilised = 0;
  for (const p of positions) {
    realised += wireToPaise(p.instrumentToken, p.realisedValue);
    utilised += wireToPaise(p.instrumentToken, p.openValue);
  }
  const availableCash = startingCash + realised;
  return { equity: { net: availableCash - utilised, availableCash, utilised }, commodity: null };
}
