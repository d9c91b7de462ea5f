import type { TradeView } from '../../../shared/services/orders';
import { formatIstTime } from '../../../shared/time/ist';
import { EM_DASH, formatPriceUnits, formatQuantity, formatRupees } from '../market';
import { orderPriceStyle } from '../orders';

// How a fill reads in the trades grid and in a toast. Pure: no DOM, no engine.

export interface TradeRowText {
  readonly time: string;
  readonly quantity: string;
  readonly price: string;
  /** Price x quantity, rupees. */
  readonly value: string;
}

/** A fill's value in paise: price (wire units) x quantity, to the paisa (exact for integer inputs). */
export function tradeValuePaise(t: Pick<TradeView, 'price' | 'quantity' | 'priceDivisor'>): number {
  // Wire units are price x divisor; paise are price x 100.
  return Math.round((t.price * t.quantity * 100) / t.priceDivisor);
}

export function tradeRowText(t: TradeView): TradeRowText {
  let time: string;
  try {
    time = formatIstTime(t.time);
  } catch {
    time = EM_DASH;
  }
  return {
    time,
    quantity: formatQuantity(t.quantity),
    price: formatPriceUnits(t.price, orderPriceStyle(t.priceDivisor)),
    value: formatRupees(tradeValuePaise(t)),
  };
}

/** One line for a fill: `Bought 2 INFY @ 1523.45`. */
export function tradeSentence(t: TradeView): string {
  const verb = t.side === 'BUY' ? 'Bought' : 'Sold';
  return `${verb} ${formatQuantity(t.quantity)} ${t.tradingsymbol} @ ${formatPriceUnits(t.price, orderPriceStyle(t.priceDivisor))}`;
}

/** The totals of the day's fills: count, quantity bought and sold, turnover (paise). */
export interface TradeTotals {
  readonly count: number;
  readonly bought: number;
  readonly sold: number;
  readonly turnoverPaise: number;
}

export function tradeTotals(trades: readonly TradeView[]): TradeTotals {
  let bought = 0;
  let sold = 0;
  let turnoverPaise = 0;
  for (const t of trades) {
    if (t.side === 'BUY') bought += t.quantity;
    else sold += t.quantity;
    turnoverPaise += tradeValuePaise(t);
  }
  return { count: trades.length, bought, sold, turnoverPaise };
}
