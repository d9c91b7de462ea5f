import type { OrderStateName, OrderView } from '../../../shared/services/orders';
import { formatIstTime } from '../../../shared/time/ist';
import { EM_DASH, formatPriceUnits, formatQuantity } from '../market';
import type { PriceStyle } from '../market';

// How an order reads in the orders grid, and what can be done to it. Pure: no DOM, no engine.

/** States in which the order still rests (or may rest) with the broker. */
const WORKING: ReadonlySet<OrderStateName> = new Set<OrderStateName>([
  'PENDING_NEW',
  'SENT',
  'UNKNOWN',
  'ACCEPTED',
  'OPEN',
  'TRIGGER_PENDING',
  'AMO_QUEUED',
  'MODIFY_PENDING',
  'CANCEL_PENDING',
]);

/** States from which the exchange takes a modify or a cancel. */
const RESTING: ReadonlySet<OrderStateName> = new Set<OrderStateName>([
  'OPEN',
  'TRIGGER_PENDING',
  'AMO_QUEUED',
]);

/** True until the order is COMPLETE, CANCELLED or REJECTED. */
export function isWorking(state: OrderStateName): boolean {
  return WORKING.has(state);
}

/** Cancel (×) is offered on an order resting at the exchange, or one whose modify is in flight. */
export function canCancel(state: OrderStateName): boolean {
  return RESTING.has(state) || state === 'MODIFY_PENDING' || state === 'ACCEPTED';
}

/** Modify (inline price edit) is offered on an order resting at the exchange. */
export function canModify(state: OrderStateName): boolean {
  return RESTING.has(state);
}

/** Where a working order sits on a price scale (ladder, chart): its limit price, or a stop's trigger. */
export function restingPriceOf(order: Pick<OrderView, 'orderType' | 'price' | 'triggerPrice'>): number {
  return order.orderType === 'SL' || order.orderType === 'SL-M' ? order.triggerPrice : order.price;
}

/** What the inline edit of an order changes: its limit price, or the trigger of an SL-M. */
export function editedField(order: Pick<OrderView, 'orderType'>): 'price' | 'triggerPrice' | undefined {
  if (order.orderType === 'LIMIT' || order.orderType === 'SL') return 'price';
  if (order.orderType === 'SL-M') return 'triggerPrice';
  return undefined;
}

const STATE_LABELS: Readonly<Record<OrderStateName, string>> = {
  PENDING_NEW: 'PENDING',
  SENT: 'SENT',
  UNKNOWN: 'UNKNOWN',
  ACCEPTED: 'ACCEPTED',
  OPEN: 'OPEN',
  TRIGGER_PENDING: 'TRIGGER PENDING',
  AMO_QUEUED: 'AMO',
  MODIFY_PENDING: 'MODIFYING',
  CANCEL_PENDING: 'CANCELLING',
  COMPLETE: 'COMPLETE',
  CANCELLED: 'CANCELLED',
  REJECTED: 'REJECTED',
};

/** The state as the grid writes it (Kite's words where it has them). */
export function stateLabel(state: OrderStateName): string {
  return STATE_LABELS[state];
}

/** How the state is coloured. */
export function stateTone(state: OrderStateName): 'working' | 'done' | 'cancelled' | 'rejected' | 'unknown' {
  if (state === 'COMPLETE') return 'done';
  if (state === 'CANCELLED') return 'cancelled';
  if (state === 'REJECTED') return 'rejected';
  if (state === 'UNKNOWN') return 'unknown';
  return 'working';
}

/**
 * How the prices of an order are written. An order carries its divisor but not its tick, so the
 * decimals come from the divisor: 2 for paise, 4 for currency and BCD (ticks of 0.0025, 0.0001).
 */
export function orderPriceStyle(priceDivisor: number): PriceStyle {
  return { divisor: priceDivisor, decimals: priceDivisor <= 100 ? Math.round(Math.log10(priceDivisor)) : 4 };
}

/** The texts of one row of the orders grid. */
export interface OrderRowText {
  readonly time: string;
  readonly quantity: string;
  readonly price: string;
  readonly trigger: string;
  readonly average: string;
  readonly state: string;
}

/** One order as the grid shows it. A price of 0 (a market order's, a trigger it has not) is a dash. */
export function orderRowText(o: OrderView): OrderRowText {
  const style = orderPriceStyle(o.priceDivisor);
  let time: string;
  try {
    time = formatIstTime(o.createdAt);
  } catch {
    time = EM_DASH;
  }
  return {
    time,
    quantity: `${formatQuantity(o.filledQuantity)}/${formatQuantity(o.quantity)}`,
    price: o.orderType === 'MARKET' || o.orderType === 'SL-M' ? 'MKT' : formatPriceUnits(o.price, style),
    trigger: formatPriceUnits(o.triggerPrice, style),
    average: formatPriceUnits(o.averagePrice, style),
    state: stateLabel(o.state),
  };
}

/**
 * The grid's order: working orders first (newest first), then the finished ones (most recently
 * finished first). Ties break on the client order id, so the order never flickers.
 */
export function compareOrders(a: OrderView, b: OrderView): number {
  const aw = isWorking(a.state);
  const bw = isWorking(b.state);
  if (aw !== bw) return aw ? -1 : 1;
  const at = aw ? a.createdAt : a.updatedAt;
  const bt = bw ? b.createdAt : b.updatedAt;
  if (at !== bt) return bt - at;
  return a.clientOrderId < b.clientOrderId ? 1 : a.clientOrderId > b.clientOrderId ? -1 : 0;
}
