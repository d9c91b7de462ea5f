import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { OrderView, ReconciliationState } from '../../../shared/services/orders';
import { compareOrders, isWorking } from './orderView';
import type { Refusal } from './refusal';

/** Whether the engine serves the `orders` service: not known before its first answer. */
export type Served = 'unknown' | 'yes' | 'no';

/** A modify, cancel, cancel-all or exit that the engine refused (shown over the grid). */
export interface OrderNotice {
  /** What was asked: `Cancel SQ…`, `Modify SQ…`, `Cancel all`, `Exit INFY MIS`. */
  readonly action: string;
  readonly refusal: Refusal;
}

/**
 * The window's orders: every order the engine told us of, in the grid's order, the state of the
 * start-up reconciliation, and which orders have a request in flight. Orders change a few times in
 * their life (conflated at 50 ms by the engine), so they are React state; ticks are not here.
 */
export interface OrdersState {
  readonly served: Served;
  /** Working orders first (newest first), then finished ones (see compareOrders). */
  readonly rows: readonly OrderView[];
  /** How many of `rows` are working. */
  readonly workingCount: number;
  readonly reconciliation: ReconciliationState | undefined;
  /** Client order ids with a modify or cancel in flight (their buttons wait). */
  readonly busy: ReadonlySet<string>;
  readonly notice: OrderNotice | undefined;
  /**
   * Orders placed as legs of a routed order (SOR) from this window, by client order id. Only
   * known here (the engine places them as ordinary orders on their exchanges): not after a reload.
   */
  readonly routed: ReadonlyMap<string, RoutedMark>;

  readonly servedChanged: (served: Served) => void;
  /** `orders.list`'s answer: merged, since a streamed update may be newer than the list. */
  readonly listed: (orders: readonly OrderView[]) => void;
  /** One order from `orders.onOrders` or from a place/modify/cancel answer. */
  readonly received: (order: OrderView) => void;
  readonly reconciled: (state: ReconciliationState) => void;
  readonly busyChanged: (clientOrderId: string, busy: boolean) => void;
  readonly noticed: (notice: OrderNotice | undefined) => void;
  /** A routed order's legs placed: each received as any order, and marked as routed. */
  readonly routedPlaced: (orders: readonly OrderView[], mark: RoutedMark) => void;
}

export type OrdersStore = StoreApi<OrdersState>;

/** What the grid says of an order placed as a leg of a routed order (SOR) from this window. */
export interface RoutedMark {
  /** All the legs of its route: `BSE 40 · NSE 60`. */
  readonly legs: string;
  /** Why the engine routed it so. */
  readonly reason: string;
}

/** The newer of two views of one order: a later `updatedAt` wins; on a tie, the one just received. */
function newer(known: OrderView | undefined, incoming: OrderView): boolean {
  return known === undefined || incoming.updatedAt >= known.updatedAt;
}

/** One store per window; `initial` and `reconciliation` are starting values (tests, server rendering). */
export function createOrdersStore(
  initial: readonly OrderView[] = [],
  reconciliation?: ReconciliationState,
): OrdersStore {
  const byId = new Map<string, OrderView>();
  for (const o of initial) byId.set(o.clientOrderId, o);
  const sorted = (): Pick<OrdersState, 'rows' | 'workingCount'> => {
    const rows = [...byId.values()].sort(compareOrders);
    return { rows, workingCount: rows.filter((o) => isWorking(o.state)).length };
  };

  return createStore<OrdersState>()((set, get) => ({
    served: initial.length > 0 || reconciliation !== undefined ? 'yes' : 'unknown',
    ...sorted(),
    reconciliation,
    busy: new Set<string>(),
    notice: undefined,
    routed: new Map<string, RoutedMark>(),

    servedChanged: (served) => {
      if (get().served !== served) set({ served });
    },
    listed: (orders) => {
      let changed = false;
      for (const o of orders) {
        if (!newer(byId.get(o.clientOrderId), o)) continue;
        byId.set(o.clientOrderId, o);
        changed = true;
      }
      set(changed ? { served: 'yes', ...sorted() } : { served: 'yes' });
    },
    received: (order) => {
      if (!newer(byId.get(order.clientOrderId), order)) return;
      byId.set(order.clientOrderId, order);
      set({ served: 'yes', ...sorted() });
    },
    reconciled: (reconciliation) => {
      set({ reconciliation, served: 'yes' });
    },
    busyChanged: (id, busy) => {
      const now = get().busy;
      if (now.has(id) === busy) return;
      const next = new Set(now);
      if (busy) next.add(id);
      else next.delete(id);
      set({ busy: next });
    },
    noticed: (notice) => {
      set({ notice });
    },
    routedPlaced: (orders, mark) => {
      if (orders.length === 0) return;
      const routed = new Map(get().routed);
      for (const o of orders) {
        routed.set(o.clientOrderId, mark);
        if (newer(byId.get(o.clientOrderId), o)) byId.set(o.clientOrderId, o);
      }
      set({ served: 'yes', routed, ...sorted() });
    },
  }));
}

/** True while new orders are refused because the journal does not agree with the broker yet. */
export function selectOrderEntryBlocked(s: OrdersState): boolean {
  const r = s.reconciliation;
  return r !== undefined && r.state !== 'ok';
}
