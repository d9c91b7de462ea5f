/**
 * The market protection a market order (MARKET or SL-M) carries when its request names none.
 *
 * Kite refuses a market order without protection, and `-1` asks for its automatic one, a percent of
 * the last price (the local exchange assumes 2% under ₹100, 1% to ₹500, 0.5% above: Kite publishes
 * no table). On an instrument whose price is a few ticks, a percent is less than one tick: a far
 * out-of-the-money option at ₹1.35 (tick ₹0.05) gets ₹0.027, so a market sell may trade no lower
 * than ₹1.35 and is cancelled unfilled when the bid is ₹1.30. Such an order would be an exit that
 * never exits. So where 2% is narrower than MIN_PROTECTION_TICKS ticks, the order asks for that many
 * ticks as an explicit percent (two decimals, rounded up, so never narrower); elsewhere it asks for
 * the automatic protection.
 */

/** The fewest ticks a market order's protection spans from its reference price. */
export const MIN_PROTECTION_TICKS = 5;

/** Kite's automatic protection on the cheapest instruments, as assumed above (basis points). */
const AUTO_FLOOR_BP = 200;

/**
 * `-1` (automatic), or the percent (0.01..100, two decimals) that spans MIN_PROTECTION_TICKS ticks
 * of `tickSize` from `reference` (both wire units). `-1` when either is not known.
 */
export function defaultMarketProtection(reference: number, tickSize: number): number {
  if (!(reference > 0) || !(tickSize > 0) || !Number.isFinite(reference) || !Number.isFinite(tickSize))
    return -1;
  const span = MIN_PROTECTION_TICKS * tickSize;
  // Basis points, rounded up: integers, so exact for any price below 2^53 / 10,000.
  const bp = Math.ceil((span * 10_000) / reference);
  if (bp <= AUTO_FLOOR_BP) return -1;
  return Math.min(10_000, bp) / 100;
}
