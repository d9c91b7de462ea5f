import type { AlgoView, ModifyAlgo } from '../../../shared/services/algos';
import type { OrderView, Product } from '../../../shared/services/orders';
import { formatPriceUnits } from '../market';
import { canModify, isWorking, restingPriceOf } from '../orders';
import type { PriceStyle } from '../market';

// The trader's working orders and open positions as horizontal lines on the chart, and what a drag
// of an order's line asks for. Pure: the chart wrapper draws the lines, Chart.tsx wires the stores.

/** One line on the chart. Prices in wire units. */
export interface ChartLine {
  /** `order:<clientOrderId>` or `position:<product>`. */
  readonly id: string;
  readonly kind: 'order' | 'position';
  /** The colour: buy or sell for an order, long or short for a position. */
  readonly tone: 'buy' | 'sell' | 'long' | 'short';
  readonly price: number;
  /** `BUY 10 @ 1530.00`, `SELL SL-M 5 @ 1510.00`, `POS +2 @ 1529.10`. */
  readonly label: string;
  /** An order line that can be dragged to a new price now (a resting LIMIT, SL or SL-M). */
  readonly draggable: boolean;
  readonly clientOrderId?: string;
  /** An order of a working bracket: a drag moves the bracket (`algos.modify`), not the order. */
  readonly bracket?: { readonly algoId: string; readonly role: BracketRole };
}

/** What a bracket's order is: its entry, its target (the LIMIT exit) or its stop (the SL-M/SL exit). */
export type BracketRole = 'entry' | 'target' | 'stop';

/**
 * The role of `order` in its parent when the parent is a working bracket, else undefined (a plain
 * order, or a child of another algorithm, is moved as an order). The entry is on the bracket's side;
 * of the exits, the LIMIT is the target and the stop order (SL-M, or SL for options) the stop.
 */
export function bracketRole(
  order: Pick<OrderView, 'side' | 'orderType' | 'parentId'>,
  parent: Pick<AlgoView, 'algoId' | 'kind' | 'status' | 'side'> | undefined,
): BracketRole | undefined {
  if (parent === undefined || order.parentId !== parent.algoId) return undefined;
  if (parent.kind !== 'bracket' || parent.status !== 'WORKING') return undefined;
  if (order.side === parent.side) return 'entry';
  return order.orderType === 'LIMIT' ? 'target' : 'stop';
}

/** What a drag of a bracket's line to `to` (wire units) asks of the bracket. */
export function bracketMove(bracket: NonNullable<ChartLine['bracket']>, to: number): ModifyAlgo {
  const field = bracket.role === 'target' ? 'targetPrice' : bracket.role === 'stop' ? 'stopPrice' : 'price';
  return { algoId: bracket.algoId, [field]: to };
}

const BRACKET_TAG: Readonly<Record<BracketRole, string>> = { entry: 'BKT E', target: 'BKT T', stop: 'BKT S' };

/**
 * The working orders of one instrument as lines (market orders have no price to draw). `parentOf`
 * finds an order's parent algorithm, so a bracket's orders are tagged (`BKT T SELL 10 @ 1540.00`)
 * and moved as the bracket.
 */
export function orderLines(
  orders: readonly OrderView[],
  instrumentToken: number,
  style: PriceStyle,
  parentOf: (algoId: string) => AlgoView | undefined = () => undefined,
): ChartLine[] {
  const out: ChartLine[] = [];
  for (const o of orders) {
    if (o.instrumentToken !== instrumentToken || !isWorking(o.state) || o.orderType === 'MARKET') continue;
    const price = restingPriceOf(o);
    if (price <= 0) continue;
    const remaining = Math.max(0, o.quantity - o.filledQuantity);
    const type = o.orderType === 'LIMIT' ? '' : ` ${o.orderType}`;
    const role = o.parentId === null ? undefined : bracketRole(o, parentOf(o.parentId));
    const tag = role === undefined ? '' : `${BRACKET_TAG[role]} `;
    out.push({
      id: `order:${o.clientOrderId}`,
      kind: 'order',
      tone: o.side === 'BUY' ? 'buy' : 'sell',
      price,
      label: `${tag}${o.side}${type} ${remaining} @ ${formatPriceUnits(price, style)}`,
      draggable: canModify(o.state),
      clientOrderId: o.clientOrderId,
      ...(role === undefined || o.parentId === null ? {} : { bracket: { algoId: o.parentId, role } }),
    });
  }
  return out;
}

/** What a position line needs of a position. */
export interface PositionLike {
  readonly instrumentToken: number;
  readonly product: Product;
  /** Net, signed (long > 0). */
  readonly quantity: number;
  /** Wire units. */
  readonly averagePrice: number;
}

/** The open positions of one instrument as lines at their average price (the product named when there are several). */
export function positionLines(
  positions: readonly PositionLike[],
  instrumentToken: number,
  style: PriceStyle,
): ChartLine[] {
  const open = positions.filter(
    (p) => p.instrumentToken === instrumentToken && p.quantity !== 0 && p.averagePrice > 0,
  );
  return open.map((p) => ({
    id: `position:${p.product}`,
    kind: 'position',
    tone: p.quantity > 0 ? 'long' : 'short',
    price: p.averagePrice,
    label: `POS ${p.quantity > 0 ? '+' : ''}${p.quantity} @ ${formatPriceUnits(p.averagePrice, style)}${open.length > 1 ? ` ${p.product}` : ''}`,
    draggable: false,
  }));
}

/**
 * The draggable line nearest `y` (px) within `tolerance` px, or undefined. `yOf` maps a wire-unit
 * price to the chart's y (null when off the scale).
 */
export function lineNear(
  lines: readonly ChartLine[],
  y: number,
  yOf: (price: number) => number | null,
  tolerance = 5,
): ChartLine | undefined {
  let best: ChartLine | undefined;
  let bestDistance = tolerance + 1;
  for (const l of lines) {
    if (!l.draggable) continue;
    const ly = yOf(l.price);
    if (ly === null) continue;
    const d = Math.abs(ly - y);
    if (d <= tolerance && d < bestDistance) {
      best = l;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * A price read off the chart (display units, a float from the price scale) into wire units on the
 * tick grid, never below one tick. Undefined for a non-finite price.
 */
export function chartPriceToUnits(price: number, divisor: number, tick: number): number | undefined {
  if (!Number.isFinite(price)) return undefined;
  const t = tick > 0 ? tick : 1;
  const units = Math.round((price * divisor) / t) * t;
  return Math.max(t, units);
}
