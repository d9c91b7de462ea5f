import type { PnlView, PositionView } from '../../../shared/services/portfolio';
import { EM_DASH, directionOf, formatPnl, formatPriceUnits, formatQuantity, formatRupees } from '../market';
import type { Direction } from '../market';
import { orderPriceStyle } from '../orders';

// How a position and the day's P&L read in the positions grid. Pure: no DOM, no engine.

/** The key of a position: one instrument in one product. */
export function positionKey(p: Pick<PositionView, 'instrumentToken' | 'product'>): string {
  return `${p.instrumentToken}:${p.product}`;
}

/** A net quantity, signed when not flat: `+75`, `-1,200`, `0`. */
export function formatNetQuantity(quantity: number): string {
  if (!Number.isSafeInteger(quantity)) return EM_DASH;
  if (quantity === 0) return '0';
  return `${quantity > 0 ? '+' : '-'}${formatQuantity(Math.abs(quantity))}`;
}

/** The texts of one position's row, and which way its numbers lean (their colours). */
export interface PositionText {
  readonly quantity: string;
  readonly average: string;
  readonly lastPrice: string;
  readonly realized: string;
  readonly unrealized: string;
  readonly charges: string;
  readonly net: string;
  /** Long, short or flat. */
  readonly side: Direction;
  readonly realizedDir: Direction;
  readonly unrealizedDir: Direction;
  readonly netDir: Direction;
}

export function positionText(p: PositionView): PositionText {
  const style = orderPriceStyle(p.priceDivisor);
  return {
    quantity: formatNetQuantity(p.quantity),
    average: p.quantity === 0 ? EM_DASH : formatPriceUnits(p.averagePrice, style),
    lastPrice: formatPriceUnits(p.lastPrice, style),
    realized: formatPnl(p.realized),
    unrealized: formatPnl(p.unrealized),
    charges: formatRupees(p.charges),
    net: formatPnl(p.net),
    side: directionOf(p.quantity),
    realizedDir: directionOf(p.realized),
    unrealizedDir: directionOf(p.unrealized),
    netDir: directionOf(p.net),
  };
}

/** The texts of the totals row. */
export interface PnlText {
  readonly realized: string;
  readonly unrealized: string;
  readonly charges: string;
  readonly net: string;
  readonly realizedDir: Direction;
  readonly unrealizedDir: Direction;
  readonly netDir: Direction;
}

export function pnlText(p: PnlView | undefined): PnlText {
  if (p === undefined) {
    return {
      realized: EM_DASH,
      unrealized: EM_DASH,
      charges: EM_DASH,
      net: EM_DASH,
      realizedDir: 'flat',
      unrealizedDir: 'flat',
      netDir: 'flat',
    };
  }
  return {
    realized: formatPnl(p.realized),
    unrealized: formatPnl(p.unrealized),
    charges: formatRupees(p.charges),
    net: formatPnl(p.net),
    realizedDir: directionOf(p.realized),
    unrealizedDir: directionOf(p.unrealized),
    netDir: directionOf(p.net),
  };
}
