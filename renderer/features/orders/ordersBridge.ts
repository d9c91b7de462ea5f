import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { OrderView, PlaceOrder, Product, ordersService } from '../../../shared/services/orders';
import type { EngineLink } from '../market';
import type { OrdersStore } from './ordersStore';
import { refusalOf } from './refusal';
import type { Refusal } from './refusal';

/** The engine's orders service, as the renderer calls it. */
export type OrdersService = ServiceOf<typeof ordersService>;

/** What a request ended with: the order as the engine answered, or why not. */
export type OrderOutcome =
  { readonly ok: true; readonly order: OrderView | null } | { readonly ok: false; readonly refusal: Refusal };

/** The trader's order commands. Each resolves (never rejects) with its outcome. */
export interface OrderActions {
  place(order: PlaceOrder): Promise<OrderOutcome>;
  cancel(clientOrderId: string): Promise<OrderOutcome>;
  modify(clientOrderId: string, change: { price?: number; triggerPrice?: number }): Promise<OrderOutcome>;
  cancelAll(): Promise<OrderOutcome>;
  /** Closes the net position of one instrument and product at market. */
  exit(instrumentToken: number, product: Product, label: string): Promise<OrderOutcome>;
  /** The trader accepts the broker's view of a reconciliation issue. */
  acceptIssue(id: string): Promise<OrderOutcome>;
}

/** The window's orders: the store the grids read, the commands, and the feed that keeps it current. */
export interface OrdersHandle extends Disposable {
  readonly store: OrdersStore;
  readonly actions: OrderActions;
}

function notServed(e: unknown): boolean {
  return e instanceof RpcError && e.code === 'UNKNOWN_METHOD';
}

/**
 * Keeps `store` on the engine's orders: the list and the reconciliation state fetched on every
 * connection, then their streams. An engine without the `orders` service answers UNKNOWN_METHOD,
 * which the store records (the panels say so) and nothing else happens.
 */
export function startOrders(service: OrdersService, link: EngineLink, store: OrdersStore): OrdersHandle {
  const owned = new DisposableStore();
  const state = () => store.getState();

  const fetch = (): void => {
    if (!link.isConnected()) return;
    service.list().then(
      ({ orders }) => {
        state().listed(orders);
      },
      (e: unknown) => {
        if (notServed(e)) state().servedChanged('no');
      },
    );
    service.reconciliation().then(
      (r) => {
        state().reconciled(r);
      },
      () => undefined, // The stream brings it, or the list's answer said the service is missing.
    );
  };
  owned.add(
    service.onOrders((o) => {
      state().received(o);
    }),
  );
  owned.add(
    service.onReconciliation((r) => {
      state().reconciled(r);
    }),
  );
  owned.add(link.onConnected(fetch));
  fetch();

  /** Runs a request about one order: marks it busy, records its answer or the refusal. */
  const run = async (
    action: string,
    busyId: string | undefined,
    request: () => Promise<{ order: OrderView | null } | undefined>,
  ): Promise<OrderOutcome> => {
    if (busyId !== undefined) state().busyChanged(busyId, true);
    try {
      const answer = await request();
      const order = answer?.order ?? null;
      if (order !== null) state().received(order);
      state().noticed(undefined);
      return { ok: true, order };
    } catch (e) {
      const refusal = refusalOf(e);
      if (notServed(e)) state().servedChanged('no');
      if (action !== 'Place') state().noticed({ action, refusal });
      return { ok: false, refusal };
    } finally {
      if (busyId !== undefined) state().busyChanged(busyId, false);
    }
  };

  const actions: OrderActions = {
    place: (order) => run('Place', undefined, () => service.place(order)),
    cancel: (id) => run(`Cancel ${id}`, id, () => service.cancel({ clientOrderId: id })),
    modify: (id, change) => run(`Modify ${id}`, id, () => service.modify({ clientOrderId: id, ...change })),
    cancelAll: () =>
      run('Cancel all', undefined, async () => {
        await service.cancelAll({});
        return undefined;
      }),
    // Above the freeze quantity an exit is several orders; the outcome names the first.
    exit: (instrumentToken, product, label) =>
      run(`Exit ${label}`, undefined, async () => {
        const { orders } = await service.exit({ instrumentToken, product });
        for (const o of orders.slice(1)) state().received(o);
        return { order: orders[0] ?? null };
      }),
    acceptIssue: (id) =>
      run('Accept', undefined, async () => {
        state().reconciled(await service.acceptIssue({ id }));
        return undefined;
      }),
  };

  return {
    store,
    actions,
    dispose: () => {
      owned.dispose();
    },
  };
}
