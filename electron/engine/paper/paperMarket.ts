/**
 * What the paper broker reads of the live market. The engine adapts its MarketData to it; tests
 * drive a `ScriptedMarket`. Prices are integer wire units; depth is 5 levels a side, best first.
 */
import type { Disposable } from '../../../shared/disposable';
import type { Depth, Quote } from '../../../shared/services/market';

/** The live market of the instruments paper orders rest in. */
export interface PaperMarket {
  /** The latest quote of an instrument (last price, last quantity, the day's volume, best bid/ask, times), if it has ticked. */
  quote(instrumentToken: number): Quote | undefined;
  /** The latest 5-level book of an instrument, if known (an empty one, or none, falls back to the quote's best bid/ask). */
  depth(instrumentToken: number): Depth | undefined;
  /**
   * Calls `listener` after the instrument's quote or depth changed (conflated updates are fine);
   * the broker then reads `quote` and `depth`. While a listener is held the market should keep the
   * instrument in the feed with depth (Kite's `full` mode). A listener may be called synchronously
   * from any market event, never from inside `quote`, `depth` or `onUpdate` itself.
   */
  onUpdate(instrumentToken: number, listener: () => void): Disposable;
}
