import { roundToTick } from '../../../shared/domain/money';
import type { InstrumentInfo } from '../../../shared/services/market';
import { canCancel, canModify, isWorking, restingPriceOf } from '../orders';
import type { OrderType, OrderView, PlaceOrder, Product, Side } from '../../../shared/services/orders';

// The price ladder's arithmetic, with no DOM in it: which price each row shows, centring, the
// trader's working orders by row, and what a click, a Shift+click or a drag on a row asks the OMS
// to do. The tick grid (roundToTick) and the volume at price are shared/domain's, the engine's too. Prices are wire units (price x divisor) and
// integers throughout; the view divides them only to write them.

/** The window of prices the ladder shows: row 0 is the highest, each row one tick below the last. */
export interface LadderWindow {
  /** Price of row 0, wire units, on the tick grid. */
  readonly top: number;
  readonly tick: number;
  readonly rows: number;
}

/** `price` down (or up) to a multiple of `tick`. */
export function floorToTick(price: number, tick: number): number {
  if (!Number.isSafeInteger(tick) || tick <= 0) return price;
  return Math.floor(price / tick) * tick;
}

/** The price of row `row` (0 at the top). */
export function priceAtRow(w: LadderWindow, row: number): number {
  return w.top - row * w.tick;
}

/** The row showing `price`, or -1 when it is off the window or off the tick grid. */
export function rowOfPrice(w: LadderWindow, price: number): number {
  const offset = w.top - price;
  if (w.tick <= 0 || offset % w.tick !== 0) return -1;
  const row = offset / w.tick;
  return row >= 0 && row < w.rows ? row : -1;
}

/** The row a price falls in even off the grid (a depth level between ticks rounds to its row), or -1. */
export function nearestRow(w: LadderWindow, price: number): number {
  if (w.tick <= 0) return -1;
  const row = Math.round((w.top - price) / w.tick);
  return row >= 0 && row < w.rows ? row : -1;
}

/** The middle row (the upper of two for an even count). */
export function centreRow(rows: number): number {
  return Math.floor((rows - 1) / 2);
}

/**
 * A window of `rows` rows with `price` (rounded to the tick) on the middle row. Never lets the bottom
 * row go below one tick: prices of a penny stock near zero still start at the tick.
 */
export function centredWindow(price: number, tick: number, rows: number): LadderWindow {
  const t = tick > 0 ? tick : 1;
  const middle = Math.max(t, roundToTick(price, t));
  const top = Math.max(middle + centreRow(rows) * t, rows * t);
  return { top, tick: t, rows };
}

/** The window moved by `rows` rows (positive: towards higher prices), its bottom kept at one tick or more. */
export function scrolled(w: LadderWindow, rows: number): LadderWindow {
  const top = Math.max(w.top + rows * w.tick, w.rows * w.tick);
  return top === w.top ? w : { ...w, top };
}

/**
 * True when `price` is within `margin` rows of either edge, or off the window: time for the
 * auto-recentre. A price of 0 (none yet) never asks for it.
 */
export function needsRecentre(w: LadderWindow, price: number, margin = 2): boolean {
  if (price <= 0) return false;
  const row = nearestRow(w, price);
  if (row < 0) return true;
  return row < margin || row > w.rows - 1 - margin;
}

/** The same window with another row count, keeping the middle price in the middle. */
export function resized(w: LadderWindow, rows: number): LadderWindow {
  if (rows === w.rows) return w;
  return centredWindow(priceAtRow(w, centreRow(w.rows)), w.tick, rows);
}

// --- Working orders by row -----------------------------------------------------------------------

/** Where a working order sits on the ladder: its limit price, or the trigger of a stop (SL, SL-M). */
export const ladderPriceOf = restingPriceOf;

/** One of the trader's working orders as the ladder shows it. */
export interface LadderOrder {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly orderType: OrderType;
  /** Where it sits (see ladderPriceOf). */
  readonly price: number;
  /** Still to fill. */
  readonly remaining: number;
  readonly modifiable: boolean;
  readonly cancellable: boolean;
}

/** The working orders of one instrument (market orders have no price to sit at and are left out). */
export function ladderOrders(orders: readonly OrderView[], instrumentToken: number): LadderOrder[] {
  const out: LadderOrder[] = [];
  for (const o of orders) {
    if (o.instrumentToken !== instrumentToken || !isWorking(o.state) || o.orderType === 'MARKET') continue;
    const price = ladderPriceOf(o);
    if (price <= 0) continue;
    out.push({
      clientOrderId: o.clientOrderId,
      side: o.side,
      orderType: o.orderType,
      price,
      remaining: Math.max(0, o.quantity - o.filledQuantity),
      modifiable: canModify(o.state),
      cancellable: canCancel(o.state),
    });
  }
  return out;
}

/** Working orders of one side at one price: what an orders cell shows and what a click on it acts on. */
export interface OrdersAt {
  readonly quantity: number;
  readonly orders: readonly LadderOrder[];
}

/** The working orders keyed by `${side}:${price}`. */
export function ordersByPrice(orders: readonly LadderOrder[]): Map<string, OrdersAt> {
  const map = new Map<string, OrdersAt>();
  for (const o of orders) {
    const key = orderKey(o.side, o.price);
    const at = map.get(key);
    map.set(key, { quantity: (at?.quantity ?? 0) + o.remaining, orders: [...(at?.orders ?? []), o] });
  }
  return map;
}

export function orderKey(side: Side, price: number): string {
  return `${side}:${price}`;
}

// --- Quantity ------------------------------------------------------------------------------------

/** The preset buttons, in lots. */
export const QUANTITY_PRESETS = [1, 5, 10, 25, 100] as const;

/** The units of `lots` lots, or undefined when the instrument cannot be traded (no lot size) or lots is not a whole number above 0. */
export function unitsOfLots(lots: number, lotSize: number): number | undefined {
  if (!Number.isSafeInteger(lots) || lots <= 0) return undefined;
  if (!Number.isSafeInteger(lotSize) || lotSize <= 0) return undefined;
  return lots * lotSize;
}

/** True for futures and options (quantities in lots, NRML carries them overnight). */
export function isDerivative(instrument: Pick<InstrumentInfo, 'instrumentType'>): boolean {
  return (
    instrument.instrumentType === 'FUT' ||
    instrument.instrumentType === 'CE' ||
    instrument.instrumentType === 'PE'
  );
}

/** The products offered for an instrument, the default first: MIS then CNC for equities, NRML then MIS for F&O. */
export function productsFor(
  instrument: Pick<InstrumentInfo, 'instrumentType'> | undefined,
): readonly Product[] {
  if (instrument !== undefined && isDerivative(instrument)) return ['NRML', 'MIS'];
  return ['MIS', 'CNC'];
}

// --- Clicks, keys and drags ----------------------------------------------------------------------

/** Which column of a row the trader acted on: the bid side (left) or the ask side (right). */
export type LadderSide = 'bid' | 'ask';

/** What the ladder needs to know to turn a click into an order. */
export interface OrderContext {
  readonly instrument:
    Pick<InstrumentInfo, 'instrumentToken' | 'lotSize' | 'tickSize' | 'instrumentType'> | undefined;
  /** Units (not lots). */
  readonly quantity: number;
  readonly product: Product;
  /** The last traded price, wire units; 0 when none has come. */
  readonly lastPrice: number;
}

/** A click's answer: an order to place (after the confirmation, when asked for), or why not. */
export type OrderIntent =
  | {
      readonly ok: true;
      readonly order: PlaceOrder & { readonly quantity: number; readonly orderType: OrderType };
    }
  | { readonly ok: false; readonly message: string };

/** Why an order command cannot run now, or undefined when it can (instrument and quantity are unambiguous). */
export function orderBlocker(ctx: OrderContext): string | undefined {
  const i = ctx.instrument;
  if (i === undefined) return 'No instrument: pick one in the watchlist first.';
  if (i.instrumentType === 'INDEX' || i.lotSize <= 0) return 'An index cannot be traded.';
  if (!Number.isSafeInteger(ctx.quantity) || ctx.quantity <= 0) return 'Pick a quantity first.';
  if (ctx.quantity % i.lotSize !== 0)
    return `The quantity must be a multiple of the lot size (${i.lotSize}).`;
  return undefined;
}

/**
 * The order for a click at `price` on one side of the ladder.
 *
 * - Plain click: the bid side buys LIMIT at the price, the ask side sells LIMIT at it.
 * - Shift+click, a stop (SL-M, triggered at the price): on the ask side a BUY stop, which must be
 *   above the last price (it triggers when the market rises to it); on the bid side a SELL stop,
 *   which must be below it. A stop on the wrong side of the market would trigger at once, as the
 *   exchange refuses it, so it is refused here with the reason.
 */
export function clickIntent(ctx: OrderContext, side: LadderSide, price: number, stop: boolean): OrderIntent {
  const blocked = orderBlocker(ctx);
  if (blocked !== undefined) return { ok: false, message: blocked };
  const i = ctx.instrument;
  if (i === undefined) return { ok: false, message: 'No instrument.' };
  if (price <= 0 || (i.tickSize > 0 && price % i.tickSize !== 0)) {
    return { ok: false, message: 'That row is not a price on the tick grid.' };
  }
  const base = { instrumentToken: i.instrumentToken, quantity: ctx.quantity, product: ctx.product } as const;
  if (!stop) {
    return { ok: true, order: { ...base, side: side === 'bid' ? 'BUY' : 'SELL', orderType: 'LIMIT', price } };
  }
  if (ctx.lastPrice <= 0)
    return { ok: false, message: 'No last price yet: a stop needs the market to be known.' };
  const problem = stopSideProblem(side === 'ask' ? 'BUY' : 'SELL', price, ctx.lastPrice);
  if (problem !== undefined) return { ok: false, message: problem };
  return {
    ok: true,
    order: { ...base, side: side === 'ask' ? 'BUY' : 'SELL', orderType: 'SL-M', triggerPrice: price },
  };
}

/** Why a stop of `side` triggered at `trigger` is on the wrong side of `lastPrice`, or undefined when it is not. */
export function stopSideProblem(side: Side, trigger: number, lastPrice: number): string | undefined {
  if (side === 'BUY' && trigger <= lastPrice) {
    return 'A buy stop must be above the last price (it triggers when the market rises to it). Shift+click the ask side above the market.';
  }
  if (side === 'SELL' && trigger >= lastPrice) {
    return 'A sell stop must be below the last price (it triggers when the market falls to it). Shift+click the bid side below the market.';
  }
  return undefined;
}

/** A modify the ladder asks for after a drag. */
export type ModifyIntent =
  | {
      readonly ok: true;
      readonly clientOrderId: string;
      readonly change: { price?: number; triggerPrice?: number };
    }
  | { readonly ok: false; readonly message: string };

/**
 * Dragging a working order from its row to the row of `to`: a LIMIT's price moves there; a stop's
 * trigger moves there (an SL's limit price moves with it by the same number of ticks, so its
 * protection stays as the trader set it). A stop dragged across the market is refused like a new one.
 */
export function dragIntent(
  order: Pick<OrderView, 'clientOrderId' | 'side' | 'orderType' | 'price' | 'triggerPrice'>,
  to: number,
  lastPrice: number,
): ModifyIntent | undefined {
  const from = ladderPriceOf(order);
  if (to === from) return undefined;
  if (to <= 0) return { ok: false, message: 'That row is not a price.' };
  switch (order.orderType) {
    case 'LIMIT':
      return { ok: true, clientOrderId: order.clientOrderId, change: { price: to } };
    case 'SL-M':
    case 'SL': {
      if (lastPrice > 0) {
        const problem = stopSideProblem(order.side, to, lastPrice);
        if (problem !== undefined) return { ok: false, message: problem };
      }
      if (order.orderType === 'SL-M')
        return { ok: true, clientOrderId: order.clientOrderId, change: { triggerPrice: to } };
      const price = order.price + (to - from);
      if (price <= 0) return { ok: false, message: 'The limit price would fall below zero.' };
      return { ok: true, clientOrderId: order.clientOrderId, change: { triggerPrice: to, price } };
    }
    case 'MARKET':
      return { ok: false, message: 'A market order has no price to move.' };
  }
}

/** How a ladder order reads in the confirmation and the notices: `BUY 10 INFY @ 1530.00 LIMIT MIS`. */
export function describeOrder(
  order: {
    readonly side: Side;
    readonly quantity: number;
    readonly orderType: OrderType;
    readonly product: Product;
  },
  symbol: string,
  priceText: string,
): string {
  const at = order.orderType === 'SL-M' || order.orderType === 'SL' ? `stop ${priceText}` : priceText;
  return `${order.side} ${order.quantity} ${symbol} @ ${at} ${order.orderType} ${order.product}`;
}
