import type { AlgoStatus, AlgoView, BracketLevel } from '../../../shared/services/algos';
import type { OrderStateName, OrderView } from '../../../shared/services/orders';
import { formatIstTime } from '../../../shared/time/ist';
import { EM_DASH, formatPriceUnits, formatQuantity } from '../market';
import { isWorking, orderPriceStyle } from '../orders';

// How an algorithm and its child orders read in the algos grid, and what can be done to them. Pure:
// no DOM, no engine.

/** How a status is coloured (algos.css). */
export type AlgoTone = 'working' | 'done' | 'cancelled' | 'failed' | 'unknown';

export function algoStatusTone(status: AlgoStatus): AlgoTone {
  switch (status) {
    case 'WORKING':
      return 'working';
    case 'COMPLETED':
      return 'done';
    case 'CANCELLED':
      return 'cancelled';
    case 'FAILED':
      return 'failed';
  }
}

/** Cancel is offered while the algorithm works. */
export function canCancelAlgo(a: Pick<AlgoView, 'status'>): boolean {
  return a.status === 'WORKING';
}

/**
 * A bracket's target and stop can be moved while it works and once they are known (the entry has
 * filled, or they were given as prices).
 */
export function canEditExit(a: AlgoView, which: 'targetPrice' | 'stopPrice'): boolean {
  return a.kind === 'bracket' && a.status === 'WORKING' && a[which] > 0;
}

/** A level not known yet (ticks from a fill to come): `20 tk`. */
function levelText(level: BracketLevel): string {
  return 'ticks' in level ? `${formatQuantity(level.ticks)} tk` : EM_DASH;
}

/** The texts of an algorithm's row. */
export interface AlgoRowText {
  readonly time: string;
  readonly kind: string;
  /** Filled of the total: `3/10`. */
  readonly quantity: string;
  /** An iceberg's limit, a bracket's entry (`MKT` at market, `SL-M 1490.00` for a stop-market entry). */
  readonly price: string;
  readonly average: string;
  /** A bracket's target and stop now (after trailing); '' for an iceberg. */
  readonly target: string;
  readonly stop: string;
  readonly status: string;
}

export function algoRowText(a: AlgoView): AlgoRowText {
  const style = orderPriceStyle(a.priceDivisor);
  let time: string;
  try {
    time = formatIstTime(a.createdAt);
  } catch {
    time = EM_DASH;
  }
  let price: string;
  let target = '';
  let stop = '';
  if (a.spec.kind === 'iceberg') {
    price = formatPriceUnits(a.spec.price, style);
  } else {
    const entry = a.spec.entry;
    if (entry.orderType === 'MARKET') price = 'MKT';
    else if (entry.orderType === 'SL-M') price = `SL-M ${formatPriceUnits(entry.triggerPrice ?? 0, style)}`;
    else price = formatPriceUnits(entry.price ?? 0, style);
    target = a.targetPrice > 0 ? formatPriceUnits(a.targetPrice, style) : levelText(a.spec.target);
    stop = a.stopPrice > 0 ? formatPriceUnits(a.stopPrice, style) : levelText(a.spec.stop);
  }
  return {
    time,
    kind: a.kind === 'bracket' ? 'BRACKET' : 'ICEBERG',
    quantity: `${formatQuantity(a.filledQuantity)}/${formatQuantity(a.quantity)}`,
    price,
    average: formatPriceUnits(a.averagePrice, style),
    target,
    stop,
    status: a.status,
  };
}

/** What a child order is to its algorithm. */
export type ChildRole = 'entry' | 'target' | 'stop' | 'exit' | 'leg';

/**
 * A child's part: an iceberg's children are its legs; a bracket's first child is its entry, and the
 * rest its exits: a limit is the target, a stop order the stop, a market order an exit at market.
 */
export function childRole(
  a: Pick<AlgoView, 'kind'>,
  order: Pick<OrderView, 'orderType'>,
  index: number,
): ChildRole {
  if (a.kind === 'iceberg') return 'leg';
  if (index === 0) return 'entry';
  if (order.orderType === 'LIMIT') return 'target';
  if (order.orderType === 'SL' || order.orderType === 'SL-M') return 'stop';
  return 'exit';
}

/** The texts of a child's row: its values in the columns of its algorithm's that they are. */
export interface ChildRowText {
  /** `leg 3`, `entry`, `target`, `stop`, `exit`. */
  readonly role: string;
  readonly quantity: string;
  readonly price: string;
  readonly average: string;
  readonly target: string;
  readonly stop: string;
  readonly state: string;
  readonly tone: AlgoTone;
}

const STATE_WORDS: Partial<Record<OrderStateName, string>> = {
  PENDING_NEW: 'PENDING',
  TRIGGER_PENDING: 'TRIG PENDING',
  AMO_QUEUED: 'AMO',
  MODIFY_PENDING: 'MODIFYING',
  CANCEL_PENDING: 'CANCELLING',
};

export function childStateTone(state: OrderStateName): AlgoTone {
  if (state === 'COMPLETE') return 'done';
  if (state === 'CANCELLED') return 'cancelled';
  if (state === 'REJECTED') return 'failed';
  if (state === 'UNKNOWN') return 'unknown';
  return isWorking(state) ? 'working' : 'cancelled';
}

export function childRowText(a: Pick<AlgoView, 'kind'>, order: OrderView, index: number): ChildRowText {
  const style = orderPriceStyle(order.priceDivisor);
  const role = childRole(a, order, index);
  const limit =
    order.orderType === 'MARKET' || order.orderType === 'SL-M' ? 'MKT' : formatPriceUnits(order.price, style);
  return {
    role: role === 'leg' ? `leg ${index + 1}` : role,
    quantity: `${formatQuantity(order.filledQuantity)}/${formatQuantity(order.quantity)}`,
    price: role === 'target' || role === 'stop' ? '' : limit,
    average: formatPriceUnits(order.averagePrice, style),
    target: role === 'target' ? limit : '',
    stop: role === 'stop' ? formatPriceUnits(order.triggerPrice, style) : '',
    state: STATE_WORDS[order.state] ?? order.state,
    tone: childStateTone(order.state),
  };
}
