import type { HoldingView } from '../../../shared/services/portfolio';
import { directionOf, formatPnl, formatPriceUnits, formatQuantity, formatRupees } from '../market';
import type { Direction } from '../market';
import { orderPriceStyle } from '../orders';

// How a holding reads in the holdings grid. Pure: no DOM, no engine.

/** Paise of `quantity` units at `price` wire units of `divisor`. */
function valuePaise(price: number, quantity: number, divisor: number): number {
  return Math.round((price * quantity * 100) / divisor);
}

export interface HoldingRowText {
  readonly quantity: string;
  readonly average: string;
  readonly lastPrice: string;
  readonly invested: string;
  readonly current: string;
  readonly pnl: string;
  readonly pnlDir: Direction;
}

export function holdingRowText(h: HoldingView): HoldingRowText {
  const style = orderPriceStyle(h.priceDivisor);
  return {
    quantity: formatQuantity(h.quantity),
    average: formatPriceUnits(h.averagePrice, style),
    lastPrice: formatPriceUnits(h.lastPrice, style),
    invested: formatRupees(valuePaise(h.averagePrice, h.quantity, h.priceDivisor)),
    current: formatRupees(valuePaise(h.lastPrice, h.quantity, h.priceDivisor)),
    pnl: formatPnl(h.pnl),
    pnlDir: directionOf(h.pnl),
  };
}

export interface HoldingTotals {
  readonly investedPaise: number;
  readonly currentPaise: number;
  readonly pnlPaise: number;
}

export function holdingTotals(holdings: readonly HoldingView[]): HoldingTotals {
  let investedPaise = 0;
  let currentPaise = 0;
  let pnlPaise = 0;
  for (const h of holdings) {
    investedPaise += valuePaise(h.averagePrice, h.quantity, h.priceDivisor);
    currentPaise += valuePaise(h.lastPrice, h.quantity, h.priceDivisor);
    pnlPaise += h.pnl;
  }
  return { investedPaise, currentPaise, pnlPaise };
}
