import type { Depth, DepthLevel } from '../../../shared/services/market';
import { EM_DASH, formatPriceUnits, formatQuantity } from '../market';
import type { PriceStyle } from '../market';

/** Levels per side the panel shows (Kite's full mode carries five). */
export const DEPTH_LEVELS = 5;

export interface LevelView {
  readonly price: string;
  readonly quantity: string;
  readonly orders: string;
  /** The level's quantity as a share of the largest on either side, 0..1 (the bar's length). */
  readonly bar: number;
}

export interface DepthView {
  readonly bids: readonly LevelView[];
  readonly asks: readonly LevelView[];
  readonly totalBid: string;
  readonly totalAsk: string;
  /** Bid share of the five levels' quantity, 0..1 (the imbalance bar); 0.5 when both are empty. */
  readonly bidShare: number;
}

const EMPTY_LEVEL: LevelView = { price: EM_DASH, quantity: '', orders: '', bar: 0 };

function levels(side: readonly DepthLevel[], style: PriceStyle, max: number): LevelView[] {
  const out: LevelView[] = [];
  for (let i = 0; i < DEPTH_LEVELS; i++) {
    const l = side[i];
    if (l === undefined || l.price === 0 || l.quantity === 0) {
      out.push(EMPTY_LEVEL);
      continue;
    }
    out.push({
      price: formatPriceUnits(l.price, style),
      quantity: formatQuantity(l.quantity),
      orders: formatQuantity(l.orders),
      bar: max > 0 ? l.quantity / max : 0,
    });
  }
  return out;
}

function total(side: readonly DepthLevel[]): number {
  let sum = 0;
  for (let i = 0; i < Math.min(DEPTH_LEVELS, side.length); i++) sum += side[i]?.quantity ?? 0;
  return sum;
}

/** The five levels a side, their bars scaled to the largest level on either side, and totals. */
export function depthView(depth: Depth | undefined, style: PriceStyle): DepthView {
  const bids = depth?.bids ?? [];
  const asks = depth?.asks ?? [];
  let max = 0;
  for (const l of [...bids.slice(0, DEPTH_LEVELS), ...asks.slice(0, DEPTH_LEVELS)])
    max = Math.max(max, l.quantity);
  const totalBid = total(bids);
  const totalAsk = total(asks);
  return {
    bids: levels(bids, style, max),
    asks: levels(asks, style, max),
    totalBid: depth === undefined ? EM_DASH : formatQuantity(totalBid),
    totalAsk: depth === undefined ? EM_DASH : formatQuantity(totalAsk),
    bidShare: totalBid + totalAsk === 0 ? 0.5 : totalBid / (totalBid + totalAsk),
  };
}
