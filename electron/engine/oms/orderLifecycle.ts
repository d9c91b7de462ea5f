/**
 * The order lifecycle (issue 6, item 1): our order states, the events that move them, and ONE
 * exhaustive transition table of (state, trigger) -> state. Pure: no clock, no I/O, no mutation.
 *
 * How an event is applied (`applyOrderEvent`):
 * 1. The event is validated (integer quantities and prices, non-empty ids); a bad event is an error.
 * 2. If the event changes nothing (a fill whose trade id is already recorded, an acknowledgement
 *    repeating the order id we have, a broker report identical to what we know, the late outcome of
 *    a modify or cancel request for an order already finished) it is ignored: `ok` with
 *    `changed: false`. This is what makes re-delivery (poll + stream, replay of the journal) safe.
 * 3. Otherwise the event's trigger is looked up in `TRANSITIONS`; a trigger not listed for the
 *    order's state is refused with a typed error and the order is returned unchanged. Nothing is
 *    guessed.
 *
 * A trigger is the event type, except for two events whose data decides the edge: a `Filled` is
 * `PartFilled` or `Filled` (by whether it completes the order's quantity), and a `Reported` (the
 * broker's order-book row or order update) is `Reported:<STATE>` for the state its Kite status maps
 * to (`KITE_STATUS_STATE`).
 *
 * The broker is authoritative about an order's state: a report of a working status ends a pending
 * modify or cancel (Kite's updates say what the order is now); the HTTP outcome of our modify or
 * cancel that arrives after such a report is a self-loop in the table.
 */

import type { Price } from '../../../shared/domain/money';

/** Every state an order can be in. */
/**
 * The reason of an order resolved absent (sent, its answer lost, and not in the broker's book after
 * the grace period): it never reached the broker. An algorithm may place its child again.
 */
export const ABSENT_REASON = 'absent from the broker order book';

export const ORDER_STATES = [
  /** Journaled, not yet sent. */
  'PENDING_NEW',
  /** The place request is on the wire; no answer yet. */
  'SENT',
  /** The place request timed out or the engine stopped with it in flight: never re-sent, resolved by tag. */
  'UNKNOWN',
  /** The broker gave an order id; not yet live at the exchange (Kite's transient pre-open statuses). */
  'ACCEPTED',
  /** Live at the exchange, possibly partly filled (`filledQuantity` > 0). */
  'OPEN',
  /** A stop order waiting for its trigger price. */
  'TRIGGER_PENDING',
  /** An after-market order waiting for the session to open. */
  'AMO_QUEUED',
  /** A modification is being processed (ours or one made on Kite web). */
  'MODIFY_PENDING',
  /** A cancellation is being processed (ours or one made on Kite web). */
  'CANCEL_PENDING',
  /** Filled in full. Terminal. */
  'COMPLETE',
  /** Cancelled (by us, by the user elsewhere, by IOC or TTL expiry), possibly after partial fills. Terminal. */
  'CANCELLED',
  /** Refused by us before the wire, by the broker, or found absent from the broker when UNKNOWN. Terminal. */
  'REJECTED',
] as const;

/** An order's state. */
export type OrderState = (typeof ORDER_STATES)[number];

/** The states an order never leaves (only duplicate events and trades the broker already counted). */
export const TERMINAL_STATES: ReadonlySet<OrderState> = new Set<OrderState>([
  'COMPLETE',
  'CANCELLED',
  'REJECTED',
]);

/** The states a modify or cancel returns to when it is refused: where the order rests at the exchange. */
export type WorkingState = 'OPEN' | 'TRIGGER_PENDING' | 'AMO_QUEUED';

/** The states a broker report can put an order in (never one of our own pre-broker states). */
export type ReportedState = Exclude<OrderState, 'PENDING_NEW' | 'SENT' | 'UNKNOWN'>;

/**
 * Every order status Kite's order book and order updates carry (kite-protocol.md section 5), the
 * transient ones included. `UPDATE` is not here: it exists only in postbacks ("doesn't exist at the
 * OMS") and means "re-fetch the order".
 */
export const KITE_ORDER_STATUSES = [
  'PUT ORDER REQ RECEIVED',
  'VALIDATION PENDING',
  'OPEN PENDING',
  'OPEN',
  'TRIGGER PENDING',
  'AMO REQ RECEIVED',
  'MODIFY VALIDATION PENDING',
  'MODIFY PENDING',
  'MODIFIED',
  'CANCEL PENDING',
  'COMPLETE',
  'CANCELLED',
  'REJECTED',
] as const;

/** A Kite order status string. */
export type KiteOrderStatus = (typeof KITE_ORDER_STATUSES)[number];

/** Our state for each Kite status. `MODIFIED` is transient (it precedes the order's working status). */
export const KITE_STATUS_STATE: Readonly<Record<KiteOrderStatus, ReportedState>> = {
  'PUT ORDER REQ RECEIVED': 'ACCEPTED',
  'VALIDATION PENDING': 'ACCEPTED',
  'OPEN PENDING': 'ACCEPTED',
  OPEN: 'OPEN',
  'TRIGGER PENDING': 'TRIGGER_PENDING',
  'AMO REQ RECEIVED': 'AMO_QUEUED',
  'MODIFY VALIDATION PENDING': 'MODIFY_PENDING',
  'MODIFY PENDING': 'MODIFY_PENDING',
  MODIFIED: 'MODIFY_PENDING',
  'CANCEL PENDING': 'CANCEL_PENDING',
  COMPLETE: 'COMPLETE',
  CANCELLED: 'CANCELLED',
  REJECTED: 'REJECTED',
};

/** A Kite status string as a `KiteOrderStatus`, or null for anything else (`UPDATE`, a new status). */
export function parseKiteOrderStatus(status: string): KiteOrderStatus | null {
  return Object.hasOwn(KITE_STATUS_STATE, status) ? (status as KiteOrderStatus) : null;
}

/** The events of an order's life, in the past tense, tagged by `type`. Quantities are integers. */
export type OrderEvent =
  /** The place request was handed to the transport. */
  | { readonly type: 'Submitted' }
  /** The broker answered the place request with its order id. */
  | { readonly type: 'Acknowledged'; readonly orderId: string }
  /** The place request got no answer in time (or a transport error): the outcome is unknown. */
  | { readonly type: 'TimedOut' }
  /** The engine (re)started with this order journaled but its send not known to have finished. */
  | { readonly type: 'Interrupted' }
  /** The place request was refused before reaching the broker's book (locally, or a definite 4xx). */
  | { readonly type: 'Rejected'; readonly reason: string }
  /** An UNKNOWN order is provably absent from the broker's order book (by tag, after the grace period). */
  | { readonly type: 'ResolvedAbsent' }
  /**
   * An order the broker had (it gave an id) is no longer in its order book and reconciliation could
   * not explain it; the user accepted the broker's view, which closes it here.
   */
  | { readonly type: 'Abandoned' }
  /**
   * The broker's view of the order: an order update, a row of the order book (polling), or the row
   * found by tag when resolving an UNKNOWN order. `quantity` and `filledQuantity` are Kite's.
   */
  | {
      readonly type: 'Reported';
      readonly orderId: string;
      readonly status: KiteOrderStatus;
      readonly quantity: number;
      readonly filledQuantity: number;
      readonly reason: string | null;
    }
  /** We sent a modify request. */
  | { readonly type: 'ModifyRequested' }
  /** The broker accepted our modify request (the result comes in a report). */
  | { readonly type: 'ModifyAcknowledged' }
  /** The broker refused our modify request; the order is as it was. */
  | { readonly type: 'ModifyRejected'; readonly reason: string }
  /** We sent a cancel request. */
  | { readonly type: 'CancelRequested' }
  /** The broker accepted our cancel request (the result comes in a report). */
  | { readonly type: 'CancelAcknowledged' }
  /** The broker refused our cancel request; the order is as it was. */
  | { readonly type: 'CancelRejected'; readonly reason: string }
  /** A trade against the order. `price` is in the instrument's wire units. */
  | { readonly type: 'Filled'; readonly tradeId: string; readonly quantity: number; readonly price: Price };

/** An event's type tag. */
export type OrderEventType = OrderEvent['type'];

/** What the transition table is keyed by: an event type, with `Filled` and `Reported` split by their data. */
export type OrderTrigger =
  Exclude<OrderEventType, 'Filled' | 'Reported'> | 'PartFilled' | 'Filled' | `Reported:${ReportedState}`;

/** Every trigger, for exhaustiveness checks. */
export const ORDER_TRIGGERS: readonly OrderTrigger[] = [
  'Submitted',
  'Acknowledged',
  'TimedOut',
  'Interrupted',
  'Rejected',
  'ResolvedAbsent',
  'Abandoned',
  'ModifyRequested',
  'ModifyAcknowledged',
  'ModifyRejected',
  'CancelRequested',
  'CancelAcknowledged',
  'CancelRejected',
  'PartFilled',
  'Filled',
  'Reported:ACCEPTED',
  'Reported:OPEN',
  'Reported:TRIGGER_PENDING',
  'Reported:AMO_QUEUED',
  'Reported:MODIFY_PENDING',
  'Reported:CANCEL_PENDING',
  'Reported:COMPLETE',
  'Reported:CANCELLED',
  'Reported:REJECTED',
];

/** A table target: a state, or `RESUME` = back to the working state the order left for a modify or cancel. */
export type TransitionTarget = OrderState | 'RESUME';

/** The broker's reports of the order's final outcome, legal from every live state that has reached the broker. */
const FINISHED = {
  'Reported:COMPLETE': 'COMPLETE',
  'Reported:CANCELLED': 'CANCELLED',
  'Reported:REJECTED': 'REJECTED',
} as const;

/** Every report, from a state where we do not yet know what the broker did with our request. */
const ANY_REPORT = {
  'Reported:ACCEPTED': 'ACCEPTED',
  'Reported:OPEN': 'OPEN',
  'Reported:TRIGGER_PENDING': 'TRIGGER_PENDING',
  'Reported:AMO_QUEUED': 'AMO_QUEUED',
  'Reported:MODIFY_PENDING': 'MODIFY_PENDING',
  'Reported:CANCEL_PENDING': 'CANCEL_PENDING',
  ...FINISHED,
} as const;

/**
 * THE order lifecycle: for each state, the triggers it takes and where each leads. Anything not
 * listed is refused. Terminal states take only trades the broker already counted (see
 * `applyOrderEvent`); everything else there is refused unless it is a duplicate.
 */
export const TRANSITIONS: Readonly<
  Record<OrderState, Readonly<Partial<Record<OrderTrigger, TransitionTarget>>>>
> = {
  PENDING_NEW: { Submitted: 'SENT', Interrupted: 'UNKNOWN', Rejected: 'REJECTED' },
  // A report can beat the HTTP answer (the order update arrives first), so SENT takes reports.
  SENT: {
    Acknowledged: 'ACCEPTED',
    TimedOut: 'UNKNOWN',
    Interrupted: 'UNKNOWN',
    Rejected: 'REJECTED',
    ...ANY_REPORT,
  },
  UNKNOWN: { Acknowledged: 'ACCEPTED', ResolvedAbsent: 'REJECTED', ...ANY_REPORT },
  ACCEPTED: {
    Abandoned: 'CANCELLED',
    'Reported:ACCEPTED': 'ACCEPTED',
    'Reported:OPEN': 'OPEN',
    'Reported:TRIGGER_PENDING': 'TRIGGER_PENDING',
    'Reported:AMO_QUEUED': 'AMO_QUEUED',
    ...FINISHED,
    PartFilled: 'OPEN',
    Filled: 'COMPLETE',
  },
  OPEN: {
    Abandoned: 'CANCELLED',
    'Reported:OPEN': 'OPEN',
    'Reported:MODIFY_PENDING': 'MODIFY_PENDING',
    'Reported:CANCEL_PENDING': 'CANCEL_PENDING',
    ...FINISHED,
    ModifyRequested: 'MODIFY_PENDING',
    CancelRequested: 'CANCEL_PENDING',
    ModifyAcknowledged: 'OPEN',
    ModifyRejected: 'OPEN',
    CancelAcknowledged: 'OPEN',
    CancelRejected: 'OPEN',
    PartFilled: 'OPEN',
    Filled: 'COMPLETE',
  },
  TRIGGER_PENDING: {
    Abandoned: 'CANCELLED',
    'Reported:TRIGGER_PENDING': 'TRIGGER_PENDING',
    'Reported:OPEN': 'OPEN',
    'Reported:MODIFY_PENDING': 'MODIFY_PENDING',
    'Reported:CANCEL_PENDING': 'CANCEL_PENDING',
    ...FINISHED,
    ModifyRequested: 'MODIFY_PENDING',
    CancelRequested: 'CANCEL_PENDING',
    ModifyAcknowledged: 'TRIGGER_PENDING',
    ModifyRejected: 'TRIGGER_PENDING',
    CancelAcknowledged: 'TRIGGER_PENDING',
    CancelRejected: 'TRIGGER_PENDING',
    // The trade of a triggered stop can arrive before the report that it is open.
    PartFilled: 'OPEN',
    Filled: 'COMPLETE',
  },
  AMO_QUEUED: {
    Abandoned: 'CANCELLED',
    'Reported:AMO_QUEUED': 'AMO_QUEUED',
    // At the session's open an AMO goes through Kite's pre-open statuses like a new order.
    'Reported:ACCEPTED': 'ACCEPTED',
    'Reported:OPEN': 'OPEN',
    'Reported:TRIGGER_PENDING': 'TRIGGER_PENDING',
    'Reported:MODIFY_PENDING': 'MODIFY_PENDING',
    'Reported:CANCEL_PENDING': 'CANCEL_PENDING',
    ...FINISHED,
    ModifyRequested: 'MODIFY_PENDING',
    CancelRequested: 'CANCEL_PENDING',
    ModifyAcknowledged: 'AMO_QUEUED',
    ModifyRejected: 'AMO_QUEUED',
    CancelAcknowledged: 'AMO_QUEUED',
    CancelRejected: 'AMO_QUEUED',
  },
  MODIFY_PENDING: {
    Abandoned: 'CANCELLED',
    'Reported:MODIFY_PENDING': 'MODIFY_PENDING',
    'Reported:OPEN': 'OPEN',
    'Reported:TRIGGER_PENDING': 'TRIGGER_PENDING',
    'Reported:AMO_QUEUED': 'AMO_QUEUED',
    'Reported:CANCEL_PENDING': 'CANCEL_PENDING',
    ...FINISHED,
    ModifyAcknowledged: 'MODIFY_PENDING',
    ModifyRejected: 'RESUME',
    // The kill switch cancels whatever is working, a pending modify included.
    CancelRequested: 'CANCEL_PENDING',
    PartFilled: 'MODIFY_PENDING',
    Filled: 'COMPLETE',
  },
  CANCEL_PENDING: {
    Abandoned: 'CANCELLED',
    'Reported:CANCEL_PENDING': 'CANCEL_PENDING',
    'Reported:OPEN': 'OPEN',
    'Reported:TRIGGER_PENDING': 'TRIGGER_PENDING',
    'Reported:AMO_QUEUED': 'AMO_QUEUED',
    ...FINISHED,
    CancelAcknowledged: 'CANCEL_PENDING',
    CancelRejected: 'RESUME',
    PartFilled: 'CANCEL_PENDING',
    Filled: 'COMPLETE',
  },
  COMPLETE: { PartFilled: 'COMPLETE', Filled: 'COMPLETE' },
  CANCELLED: { PartFilled: 'CANCELLED' },
  REJECTED: {},
};

/** A trade recorded against an order. */
export interface OrderFill {
  readonly tradeId: string;
  readonly quantity: number;
  readonly price: Price;
}

/** An order as the lifecycle sees it: immutable; every change is a new object. */
export interface LifecycleOrder {
  /** Our client order id (Kite's `tag`). */
  readonly clientOrderId: string;
  readonly state: OrderState;
  /** The order's quantity (changed only by the broker's report of a modification). */
  readonly quantity: number;
  /** The broker's order id, once known. */
  readonly orderId: string | null;
  /** The sum of the recorded fills' quantities: never above `quantity`. */
  readonly filledQuantity: number;
  /** The highest filled quantity the broker has reported: never above `quantity`. */
  readonly brokerFilledQuantity: number;
  /** The recorded fills, one per trade id, in arrival order. */
  readonly fills: readonly OrderFill[];
  /** Where a modify or cancel returns if refused; null outside MODIFY_PENDING / CANCEL_PENDING. */
  readonly resumeState: WorkingState | null;
  /** Why the order was rejected or why the last modify or cancel was refused; null if none. */
  readonly reason: string | null;
}

/** Why an event was refused. */
export type LifecycleError =
  /** The trigger is not in the table for the order's state. */
  | {
      readonly kind: 'IllegalTransition';
      readonly state: OrderState;
      readonly trigger: OrderTrigger;
      readonly clientOrderId: string;
    }
  /** The fill would take the filled quantity above the order's quantity (or, once terminal, above the broker's count). */
  | {
      readonly kind: 'Overfill';
      readonly clientOrderId: string;
      readonly tradeId: string;
      readonly filledQuantity: number;
      readonly limit: number;
    }
  /** The event carries an order id other than the one we have. */
  | {
      readonly kind: 'OrderIdMismatch';
      readonly clientOrderId: string;
      readonly expected: string;
      readonly received: string;
    }
  /** The event's data is malformed (a fractional or non-positive quantity, an empty id, an impossible report). */
  | { readonly kind: 'InvalidEvent'; readonly clientOrderId: string; readonly message: string };

/** The result of applying an event: the new order (the same object if `changed` is false), or an error. */
export type ApplyResult =
  | { readonly ok: true; readonly order: LifecycleOrder; readonly changed: boolean }
  | { readonly ok: false; readonly error: LifecycleError };

/** True for COMPLETE, CANCELLED and REJECTED. */
export function isTerminal(state: OrderState): boolean {
  return TERMINAL_STATES.has(state);
}

/** A new order, journaled and not yet sent. Throws RangeError for a quantity that is not a positive integer. */
export function newOrder(clientOrderId: string, quantity: number): LifecycleOrder {
  if (!isPositiveInteger(quantity))
    throw new RangeError(`order quantity ${quantity} is not a positive integer`);
  if (clientOrderId === '') throw new RangeError('empty client order id');
  return {
    clientOrderId,
    state: 'PENDING_NEW',
    quantity,
    orderId: null,
    filledQuantity: 0,
    brokerFilledQuantity: 0,
    fills: [],
    resumeState: null,
    reason: null,
  };
}

/** The table key for `event` applied to `order` (fills are split by whether they complete the order). */
export function triggerOf(order: LifecycleOrder, event: OrderEvent): OrderTrigger {
  switch (event.type) {
    case 'Filled':
      return order.filledQuantity + event.quantity >= order.quantity ? 'Filled' : 'PartFilled';
    case 'Reported':
      return `Reported:${KITE_STATUS_STATE[event.status]}`;
    default:
      return event.type;
  }
}

/**
 * Applies one event to an order. Pure: returns a new order or a typed error, and never changes
 * `order`. Allocates the new order (and, for a fill, a new fills array).
 */
export function applyOrderEvent(order: LifecycleOrder, event: OrderEvent): ApplyResult {
  const invalid = validate(order, event);
  if (invalid !== null) return { ok: false, error: invalid };
  if (isNoOp(order, event)) return { ok: true, order, changed: false };

  const trigger = triggerOf(order, event);
  const target = TRANSITIONS[order.state][trigger];
  if (target === undefined) {
    return {
      ok: false,
      error: { kind: 'IllegalTransition', state: order.state, trigger, clientOrderId: order.clientOrderId },
    };
  }
  const next = target === 'RESUME' ? (order.resumeState ?? 'OPEN') : target;
  const resumeState = resumeAfter(order, next);

  switch (event.type) {
    case 'Acknowledged':
      return changed({ ...order, state: next, resumeState, orderId: event.orderId });
    case 'Rejected':
    case 'ModifyRejected':
    case 'CancelRejected':
      return changed({ ...order, state: next, resumeState, reason: event.reason });
    case 'ResolvedAbsent':
      return changed({ ...order, state: next, resumeState, reason: ABSENT_REASON });
    case 'Abandoned':
      return changed({
        ...order,
        state: next,
        resumeState,
        reason: "not in the broker's order book; closed at reconciliation by the user",
      });
    case 'Reported':
      return applyReport(order, event, next, resumeState);
    case 'Filled':
      return applyFill(order, event, next, resumeState);
    default:
      return changed({ ...order, state: next, resumeState });
  }
}

/**
 * Applies events in order, stopping at the first refused one. Returns the last good order and the
 * error if any. Allocates.
 */
export function applyOrderEvents(
  order: LifecycleOrder,
  events: readonly OrderEvent[],
): { readonly order: LifecycleOrder; readonly error: LifecycleError | null } {
  let current = order;
  for (const event of events) {
    const result = applyOrderEvent(current, event);
    if (!result.ok) return { order: current, error: result.error };
    current = result.order;
  }
  return { order: current, error: null };
}

function changed(order: LifecycleOrder): ApplyResult {
  return { ok: true, order, changed: true };
}

function isPositiveInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

function isWorking(state: OrderState): state is WorkingState {
  return state === 'OPEN' || state === 'TRIGGER_PENDING' || state === 'AMO_QUEUED';
}

/** The resume state after moving to `next`: remembered on entering a pending request, kept while in one. */
function resumeAfter(order: LifecycleOrder, next: OrderState): WorkingState | null {
  if (next !== 'MODIFY_PENDING' && next !== 'CANCEL_PENDING') return null;
  if (isWorking(order.state)) return order.state;
  return order.resumeState ?? 'OPEN';
}

function validate(order: LifecycleOrder, event: OrderEvent): LifecycleError | null {
  const bad = (message: string): LifecycleError => ({
    kind: 'InvalidEvent',
    clientOrderId: order.clientOrderId,
    message,
  });
  const mismatch = (received: string): LifecycleError | null =>
    order.orderId !== null && order.orderId !== received
      ? { kind: 'OrderIdMismatch', clientOrderId: order.clientOrderId, expected: order.orderId, received }
      : null;
  switch (event.type) {
    case 'Acknowledged':
      return event.orderId === '' ? bad('empty order id') : mismatch(event.orderId);
    case 'Filled':
      if (event.tradeId === '') return bad('empty trade id');
      if (!isPositiveInteger(event.quantity))
        return bad(`fill quantity ${event.quantity} is not a positive integer`);
      if (!Number.isSafeInteger(event.price)) return bad(`fill price ${event.price} is not an integer`);
      return null;
    case 'Reported':
      if (event.orderId === '') return bad('empty order id');
      if (parseKiteOrderStatus(event.status) === null)
        return bad(`unknown Kite status ${JSON.stringify(event.status)}`);
      if (!isPositiveInteger(event.quantity))
        return bad(`reported quantity ${event.quantity} is not a positive integer`);
      if (!Number.isSafeInteger(event.filledQuantity) || event.filledQuantity < 0) {
        return bad(`reported filled quantity ${event.filledQuantity} is not a non-negative integer`);
      }
      if (event.filledQuantity > event.quantity) {
        return bad(`reported filled ${event.filledQuantity} exceeds reported quantity ${event.quantity}`);
      }
      if (event.status === 'COMPLETE' && event.filledQuantity !== event.quantity) {
        return bad(`COMPLETE with ${event.filledQuantity} of ${event.quantity} filled`);
      }
      if (event.quantity < Math.max(order.filledQuantity, order.brokerFilledQuantity)) {
        return bad(`reported quantity ${event.quantity} is below the quantity already filled`);
      }
      return mismatch(event.orderId);
    default:
      return null;
  }
}

/** Events that change nothing: re-deliveries, and request outcomes that arrive after the order finished. */
function isNoOp(order: LifecycleOrder, event: OrderEvent): boolean {
  switch (event.type) {
    case 'Filled':
      return order.fills.some((f) => f.tradeId === event.tradeId);
    case 'Acknowledged':
      return order.orderId === event.orderId;
    case 'Reported':
      return (
        order.orderId === event.orderId &&
        KITE_STATUS_STATE[event.status] === order.state &&
        event.quantity === order.quantity &&
        event.filledQuantity <= order.brokerFilledQuantity
      );
    case 'ModifyAcknowledged':
    case 'ModifyRejected':
    case 'CancelAcknowledged':
    case 'CancelRejected':
      return isTerminal(order.state);
    default:
      return false;
  }
}

function applyReport(
  order: LifecycleOrder,
  event: Extract<OrderEvent, { type: 'Reported' }>,
  next: OrderState,
  resumeState: WorkingState | null,
): ApplyResult {
  return changed({
    ...order,
    state: next,
    resumeState,
    orderId: event.orderId,
    quantity: event.quantity,
    // A stale snapshot never lowers what the broker has already told us was filled.
    brokerFilledQuantity: Math.max(order.brokerFilledQuantity, event.filledQuantity),
    reason: next === 'REJECTED' ? (event.reason ?? 'rejected by the broker') : order.reason,
  });
}

function applyFill(
  order: LifecycleOrder,
  event: Extract<OrderEvent, { type: 'Filled' }>,
  next: OrderState,
  resumeState: WorkingState | null,
): ApplyResult {
  const filledQuantity = order.filledQuantity + event.quantity;
  // Once terminal nothing more can trade at the venue: only trades the broker already counted may arrive.
  const limit = isTerminal(order.state) ? order.brokerFilledQuantity : order.quantity;
  if (filledQuantity > limit) {
    return {
      ok: false,
      error: {
        kind: 'Overfill',
        clientOrderId: order.clientOrderId,
        tradeId: event.tradeId,
        filledQuantity,
        limit,
      },
    };
  }
  return changed({
    ...order,
    state: next,
    resumeState,
    filledQuantity,
    brokerFilledQuantity: Math.max(order.brokerFilledQuantity, filledQuantity),
    fills: [...order.fills, { tradeId: event.tradeId, quantity: event.quantity, price: event.price }],
  });
}
