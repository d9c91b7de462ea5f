import type { Quote } from '../../../shared/services/market';
import {
  EM_DASH,
  directionOf,
  formatPercentChange,
  formatPriceChange,
  formatPriceUnits,
  formatQuantity,
} from '../market';
import type { Direction, PriceStyle } from '../market';

/** What one watchlist row shows of a quote, as text, plus which way things moved. */
export interface RowText {
  readonly ltp: string;
  readonly change: string;
  readonly changePercent: string;
  readonly bid: string;
  readonly ask: string;
  readonly volume: string;
  /** The day's move from the previous close: colours change and change %. */
  readonly dayDirection: Direction;
}

/** The texts of a row before any quote has come. */
export const EMPTY_ROW: RowText = {
  ltp: EM_DASH,
  change: EM_DASH,
  changePercent: EM_DASH,
  bid: EM_DASH,
  ask: EM_DASH,
  volume: EM_DASH,
  dayDirection: 'flat',
};

/**
 * A quote as the row shows it. The previous close comes from the quote, or from the instruments dump
 * when the feed has not sent one (0).
 */
export function rowText(quote: Quote, style: PriceStyle, dumpClose: number): RowText {
  const close = quote.close > 0 ? quote.close : dumpClose;
  const hasMove = quote.lastPrice > 0 && close > 0;
  const change = hasMove ? quote.lastPrice - close : 0;
  return {
    ltp: formatPriceUnits(quote.lastPrice, style),
    change: hasMove ? formatPriceChange(change, style) : EM_DASH,
    changePercent: hasMove ? formatPercentChange(change, close) : EM_DASH,
    bid: formatPriceUnits(quote.bidPrice, style),
    ask: formatPriceUnits(quote.askPrice, style),
    volume: quote.volume > 0 ? formatQuantity(quote.volume) : EM_DASH,
    dayDirection: directionOf(change),
  };
}

/**
 * The flash of the LTP cell after a tick: the way the price moved, or '' when it is not flashing.
 * A plain attribute with a static background, set on the move and cleared FLASH_MS after the last
 * one, so a busy row costs a style change when its flash starts, turns or ends, not a CSS animation
 * restarted on every tick (bench:ui measured those animations as most of the page's style work).
 */
export type Flash = '' | 'up' | 'down';

/** How long the LTP cell stays lit after its last move. */
export const FLASH_MS = 400;

/** The flash a move from `previousLtp` to `ltp` starts, or null when the price did not move. */
export function flashOf(previousLtp: number, ltp: number): Exclude<Flash, ''> | null {
  if (previousLtp === 0 || ltp === previousLtp || ltp === 0) return null;
  return ltp > previousLtp ? 'up' : 'down';
}
