/**
 * The rule of a stop-loss kept on a position by the engine (pure: no I/O, no clock). Prices are wire
 * units, quantities signed units (long > 0).
 *
 * - A long position's stop sits below the last price and triggers when the last price is at or
 *   below it; a short position's sits above and triggers at or above it.
 * - A stop protects the position it was set on: when that position is closed, or turns the other
 *   way, the stop is dropped rather than left to act on a position nobody set it for.
 * - A last price of 0 (not known) never triggers.
 */

/** The side of the position a stop protects. */
export type StopDirection = 'long' | 'short';

/** What a stop does at a price: nothing yet, exit now, or go away (its position is gone). */
export type StopDecision = 'hold' | 'trigger' | 'drop';

export function stopDecision(
  direction: StopDirection,
  stopPrice: number,
  lastPrice: number,
  position: number,
): StopDecision {
  if (position === 0 || (direction === 'long') !== position > 0) return 'drop';
  if (!(lastPrice > 0)) return 'hold';
  const reached = direction === 'long' ? lastPrice <= stopPrice : lastPrice >= stopPrice;
  return reached ? 'trigger' : 'hold';
}

/** Why a stop cannot be set, in the trader's words; null when it can. */
export function stopRefusal(
  stopPrice: number,
  lastPrice: number,
  position: number,
  tickSize: number,
  format: (wire: number) => string,
): { code: 'NO_POSITION' | 'TICK_SIZE' | 'STOP_REACHED' | 'NO_LAST_PRICE'; message: string } | null {
  if (position === 0) return { code: 'NO_POSITION', message: 'There is no open position to protect.' };
  if (!Number.isSafeInteger(stopPrice) || stopPrice <= 0 || stopPrice % tickSize !== 0)
    return {
      code: 'TICK_SIZE',
      message: `Stop price ${format(stopPrice)} is not a multiple of the tick size ${format(tickSize)}.`,
    };
  if (!(lastPrice > 0))
    return { code: 'NO_LAST_PRICE', message: 'There is no last price yet to place the stop against.' };
  const long = position > 0;
  if (long ? stopPrice >= lastPrice : stopPrice <= lastPrice)
    return {
      code: 'STOP_REACHED',
      message: long
        ? `A long position's stop goes below the last price ${format(lastPrice)}; at ${format(stopPrice)} it would trigger at once.`
        : `A short position's stop goes above the last price ${format(lastPrice)}; at ${format(stopPrice)} it would trigger at once.`,
    };
  return null;
}
