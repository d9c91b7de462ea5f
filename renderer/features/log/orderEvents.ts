import type { OrderStateName, OrderView } from '../../../shared/services/orders';
import type { OrdersStore } from '../orders';

/** Something that happened to an order, as the log and the toasts tell it. */
export type OrderEvent =
  | { readonly kind: 'placed'; readonly order: OrderView }
  | { readonly kind: 'rejected'; readonly order: OrderView }
  | { readonly kind: 'complete'; readonly order: OrderView }
  | { readonly kind: 'cancelled'; readonly order: OrderView };

const TERMINAL: Partial<Record<OrderStateName, OrderEvent['kind']>> = {
  REJECTED: 'rejected',
  COMPLETE: 'complete',
  CANCELLED: 'cancelled',
};

/** How far before the window opened an order may have been made and still count as new (clock skew). */
const SKEW_MS = 2_000;

/**
 * Calls `listener` for what happens to orders from now on: an order placed (first seen, made after
 * `startedAt`), and one that reached REJECTED, COMPLETE or CANCELLED. The orders in the store now,
 * and those made before `startedAt` that a first list or a reconnect brings, are the baseline:
 * only their later changes are told. Returns the unsubscribe.
 */
export function watchOrders(
  store: OrdersStore,
  listener: (event: OrderEvent) => void,
  startedAt: number,
): () => void {
  const known = new Map<string, OrderStateName>();
  for (const o of store.getState().rows) known.set(o.clientOrderId, o.state);
  return store.subscribe((s, prev) => {
    if (s.rows === prev.rows) return;
    for (const o of s.rows) {
      const was = known.get(o.clientOrderId);
      if (was === o.state) continue;
      known.set(o.clientOrderId, o.state);
      const terminal = TERMINAL[o.state];
      if (was === undefined) {
        if (o.createdAt < startedAt - SKEW_MS) continue;
        listener({ kind: 'placed', order: o });
      }
      if (terminal !== undefined && (was === undefined || TERMINAL[was] === undefined)) {
        listener({ kind: terminal, order: o });
      }
    }
  });
}
